import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import { tableOf, type RollupDef, type RollupGrain } from '../rollups/definitions.js';
import { emptyStats, SUM_FIELDS, type Stats } from '../rollups/stats.js';
import type { BackendHooks } from './backend.js';
import type { RollupTables } from './schema.js';

/** What to read from one rollup table. */
export interface RollupRead {
  def: RollupDef;
  grain: RollupGrain;
  from: number;
  to: number;
  workspace?: string | undefined;
  type?: string | undefined;
  /** Group by this key column (`type` or one of the rollup's dimensions); null for one total. */
  by: string | null;
  /** Also group by bucket (time series). */
  perBucket: boolean;
}

/** One group of a rollup read: merged measures and merged histogram bins. */
export interface GroupRow {
  bucket: number | null;
  key: string | null;
  stats: Stats;
  bins: Map<number, number>;
}

/**
 * Merges rollup rows in SQL: sums, minima and maxima with GROUP BY, and histograms by expanding
 * each row's bins (json_each / jsonb_each_text) and summing per bin.
 */
export async function readRollup(
  db: Kysely<RollupTables>,
  hooks: BackendHooks,
  q: RollupRead,
): Promise<GroupRow[]> {
  const [stats, bins] = await Promise.all([
    readStats(db as AnyDb, q),
    readBins(db as AnyDb, hooks, q),
  ]);
  const groups = new Map<string, GroupRow>();
  for (const r of stats) {
    const g = group(groups, r);
    for (const f of SUM_FIELDS) g.stats[f] = Number(r[f]);
    g.stats.duration_min_us = nullableNumber(r.duration_min_us);
    g.stats.duration_max_us = nullableNumber(r.duration_max_us);
    g.stats.first_seen = nullableNumber(r.first_seen);
    g.stats.last_seen = nullableNumber(r.last_seen);
  }
  for (const r of bins) group(groups, r).bins.set(Number(r.bin), Number(r.n));
  return [...groups.values()];
}

// Rollup tables are defined by data, so queries over them are untyped here; the rows are
// converted field by field above.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySelect = SelectQueryBuilder<any, any, any>;

function nullableNumber(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}

function group(groups: Map<string, GroupRow>, r: Record<string, unknown>): GroupRow {
  const bucket = r.bucket === undefined ? null : Number(r.bucket);
  const key = r.k === undefined || r.k === '' ? null : String(r.k);
  const id = `${bucket}\u0000${key}`;
  let g = groups.get(id);
  if (!g) groups.set(id, (g = { bucket, key, stats: emptyStats(), bins: new Map() }));
  return g;
}

function filtered(q: RollupRead, query: AnySelect): AnySelect {
  let out = query
    .where('r.grain', '=', q.grain)
    .where('r.bucket', '>=', q.from)
    .where('r.bucket', '<', q.to);
  if (q.workspace !== undefined) out = out.where('r.workspace', '=', q.workspace);
  if (q.type !== undefined) out = out.where('r.type', '=', q.type);
  if (q.perBucket) out = out.select('r.bucket as bucket');
  if (q.by) out = out.select(`r.${q.by} as k`);
  return out;
}

function groupColumns(q: RollupRead): string[] {
  return [...(q.perBucket ? ['r.bucket'] : []), ...(q.by ? [`r.${q.by}`] : [])];
}

async function readStats(db: AnyDb, q: RollupRead): Promise<Record<string, unknown>[]> {
  const query = filtered(q, db.selectFrom(`${tableOf(q.def)} as r`)).select((eb) => [
    ...SUM_FIELDS.map((f) => eb.fn.sum(`r.${f}`).as(f)),
    eb.fn.min('r.duration_min_us').as('duration_min_us'),
    eb.fn.max('r.duration_max_us').as('duration_max_us'),
    eb.fn.min('r.first_seen').as('first_seen'),
    eb.fn.max('r.last_seen').as('last_seen'),
  ]);
  const cols = groupColumns(q);
  return (cols.length > 0 ? query.groupBy(cols) : query).execute();
}

async function readBins(
  db: AnyDb,
  hooks: BackendHooks,
  q: RollupRead,
): Promise<Record<string, unknown>[]> {
  const each = sql`${sql.raw(hooks.histEach)}(r.hist)`.as('j');
  return filtered(q, db.selectFrom([`${tableOf(q.def)} as r`, each]))
    .select([sql<string>`j.key`.as('bin'), sql<number>`sum(cast(j.value as bigint))`.as('n')])
    .groupBy([...groupColumns(q), sql`j.key`])
    .execute();
}
