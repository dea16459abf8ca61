import type { SeedView } from '../adapter.js';
import type { ApSql } from './view-sql.js';

const DAY = 86_400_000;

/**
 * analytics.mv_active_users and analytics.user_cohorts over `user_days`, the exact per-user
 * per-day activity that Cairn's active_users and retention queries read, so the views and the
 * queries agree by construction. Days are UTC days.
 */
export function userViews(s: ApSql): SeedView[] {
  return [
    { name: s.rel('mv_active_users'), select: activeUsers(s) },
    { name: s.rel('user_cohorts'), select: cohorts(s) },
  ];
}

/**
 * One row per workspace and day with any activity. The seed's WAU and MAU filters compare each
 * row's own date with today, which leaves them equal to DAU or zero; here they are the rolling
 * windows Cairn's active_users query reports: users active in the 7 (30) days ending that day.
 */
function activeUsers(s: ApSql): string {
  return `select ${s.date('d.day')} as activity_date, d.workspace as workspace_id,
      count(distinct case when u.day = d.day then u.user_id end) as daily_active_users,
      count(distinct case when u.day > d.day - ${7 * DAY} then u.user_id end)
        as weekly_active_users,
      count(distinct u.user_id) as monthly_active_users
    from (select distinct workspace, day from user_days) d
    join user_days u on u.workspace = d.workspace and u.day <= d.day
      and u.day > d.day - ${30 * DAY}
    group by d.workspace, d.day`;
}

/** A cohort period: how a day maps to its period's index, that index's start, and the keys. */
interface Period {
  name: 'daily' | 'weekly' | 'monthly';
  /** An epoch-ms day → an integer index of its period, consecutive periods one apart. */
  index(dayMs: string): string;
  /** A period index → its first day, as the seed's DATE. */
  start(index: string): string;
  /** retention_data keys: periods after the cohort's own. */
  keys: Record<string, number>;
}

function periods(s: ApSql): Period[] {
  const days = (d: string) => `((${d}) / ${DAY})`;
  const monthIndex = s.pg
    ? (d: string) => {
        const t = `(to_timestamp((${d}) / 1000.0) at time zone 'UTC')`;
        return `(extract(year from ${t})::int * 12 + extract(month from ${t})::int - 1)`;
      }
    : (d: string) => {
        const part = (f: string) => `cast(strftime('${f}', (${d}) / 1000, 'unixepoch') as integer)`;
        return `(${part('%Y')} * 12 + ${part('%m')} - 1)`;
      };
  const monthStart = s.pg
    ? (i: string) => `make_date((${i}) / 12, (${i}) % 12 + 1, 1)`
    : (i: string) => `printf('%04d-%02d-01', (${i}) / 12, (${i}) % 12 + 1)`;
  return [
    {
      name: 'daily',
      index: days,
      start: (i) => s.date(`(${i}) * ${DAY}`),
      keys: { day_1: 1, day_7: 7, day_30: 30 },
    },
    {
      // ISO weeks: day 0 (1970-01-01) was a Thursday, so day + 3 counts from a Monday.
      name: 'weekly',
      index: (d) => `((${days(d)} + 3) / 7)`,
      start: (i) => s.date(`((${i}) * 7 - 3) * ${DAY}`),
      keys: { week_1: 1, week_2: 2, week_3: 3, week_4: 4 },
    },
    {
      name: 'monthly',
      index: monthIndex,
      start: monthStart,
      keys: { month_1: 1, month_2: 2, month_3: 3 },
    },
  ];
}

/**
 * Cohorts by the period of each user's first-ever active day. retention_data["day_7"] is the
 * percentage of the cohort active in the 7th period after its own (null until that period has
 * begun); churn_rate is the percentage not active in the last period listed. No revenue is
 * reported to Cairn, so ltv_estimate and avg_revenue_per_user are null.
 */
function cohorts(s: ApSql): string {
  const today = s.dayKey(s.nowMs);
  const nothing = s.pg ? 'double precision' : 'real';
  return periods(s)
    .map((p) => {
      const rate = (k: number) => `case when c + ${k} <= ${p.index(today)} then
        100.0 * count(distinct case when k = ${k} then user_id end) / count(distinct user_id) end`;
      const keys = Object.entries(p.keys);
      const data = s.object(...keys.flatMap(([key, k]) => [`'${key}'`, rate(k)]));
      const last = keys[keys.length - 1]![1];
      return `select '${p.name}' as cohort_period, ${p.start('c')} as cohort_date,
          workspace as workspace_id, count(distinct user_id) as initial_users,
          ${data} as retention_data,
          cast(null as ${nothing}) as ltv_estimate, cast(null as ${nothing}) as avg_revenue_per_user,
          100 - (${rate(last)}) as churn_rate
        from (select f.workspace, f.user_id, ${p.index('f.first_day')} as c,
            ${p.index('u.day')} - ${p.index('f.first_day')} as k
          from (select workspace, user_id, min(day) as first_day from user_days
            group by workspace, user_id) f
          join user_days u on u.workspace = f.workspace and u.user_id = f.user_id) x
        group by workspace, c`;
    })
    .join('\nunion all\n');
}
