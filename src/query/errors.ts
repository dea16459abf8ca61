import type { ExpressionBuilder } from 'kysely';
import { z } from 'zod';
import { EVENT_TYPES } from '../core/event-schema.js';
import type { Database } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { rangeParams, resolveRange } from './params.js';
import { compareKeys } from './summary.js';
import { errorLabel } from './tools.js';
import type { ErrorInfo } from './trace-forest.js';

/** Most failure groups read from the database (the commonest); `truncated` says when cut. */
export const MAX_GROUPS = 10_000;
/** A hotspot's sample message is cut to this many characters. */
export const SAMPLE_CHARS = 1_000;
const FAILED = ['error', 'timeout'] as const;
/** What an event's subject is, in the order it is chosen: its tool, else agent, else model. */
const SUBJECT_KINDS = [null, 'tool', 'agent', 'model'] as const;
type SubjectKind = (typeof SUBJECT_KINDS)[number];

const text = z.string().min(1).max(512);
const range = rangeParams.pick({ from: true, to: true, workspace: true });
const limit = z.coerce.number().int().min(1).max(1_000).default(50);

export const errorHotspotsParams = range.extend({
  type: z.enum(EVENT_TYPES).optional().describe('Only events of this type'),
  limit: limit.describe('The N largest groups'),
});

export const recentErrorsParams = range.extend({
  type: z.enum(EVENT_TYPES).optional().describe('Only events of this type'),
  tool: text.optional(),
  agent: text.optional(),
  model: text.optional(),
  session_id: text.optional(),
  limit: limit.describe('The N latest failures'),
});

export interface HotspotRow {
  type: string;
  subject_kind: SubjectKind;
  subject: string | null;
  error_type: string | null;
  error_code: string | null;
  label: string | null;
  count: number;
  /** Every event of this type and subject in the range, failed or not. */
  total: number;
  share: number;
  first_seen: string;
  last_seen: string;
  /** The latest failure of the group. */
  sample: { id: string; message: string | null };
}

export interface HotspotsResult {
  hotspots: HotspotRow[];
  /** True when there were more than MAX_GROUPS groups and only the commonest were ranked. */
  truncated: boolean;
}

export interface RecentError {
  id: string;
  workspace: string;
  type: string;
  ts: string;
  duration_ms: number | null;
  status: string;
  name: string | null;
  error: ErrorInfo & { label: string | null };
  tool: string | null;
  agent: string | null;
  model: string | null;
  provider: string | null;
  client: { name: string | null; version: string | null };
  user_id: string | null;
  session_id: string | null;
  trace_id: string | null;
  parent_id: string | null;
  app: string | null;
  platform: string | null;
  environment: string | null;
}

type Range = { from: number; to: number; workspace?: string | undefined };

/** Events in [from, to) (of a workspace): a range scan of the (workspace, ts) or (ts) index. */
function inRange(store: Store, r: Range) {
  const q = store.reader.selectFrom('events').where('ts', '>=', r.from).where('ts', '<', r.to);
  return r.workspace === undefined ? q : q.where('workspace', '=', r.workspace);
}

/** 1 tool, 2 agent, 3 model, 0 none: an integer, so it groups alike on every backend. */
function subjectKind(eb: ExpressionBuilder<Database, 'events'>) {
  return eb
    .case()
    .when('tool', 'is not', null)
    .then(eb.lit(1))
    .when('agent', 'is not', null)
    .then(eb.lit(2))
    .when('model', 'is not', null)
    .then(eb.lit(3))
    .else(eb.lit(0))
    .end();
}

const GROUP = ['f.type', 'f.kind', 'f.subject', 'f.error_type', 'f.error_code'] as const;

/**
 * Failing events (status error or timeout) in [from, to) grouped by type, subject (tool, else
 * agent, else model) and error type and code: count, share of all the subject's events of that
 * type, first and last seen, and the latest failure's message. One query with portable window
 * functions (ROW_NUMBER, COUNT, MIN, MAX … OVER) picks each group's latest row in the database;
 * a second counts all events per (type, subject). Largest first, then most recent.
 */
export async function errorHotspots(
  store: Store,
  p: z.output<typeof errorHotspotsParams>,
  now = Date.now(),
): Promise<HotspotsResult> {
  const r: Range = { ...resolveRange(p, now), workspace: p.workspace };
  let failing = inRange(store, r).where('status', 'in', FAILED);
  if (p.type !== undefined) failing = failing.where('type', '=', p.type);
  const f = failing.select((eb) => [
    'type',
    'error_type',
    'error_code',
    'error_message',
    'id',
    'ts',
    'seq',
    subjectKind(eb).as('kind'),
    eb.fn.coalesce('tool', 'agent', 'model').as('subject'),
  ]);
  const windowed = store.reader.selectFrom(f.as('f')).select((eb) => [
    ...GROUP,
    'f.error_message',
    'f.id',
    eb.fn
      .agg<number>('row_number')
      .over((ob) =>
        ob
          .partitionBy([...GROUP])
          .orderBy('f.ts', 'desc')
          .orderBy('f.seq', 'desc'),
      )
      .as('rn'),
    eb.fn
      .countAll<number>()
      .over((ob) => ob.partitionBy([...GROUP]))
      .as('n'),
    eb.fn
      .min('f.ts')
      .over((ob) => ob.partitionBy([...GROUP]))
      .as('first_seen'),
    eb.fn
      .max('f.ts')
      .over((ob) => ob.partitionBy([...GROUP]))
      .as('last_seen'),
  ]);
  const groups = await store.reader
    .selectFrom(windowed.as('w'))
    .selectAll()
    .where('w.rn', '=', 1)
    .orderBy('w.n', 'desc')
    .limit(MAX_GROUPS + 1)
    .execute();
  const totals = await subjectTotals(store, r, [...new Set(groups.map((g) => g.type))]);
  const rows = groups.slice(0, MAX_GROUPS).map((g) => {
    const count = Number(g.n);
    const total = totals.get(subjectKey(g.type, g.kind, g.subject)) ?? count;
    return {
      type: g.type,
      subject_kind: SUBJECT_KINDS[Number(g.kind)] ?? null,
      subject: g.subject,
      error_type: g.error_type,
      error_code: g.error_code,
      label: errorLabel(g.error_type, g.error_code),
      count,
      total,
      share: count / total,
      first_seen: new Date(Number(g.first_seen)).toISOString(),
      last_seen: new Date(Number(g.last_seen)).toISOString(),
      sample: { id: g.id, message: g.error_message?.slice(0, SAMPLE_CHARS) ?? null },
    };
  });
  rows.sort(byCountThenRecency);
  return { hotspots: rows.slice(0, p.limit), truncated: groups.length > MAX_GROUPS };
}

function subjectKey(type: string, kind: number | string, subject: string | null): string {
  return JSON.stringify([type, Number(kind), subject]);
}

/** All events (failed or not) per (type, subject) for the given types: the shares' denominators. */
async function subjectTotals(
  store: Store,
  r: Range,
  types: readonly string[],
): Promise<Map<string, number>> {
  if (types.length === 0) return new Map();
  const all = inRange(store, r)
    .where('type', 'in', types)
    .select((eb) => [
      'type',
      subjectKind(eb).as('kind'),
      eb.fn.coalesce('tool', 'agent', 'model').as('subject'),
    ]);
  const rows = await store.reader
    .selectFrom(all.as('f'))
    .select((eb) => ['f.type', 'f.kind', 'f.subject', eb.fn.countAll<number>().as('n')])
    .groupBy(['f.type', 'f.kind', 'f.subject'])
    .execute();
  return new Map(rows.map((t) => [subjectKey(t.type, t.kind, t.subject), Number(t.n)]));
}

/** A total order, so every backend ranks ties alike: count, recency, then the group's keys. */
function byCountThenRecency(a: HotspotRow, b: HotspotRow): number {
  return (
    b.count - a.count ||
    compareKeys(b.last_seen, a.last_seen) ||
    compareKeys(a.type, b.type) ||
    compareKeys(a.subject_kind, b.subject_kind) ||
    compareKeys(a.subject, b.subject) ||
    compareKeys(a.error_type, b.error_type) ||
    compareKeys(a.error_code, b.error_code)
  );
}

const RECENT_COLUMNS = [
  'id',
  'workspace',
  'type',
  'ts',
  'duration_ms',
  'status',
  'name',
  'error_type',
  'error_code',
  'error_message',
  'tool',
  'agent',
  'model',
  'provider',
  'client_name',
  'client_version',
  'user_id',
  'session_id',
  'trace_id',
  'parent_id',
  'app',
  'platform',
  'environment',
] as const;

/**
 * The latest failing events (status error or timeout) in [from, to), newest first (then latest
 * arrival), each with its context — where it happened, the run and session it belongs to — and its
 * error with a label for JSON-RPC codes. Reads `limit` rows from the (workspace, ts) index.
 */
export async function recentErrors(
  store: Store,
  p: z.output<typeof recentErrorsParams>,
  now = Date.now(),
): Promise<{ errors: RecentError[] }> {
  let q = inRange(store, { ...resolveRange(p, now), workspace: p.workspace }).where(
    'status',
    'in',
    FAILED,
  );
  for (const c of ['type', 'tool', 'agent', 'model', 'session_id'] as const) {
    const v = p[c];
    if (v !== undefined) q = q.where(c, '=', v);
  }
  const rows = await q
    .select(RECENT_COLUMNS)
    .orderBy('ts', 'desc')
    .orderBy('seq', 'desc')
    .limit(p.limit)
    .execute();
  return {
    errors: rows.map((e) => ({
      id: e.id,
      workspace: e.workspace,
      type: e.type,
      ts: new Date(e.ts).toISOString(),
      duration_ms: e.duration_ms,
      status: e.status,
      name: e.name,
      error: {
        type: e.error_type,
        code: e.error_code,
        message: e.error_message,
        label: errorLabel(e.error_type, e.error_code),
      },
      tool: e.tool,
      agent: e.agent,
      model: e.model,
      provider: e.provider,
      client: { name: e.client_name, version: e.client_version },
      user_id: e.user_id,
      session_id: e.session_id,
      trace_id: e.trace_id,
      parent_id: e.parent_id,
      app: e.app,
      platform: e.platform,
      environment: e.environment,
    })),
  };
}
