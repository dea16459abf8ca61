import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { bucketOf } from '../rollups/definitions.js';
import type { Database } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { rangeParams, resolveRange } from './params.js';

/**
 * Exact active users over `user_days` (one row per workspace, user and UTC day with any event).
 * Every day here is a UTC day: DAU, WAU and MAU count users by the UTC day of their events, and a
 * user id is scoped to its workspace, so users are distinct (workspace, user_id) pairs.
 */

const DAY = 86_400_000;
/** WAU: the 7 UTC days ending on (and including) the point's day. */
export const WAU_DAYS = 7;
/** MAU: the 30 UTC days ending on (and including) the point's day. */
export const MAU_DAYS = 30;
/** The gap cap as a literal, so that every backend types it as a 64-bit integer. */
const GAP_CAP = sql.lit(MAU_DAYS * DAY);

/** Parameters of GET /v1/active_users; `to` defaults to now and `from` to 30 days before it. */
export const activeUsersParams = z.strictObject({
  from: rangeParams.shape.from.describe(
    'ISO-8601 or epoch milliseconds; default 30 days before to',
  ),
  to: rangeParams.shape.to.describe('ISO-8601 or epoch milliseconds; default now'),
  workspace: rangeParams.shape.workspace,
});

export interface ActiveUsersParams {
  from: number;
  to: number;
  workspace?: string | undefined;
}

/** One UTC day. `returning_users` = `dau` − `new_users`. */
export interface ActiveUsersPoint {
  day: string;
  dau: number;
  wau: number;
  mau: number;
  new_users: number;
  returning_users: number;
}

export interface ActiveUsersResult {
  points: ActiveUsersPoint[];
  totals: {
    /** Distinct users active on any day of the range. */
    users: number;
    /** Users whose first-ever active day falls in the range. */
    new_users: number;
    /** Users active in the range who had been active before it. */
    returning_users: number;
    dau_avg: number;
  };
}

/** Resolves the defaults of {@link activeUsersParams}: `to` now, `from` 30 days before `to`. */
export function activeUsersRange(
  p: { from?: number | undefined; to?: number | undefined },
  now: number,
): { from: number; to: number } {
  const to = p.to ?? now;
  return resolveRange({ from: p.from ?? to - 30 * DAY, to }, now);
}

/** The named-query runner: validated parameters and the clock in, the answer out. */
export async function runActiveUsers(
  store: Store,
  p: z.output<typeof activeUsersParams>,
  now: number,
): Promise<ActiveUsersResult> {
  return activeUsers(store, { ...p, ...activeUsersRange(p, now) });
}

/**
 * DAU, WAU, MAU, new and returning users for every UTC day that [from, to) touches (from the day
 * holding `from` to the day holding the last instant before `to`), plus totals. Exact: two
 * queries over `user_days`, whatever the length of the range.
 */
export async function activeUsers(store: Store, p: ActiveUsersParams): Promise<ActiveUsersResult> {
  const first = bucketOf(p.from, 'day');
  const end = bucketOf(p.to - 1, 'day') + DAY;
  const [gaps, users] = await Promise.all([
    readDayGaps(store.reader, first, end, p.workspace),
    countUsers(store.reader, first, end, p.workspace),
  ]);
  const points = foldPoints(gaps, first, (end - first) / DAY);
  const newUsers = points.reduce((s, x) => s + x.new_users, 0);
  const dauSum = points.reduce((s, x) => s + x.dau, 0);
  return {
    points,
    totals: {
      users,
      new_users: newUsers,
      returning_users: users - newUsers,
      dau_avg: Number((dauSum / points.length).toPrecision(12)),
    },
  };
}

/**
 * Users active on `day` whose previous active day was `gap` days earlier, capped at
 * {@link MAU_DAYS} (also when that day lies before the rows read); `gap` is null when `day` is
 * their first active day ever — reported only for days at or after the range start.
 */
interface DayGap {
  day: number;
  gap: number | null;
  users: number;
}

/**
 * Counts the user-day rows of [from − 29 days, to) by day and gap since the user's previous
 * active day. The gap comes from LAG over each user's rows (one sort, no per-row lookups); a
 * user's first row read has no LAG, and only then, for days in [from, to), does a NOT EXISTS seek
 * on the index (workspace, user_id, day) tell a first-ever day from a return after a long gap.
 * That keeps the first day exact over all time, also after an early event is ingested late.
 * Capping the gap keeps the answer to ≤ 31 rows a day.
 */
async function readDayGaps(
  db: Kysely<Database>,
  from: number,
  to: number,
  workspace: string | undefined,
): Promise<DayGap[]> {
  const withPrev = userDaysWithPrevious(db, from - (MAU_DAYS - 1) * DAY, to, workspace);
  const gaps = db.selectFrom(withPrev.as('r')).select((eb) => {
    const diff = eb('r.day', '-', eb.ref('r.prev'));
    const earlier = eb
      .selectFrom('user_days as p')
      .select(sql.lit(1).as('one'))
      .whereRef('p.workspace', '=', 'r.workspace')
      .whereRef('p.user_id', '=', 'r.user_id')
      .whereRef('p.day', '<', 'r.day');
    const firstEver = eb.and([eb('r.day', '>=', from), eb.not(eb.exists(earlier))]);
    // Without a previous row read, the previous day (if any) is ≥ 30 days back or before the
    // window of every point, so the cap describes it exactly for the spans of foldPoints.
    const unread = eb.case().when(firstEver).then(sql.lit(null)).else(GAP_CAP).end();
    const gap = eb.case().when('r.prev', 'is', null).then(unread);
    return ['r.day', gap.when(diff, '>=', GAP_CAP).then(GAP_CAP).else(diff).end().as('gap')];
  });
  // Grouped one level up so that GROUP BY names plain columns.
  const rows = await db
    .selectFrom(gaps.as('g'))
    .select((eb) => ['g.day', 'g.gap', eb.fn.countAll().as('users')])
    .groupBy(['g.day', 'g.gap'])
    .execute();
  return rows.map((r) => ({
    day: Number(r.day),
    gap: r.gap === null ? null : Number(r.gap) / DAY,
    users: Number(r.users),
  }));
}

/** User-day rows of [from, to) with each user's previous row among them (LAG), or NULL. */
function userDaysWithPrevious(
  db: Kysely<Database>,
  from: number,
  to: number,
  workspace: string | undefined,
) {
  let q = db
    .selectFrom('user_days as u')
    .select((eb) => [
      'u.workspace',
      'u.user_id',
      'u.day',
      eb.fn
        .agg<number | null>('lag', ['u.day'])
        .over((ob) => ob.partitionBy(['u.workspace', 'u.user_id']).orderBy('u.day'))
        .as('prev'),
    ])
    .where('u.day', '>=', from)
    .where('u.day', '<', to);
  if (workspace !== undefined) q = q.where('u.workspace', '=', workspace);
  return q;
}

/** Distinct (workspace, user_id) pairs active on any day of [from, to). */
async function countUsers(
  db: Kysely<Database>,
  from: number,
  to: number,
  workspace: string | undefined,
): Promise<number> {
  let pairs = db
    .selectFrom('user_days')
    .select(['workspace', 'user_id'])
    .distinct()
    .where('day', '>=', from)
    .where('day', '<', to);
  if (workspace !== undefined) pairs = pairs.where('workspace', '=', workspace);
  const row = await db
    .selectFrom(pairs.as('x'))
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Turns day-and-gap counts into points. A user is in the window of w days ending on day d when
 * one of their active days u has u ≤ d < u + w. Their active days u₁ < u₂ < … cover the disjoint
 * spans [max(uᵢ, uᵢ₋₁ + w), uᵢ + w), whose union is exactly that set, so adding one span per
 * row counts every user at most once per point: distinct counts from sums, via a difference
 * array over the points.
 */
function foldPoints(rows: readonly DayGap[], first: number, days: number): ActiveUsersPoint[] {
  const dau = new Array<number>(days).fill(0);
  const fresh = new Array<number>(days).fill(0);
  const wau = new Array<number>(days + 1).fill(0);
  const mau = new Array<number>(days + 1).fill(0);
  for (const r of rows) {
    const i = (r.day - first) / DAY;
    if (i >= 0) {
      add(dau, i, r.users);
      if (r.gap === null) add(fresh, i, r.users);
    }
    addSpan(wau, i, r.gap, WAU_DAYS, r.users);
    addSpan(mau, i, r.gap, MAU_DAYS, r.users);
  }
  const wauAt = runningSums(wau);
  const mauAt = runningSums(mau);
  return dau.map((n, i) => ({
    day: new Date(first + i * DAY).toISOString().slice(0, 10),
    dau: n,
    wau: wauAt[i]!,
    mau: mauAt[i]!,
    new_users: fresh[i]!,
    returning_users: n - fresh[i]!,
  }));
}

/** Adds `users` over the points [i + max(0, w − gap), i + w), clipped to the array. */
function addSpan(delta: number[], i: number, gap: number | null, w: number, users: number): void {
  const start = Math.max(0, i + Math.max(0, w - (gap ?? w)));
  const stop = Math.min(delta.length - 1, i + w);
  if (start >= stop) return;
  add(delta, start, users);
  add(delta, stop, -users);
}

function add(a: number[], i: number, v: number): void {
  a[i] = (a[i] ?? 0) + v;
}

function runningSums(delta: readonly number[]): number[] {
  let s = 0;
  return delta.map((d) => (s += d));
}
