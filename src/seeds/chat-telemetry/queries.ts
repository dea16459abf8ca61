import { CompiledQuery } from 'kysely';
import { z } from 'zod';
import { CairnError } from '../../core/errors.js';
import { queryTime } from '../../query/params.js';
import type { NamedQuery } from '../../query/named-queries.js';
import type { BackendKind } from '../../store/backend.js';
import type { Store } from '../../store/store.js';
import { rollupSql } from './rollup-sql.js';
import { domainSummarySql, modelSummarySql } from './summary-sql.js';

/**
 * Seed 003's service calls (app/api/dashboard/telemetry/services.ts) as named queries, served at
 * GET /v1/chat-telemetry/<name>. They run the views' own SELECTs, with `now` the runner's clock
 * instead of the database's, so an answer equals a read of the view and tests can fix the time.
 */
type Row = Record<string, unknown>;

const name = z.string().min(1).max(256);
const workspace = z
  .string()
  .min(1)
  .max(512)
  .optional()
  .describe('Only this workspace (default: all; rows carry their workspace)');

const startDate = queryTime.describe(
  'Hours starting at or after this time: epoch ms, a UTC date or ISO-8601 with a zone',
);

/** Collects bound parameters and writes each engine's placeholder for them, in text order. */
function binder(kind: BackendKind) {
  const values: unknown[] = [];
  const bind = (v: unknown) => {
    values.push(v);
    return kind === 'sqlite' ? '?' : `$${values.length}`;
  };
  return { values, bind };
}

async function select(store: Store, text: string, values: unknown[]): Promise<Row[]> {
  const result = await store.reader.executeQuery<Row>(CompiledQuery.raw(text, values));
  return result.rows.map(plainRow);
}

const TEXT_COLUMNS = new Set(['workspace', 'domain', 'model', 'most_used_model', 'granularity']);

/**
 * Values as JSON wants them: PostgreSQL returns bigint sums as strings and timestamps as Dates,
 * SQLite returns ISO text; both become numbers and ISO-8601 text.
 */
function plainRow(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    if (v instanceof Date) out[k] = v.toISOString();
    else if (typeof v === 'bigint') out[k] = Number(v);
    else if (typeof v === 'string' && !TEXT_COLUMNS.has(k) && !/_(at|start)$/.test(k))
      out[k] = Number(v);
    else out[k] = v;
  }
  return out;
}

/**
 * The seed's `fetchXSummary(supabase, key?)`: every row, or the one row of `key` (a 404 when
 * there is none, like the seed's `.single()`; a 400 when several workspaces have it).
 */
async function fetchSummary(
  store: Store,
  view: 'domain' | 'model',
  p: { key?: string | undefined; workspace?: string | undefined },
  now: number,
): Promise<Row | Row[]> {
  const { values, bind } = binder(store.kind);
  const where = p.workspace === undefined ? {} : { where: `workspace = ${bind(p.workspace)}` };
  const scope = { now: String(Math.trunc(now)), ...where };
  const inner = (view === 'domain' ? domainSummarySql : modelSummarySql)(store.kind, scope);
  const filter = p.key === undefined ? '' : ` where s.${view} = ${bind(p.key)}`;
  const rows = await select(
    store,
    `select * from (${inner}) s${filter} order by s.workspace, s.${view}`,
    values,
  );
  if (p.key === undefined) return rows;
  if (rows.length === 0)
    throw new CairnError('not_found', `${view}: no llm_call events for "${p.key}"`);
  if (rows.length > 1)
    throw new CairnError(
      'invalid_parameter',
      `workspace: "${p.key}" is in ${rows.length} workspaces; name one with workspace`,
    );
  return rows[0]!;
}

function define<S extends z.ZodType>(q: NamedQuery<S>): NamedQuery<S> {
  return q;
}

/** The three service calls, by the name they are served under. */
export const CHAT_TELEMETRY_QUERIES = {
  domain_summary: define({
    summary:
      "Seed 003 fetchDomainSummary: chat_telemetry_domain_summary's rows, or one domain's row.",
    params: z.strictObject({ domain: name.optional().describe('Only this domain'), workspace }),
    run: (store, p, now) => fetchSummary(store, 'domain', { key: p.domain, ...p }, now),
  }),
  model_summary: define({
    summary: "Seed 003 fetchModelSummary: chat_telemetry_model_summary's rows, or one model's row.",
    params: z.strictObject({ model: name.optional().describe('Only this model'), workspace }),
    run: (store, p, now) => fetchSummary(store, 'model', { key: p.model, ...p }, now),
  }),
  trend: define({
    summary:
      'Seed 003 getTrendFromRollups: requests, success, cost, tokens and latency per hour since startDate.',
    params: z.strictObject({
      startDate,
      domain: name.optional().describe('Only this domain (default: every domain)'),
      workspace,
    }),
    run: (store, p, now) => trend(store, p, now),
  }),
} as const;

/** Hourly rows from the rollups, oldest first: hours from startDate up to the current one. */
async function trend(
  store: Store,
  p: { startDate: number; domain?: string | undefined; workspace?: string | undefined },
  now: number,
): Promise<Row[]> {
  const { values, bind } = binder(store.kind);
  const where = [`grain = 'hour'`, `bucket >= ${bind(p.startDate)}`, `bucket <= ${bind(now)}`];
  if (p.domain !== undefined) where.push(`domain = ${bind(p.domain)}`);
  if (p.workspace !== undefined) where.push(`workspace = ${bind(p.workspace)}`);
  const text = rollupSql(store.kind, p.domain === undefined ? 'all' : 'domain', {
    byWorkspace: false,
    where: where.join(' and '),
  });
  return select(store, `${text} order by bucket`, values);
}
