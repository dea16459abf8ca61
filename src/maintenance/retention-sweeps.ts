import type { Kysely } from 'kysely';
import { ROLLUPS, tableOf, type RollupGrain } from '../rollups/definitions.js';
import type { Store } from '../store/store.js';
import type { RetentionTarget } from './retention-policy.js';

/** Tables reached by name: the rollups' columns follow their definitions, so typing is loose. */
type Loose = Kysely<Record<string, Record<string, unknown>>>;

/**
 * One table's share of a retention target, deleted (or blanked) in bounded batches. Each batch
 * is one statement and so one short transaction: on SQLite, with its single writer, an ingest
 * batch waits for at most one of them; on PostgreSQL they only lock the old rows they touch.
 */
export interface Sweep {
  readonly table: string;
  /** Rows the sweep would touch in a workspace before a cutoff (and from `since`, if given). */
  count(db: Loose, workspace: string, before: number, since?: number): Promise<number>;
  /** Touches up to about `limit` of them; returns how many (0 when none are left). */
  batch(db: Loose, workspace: string, before: number, limit: number): Promise<number>;
}

/** Raw events by their surrogate key, found through the (workspace, ts) index. */
function oldEvents(db: Loose, workspace: string, before: number, limit: number, content = false) {
  let q = db
    .selectFrom('events')
    .select('seq')
    .where('workspace', '=', workspace)
    .where('ts', '<', before);
  if (content) q = q.where('content', 'is not', null);
  return q.limit(limit);
}

const rawSweep: Sweep = {
  table: 'events',
  async count(db, workspace, before) {
    return countWhere(db, 'events', workspace, 'ts', before);
  },
  async batch(db, workspace, before, limit) {
    const r = await db
      .deleteFrom('events')
      .where('seq', 'in', oldEvents(db, workspace, before, limit))
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};

/** Message content is blanked, not deleted: the event, its counts and its rollups stay. */
const contentSweep: Sweep = {
  table: 'events.content',
  async count(db, workspace, before, since = Number.MIN_SAFE_INTEGER) {
    const row = await db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('workspace', '=', workspace)
      .where('ts', '>=', since)
      .where('ts', '<', before)
      .where('content', 'is not', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },
  async batch(db, workspace, before, limit) {
    const r = await db
      .updateTable('events')
      .set({ content: null })
      .where('seq', 'in', oldEvents(db, workspace, before, limit, true))
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  },
};

/**
 * Rows keyed by a time column (a rollup grain's `bucket`, `user_days.day`). These tables have no
 * single-column key to pick rows by, so a batch ends at the time of the limit-th oldest row: it
 * deletes that many rows plus the rest of that one bucket.
 */
function keyedSweep(table: string, column: string, grain: RollupGrain | null): Sweep {
  const select = (db: Loose, workspace: string, before: number) => {
    const q = db.selectFrom(table).where('workspace', '=', workspace).where(column, '<', before);
    return grain === null ? q : q.where('grain', '=', grain);
  };
  const remove = (db: Loose, workspace: string, before: number) => {
    const q = db.deleteFrom(table).where('workspace', '=', workspace).where(column, '<', before);
    return grain === null ? q : q.where('grain', '=', grain);
  };
  return {
    table: grain === null ? table : `${table}.${grain}`,
    async count(db, workspace, before) {
      const row = await select(db, workspace, before)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async batch(db, workspace, before, limit) {
      const nth = await select(db, workspace, before)
        .select(column)
        .orderBy(column)
        .limit(1)
        .offset(limit - 1)
        .executeTakeFirst();
      const until = nth ? Math.min(Number(nth[column]) + 1, before) : before;
      const r = await remove(db, workspace, until).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

async function countWhere(
  db: Loose,
  table: string,
  workspace: string,
  column: string,
  before: number,
): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .where('workspace', '=', workspace)
    .where(column, '<', before)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The sweeps of a target. A grain covers every rollup kept at that grain; the day grain also
 * takes `user_days`, the exact active-user set, which is a per-day summary of the same kind
 * (and small: one row per active user a day), so it lives exactly as long as daily rollups.
 */
export function sweepsOf(target: RetentionTarget): Sweep[] {
  if (target === 'raw') return [rawSweep];
  if (target === 'content') return [contentSweep];
  const sweeps = ROLLUPS.filter((def) => def.grains.includes(target)).map((def) =>
    keyedSweep(tableOf(def), 'bucket', target),
  );
  if (target === 'day') sweeps.push(keyedSweep('user_days', 'day', null));
  return sweeps;
}

/**
 * The database as the sweeps see it. Retention is the one module besides the Store that changes
 * raw and rollup tables, and it only deletes whole rows below a watermark that queries and
 * verify already respect, so the two can never disagree.
 */
export function sweepDb(store: Store): Loose {
  return store.moduleDb<Record<string, Record<string, unknown>>>();
}
