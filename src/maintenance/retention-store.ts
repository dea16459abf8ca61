import type { Kysely } from 'kysely';
import type { Horizons } from '../query/plan-range.js';
import type { Store } from '../store/store.js';
import {
  ALL_WORKSPACES,
  RETENTION_TARGETS,
  resolvePolicy,
  type PolicyOverride,
  type RetentionDays,
  type RetentionPolicy,
  type RetentionTarget,
} from './retention-policy.js';

interface PolicyRow {
  workspace: string;
  raw_days: number | null;
  content_days: number | null;
  minute_days: number | null;
  hour_days: number | null;
  day_days: number | null;
  updated_at: number;
}

interface WatermarkRow {
  workspace: string;
  target: string;
  before_ts: number;
  applied_at: number;
}

interface RetentionDb {
  retention_policies: PolicyRow;
  retention_watermarks: WatermarkRow;
}

/** Per workspace: for each target, the time before which its rows were deleted. */
export type Watermarks = Map<string, Partial<Record<RetentionTarget, number>>>;

/** A change to a policy: a limit, or null to inherit again. */
export type PolicyChange = Partial<Record<RetentionTarget, RetentionDays | null>>;

// The retention tables belong to this module, not to the Store's schema, so they are reached
// through a view of the database typed for them alone.
function tables(store: Store, db?: Kysely<unknown>): Kysely<RetentionDb> {
  return db ? (db as Kysely<RetentionDb>) : store.moduleDb<RetentionDb>();
}

/** 0 in a policy column means keep: a limit of zero days is not a useful policy. */
const KEEP = 0;

function toOverride(row: PolicyRow): PolicyOverride {
  const o: PolicyOverride = {};
  for (const t of RETENTION_TARGETS) {
    const v = row[`${t}_days`];
    if (v !== null) o[t] = Number(v) === KEEP ? 'keep' : Number(v);
  }
  return o;
}

/** Every stored policy row, by workspace (`*` holds the defaults for all workspaces). */
export async function readPolicies(store: Store): Promise<Map<string, PolicyOverride>> {
  const rows = await tables(store).selectFrom('retention_policies').selectAll().execute();
  return new Map(rows.map((r) => [r.workspace, toOverride(r)]));
}

/** The policy in force for a workspace: its own row over the `*` row over DEFAULT_POLICY. */
export function policyOf(
  policies: Map<string, PolicyOverride>,
  workspace: string,
): RetentionPolicy {
  return resolvePolicy(policies.get(ALL_WORKSPACES), policies.get(workspace));
}

/** Changes some limits of a workspace's policy (or `*`), keeping the others as they were. */
export async function writePolicy(
  store: Store,
  workspace: string,
  change: PolicyChange,
  now: number,
): Promise<void> {
  const current = (await readPolicies(store)).get(workspace) ?? {};
  const row: PolicyRow = {
    workspace,
    raw_days: null,
    content_days: null,
    minute_days: null,
    hour_days: null,
    day_days: null,
    updated_at: now,
  };
  for (const t of RETENTION_TARGETS) {
    const v = t in change ? change[t] : current[t];
    row[`${t}_days`] = v === undefined || v === null ? null : v === 'keep' ? KEEP : v;
  }
  const { workspace: _w, ...set } = row;
  await tables(store)
    .insertInto('retention_policies')
    .values(row)
    .onConflict((oc) => oc.column('workspace').doUpdateSet(set))
    .execute();
}

/**
 * Stored watermarks, of one workspace or all. Pass a transaction as `db` to read inside it (on
 * single-connection backends a read beside an open transaction would wait for it forever).
 */
export async function readWatermarks(
  store: Store,
  workspace?: string,
  db?: Kysely<unknown>,
): Promise<Watermarks> {
  let q = tables(store, db).selectFrom('retention_watermarks').selectAll();
  if (workspace !== undefined) q = q.where('workspace', '=', workspace);
  const out: Watermarks = new Map();
  for (const r of await q.execute()) {
    const marks = out.get(r.workspace) ?? {};
    marks[r.target as RetentionTarget] = Number(r.before_ts);
    out.set(r.workspace, marks);
  }
  return out;
}

/**
 * Per workspace, the time before which its raw events were deleted (only workspaces retention
 * has pruned). Ingest refuses events older than this: their dedup keys are gone.
 */
export async function readRawHorizons(store: Store): Promise<Map<string, number>> {
  const rows = await tables(store)
    .selectFrom('retention_watermarks')
    .select(['workspace', 'before_ts'])
    .where('target', '=', 'raw')
    .execute();
  return new Map(rows.map((r) => [r.workspace, Number(r.before_ts)]));
}

/**
 * Records that rows of `target` before `before` are (being) deleted. A watermark only moves
 * forward: lengthening a policy later cannot bring deleted rows back.
 */
export async function advanceWatermark(
  store: Store,
  workspace: string,
  target: RetentionTarget,
  before: number,
  now: number,
): Promise<void> {
  const db = tables(store);
  const old = await db
    .selectFrom('retention_watermarks')
    .select('before_ts')
    .where('workspace', '=', workspace)
    .where('target', '=', target)
    .executeTakeFirst();
  if (old && Number(old.before_ts) >= before) return;
  await db
    .insertInto('retention_watermarks')
    .values({ workspace, target, before_ts: before, applied_at: now })
    .onConflict((oc) =>
      oc.columns(['workspace', 'target']).doUpdateSet({ before_ts: before, applied_at: now }),
    )
    .execute();
}

/**
 * Where the data of each source begins, for the planner: of one workspace, or across all of them
 * (the latest watermark of any workspace, since a range read over all workspaces is only
 * complete where every workspace still has the source).
 */
export async function readHorizons(store: Store, workspace?: string): Promise<Horizons> {
  const horizons: Horizons = {};
  for (const marks of (await readWatermarks(store, workspace)).values()) {
    for (const source of ['raw', 'minute', 'hour', 'day'] as const) {
      const t = marks[source];
      if (t !== undefined) horizons[source] = Math.max(horizons[source] ?? t, t);
    }
  }
  return horizons;
}
