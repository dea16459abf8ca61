import { sql, type Kysely, type RawBuilder } from 'kysely';
import { z } from 'zod';
import { bucketStart } from '../core/time-buckets.js';
import type { Database } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { rangeParams, resolveRange } from './params.js';

/**
 * Cohort retention over `user_days`, in UTC: a user's cohort is the period holding their
 * first-ever active day (in their workspace; a user id is scoped to its workspace), and they are
 * retained in period k when they were active on any day of the k-th period after it.
 */

export const PERIODS = ['week', 'month'] as const;
/** ISO weeks (Monday 00:00 UTC) or calendar months (the 1st, 00:00 UTC). */
export type Period = (typeof PERIODS)[number];

/** Parameters of GET /v1/retention. */
export const retentionParams = z.strictObject({
  from: rangeParams.shape.from.describe(
    'ISO-8601 or epoch milliseconds: cohorts whose period starts at or after it; ' +
      'default: the period `periods` periods before the one holding to',
  ),
  to: rangeParams.shape.to.describe(
    'ISO-8601 or epoch milliseconds: cohorts and retention periods that start before it; ' +
      'default now',
  ),
  workspace: rangeParams.shape.workspace,
  period: z
    .enum(PERIODS)
    .default('week')
    .describe('Cohort period: ISO week (from Monday, UTC) or calendar month (UTC)'),
  periods: z.coerce
    .number()
    .int()
    .min(1)
    .max(52)
    .default(8)
    .describe('How many periods after the cohort period to follow'),
});

export interface RetentionParams {
  from: number;
  to: number;
  workspace?: string | undefined;
  period: Period;
  periods: number;
}

export interface Cohort {
  /** Start of the cohort period, YYYY-MM-DD (UTC). */
  cohort: string;
  /** Users whose first-ever active day falls in the cohort period. */
  users: number;
  /** retained[k]: cohort users active in the k-th period after it; retained[0] = users. */
  retained: number[];
  /** retained[k] / users; null for an empty cohort. */
  rates: Array<number | null>;
}

export interface RetentionResult {
  period: Period;
  cohorts: Cohort[];
}

/** Start of the period holding `ts`. */
export function periodStart(ts: number, period: Period): number {
  if (period === 'week') return bucketStart(ts, 'week', 'UTC');
  const d = new Date(ts);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** Start of the period `k` periods after the one starting at `start` (k may be negative). */
export function addPeriods(start: number, k: number, period: Period): number {
  if (period === 'week') return start + k * 7 * 86_400_000;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + k, 1);
}

/**
 * Resolves the defaults of {@link retentionParams}: `to` now, `from` the start of the period
 * `periods` periods before the one holding `to`, so that the default answer is a full triangle
 * (the oldest cohort followed for all `periods` periods).
 */
export function retentionRange(
  p: { from?: number | undefined; to?: number | undefined; period: Period; periods: number },
  now: number,
): { from: number; to: number } {
  const to = p.to ?? now;
  const from = p.from ?? addPeriods(periodStart(to - 1, p.period), -p.periods, p.period);
  return resolveRange({ from, to }, now);
}

/** The named-query runner: validated parameters and the clock in, the answer out. */
export async function runRetention(
  store: Store,
  p: z.output<typeof retentionParams>,
  now: number,
): Promise<RetentionResult> {
  return retention(store, { ...p, ...retentionRange(p, now) });
}

/**
 * Retention of every cohort whose period starts in [from, to). Periods are counted whole: a
 * cohort holds every user whose first day is in its period, and retained[k] is reported for each
 * period k = 0 … `periods` that starts before `to` (so recent cohorts have shorter rows).
 */
export async function retention(store: Store, p: RetentionParams): Promise<RetentionResult> {
  const plan = planPeriods(p);
  if (plan.cohorts === 0) return { period: p.period, cohorts: [] };
  const counts = await readCohortActivity(store.reader, plan, p.workspace);
  const cohorts: Cohort[] = [];
  for (let c = 0; c < plan.cohorts; c++) {
    const last = Math.min(c + p.periods, plan.bounds.length - 2);
    const retained: number[] = [];
    for (let k = c; k <= last; k++) retained.push(counts.get(`${c}:${k}`) ?? 0);
    const users = retained[0] ?? 0;
    cohorts.push({
      cohort: new Date(plan.bounds[c]!).toISOString().slice(0, 10),
      users,
      retained,
      rates: retained.map((n) => (users === 0 ? null : n / users)),
    });
  }
  return { period: p.period, cohorts };
}

/**
 * The periods involved, by index from the first cohort: bounds[i] is the start of period i, and
 * the last bound ends the last period that both starts before `to` and lies within `periods` of
 * a cohort. The first `cohorts` periods are the cohorts.
 */
interface PeriodPlan {
  bounds: number[];
  cohorts: number;
}

function planPeriods(p: RetentionParams): PeriodPlan {
  let first = periodStart(p.from, p.period);
  if (first < p.from) first = addPeriods(first, 1, p.period);
  const bounds = [first];
  const at = (i: number) => addPeriods(first, i, p.period);
  let cohorts = 0;
  while (at(cohorts) < p.to) cohorts++;
  // Follow the last cohort `periods` periods, but not into periods that start at or after `to`.
  for (let i = 1; i < cohorts + p.periods && at(i) < p.to; i++) bounds.push(at(i));
  bounds.push(at(bounds.length));
  return { bounds, cohorts };
}

/**
 * Distinct cohort users per (cohort period, activity period), keyed "c:k". Two CTEs: the cohort
 * users (each user's first day in the cohort periods, kept when a NOT EXISTS seek on the index
 * (workspace, user_id, day) finds no earlier day — one seek per user, not per row), then their
 * active periods, one row per user and period.
 */
async function readCohortActivity(
  db: Kysely<Database>,
  plan: PeriodPlan,
  workspace: string | undefined,
): Promise<Map<string, number>> {
  const { bounds, cohorts } = plan;
  const start = bounds[0]!;
  const rows = await db
    .with('firsts', (db) => {
      let q = db
        .selectFrom('user_days as u')
        .select((eb) => ['u.workspace', 'u.user_id', eb.fn.min('u.day').as('first')])
        .where('u.day', '>=', start)
        .where('u.day', '<', bounds[cohorts]!)
        .groupBy(['u.workspace', 'u.user_id'])
        .having((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('user_days as p')
                .select(sql.lit(1).as('one'))
                .whereRef('p.workspace', '=', 'u.workspace')
                .whereRef('p.user_id', '=', 'u.user_id')
                .where('p.day', '<', start),
            ),
          ),
        );
      if (workspace !== undefined) q = q.where('u.workspace', '=', workspace);
      return q;
    })
    .with('activity', (db) =>
      db
        .selectFrom('firsts as f')
        .innerJoin('user_days as a', (j) =>
          j.onRef('a.workspace', '=', 'f.workspace').onRef('a.user_id', '=', 'f.user_id'),
        )
        .select([
          'f.workspace',
          'f.user_id',
          periodIndex('f.first', bounds).as('c'),
          periodIndex('a.day', bounds).as('k'),
        ])
        .distinct()
        .where('a.day', '>=', start)
        .where('a.day', '<', bounds[bounds.length - 1]!),
    )
    .selectFrom('activity')
    .select((eb) => ['activity.c', 'activity.k', eb.fn.countAll().as('users')])
    .groupBy(['activity.c', 'activity.k'])
    .execute();
  return new Map(rows.map((r) => [`${Number(r.c)}:${Number(r.k)}`, Number(r.users)]));
}

/**
 * The index of the period holding a day, as CASE over the period bounds: months have no fixed
 * length, and date functions differ between engines, so the bounds are computed here and the
 * comparison is plain SQL. Days outside [bounds[0], last bound) are filtered out beforehand.
 */
function periodIndex(day: string, bounds: readonly number[]): RawBuilder<number> {
  const whens = bounds.slice(1).map((b, i) => sql`when ${sql.ref(day)} < ${b} then ${sql.lit(i)}`);
  return sql<number>`case ${sql.join(whens, sql` `)} end`;
}
