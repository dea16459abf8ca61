import { DAY } from './fixture.js';
import { date, floorTo, groupBy, userDays, type Act, type Run, type ViewRows } from './expected.js';

/**
 * mv_active_users and user_cohorts computed straight from the rows: every (workspace, user, UTC
 * day) with an activity row or a run start is an active day.
 */

export function activeUsers(runs: readonly Run[], acts: readonly Act[]): ViewRows {
  const days = [...userDays(runs, acts)].flatMap(([k, ds]) =>
    ds.map((d) => ({ ws: k.split('|')[0]!, user: k, d })),
  );
  return [...groupBy(days, (x) => `${x.ws}|${x.d}`)].map(([, xs]) => {
    const { ws, d } = xs[0]!;
    const within = (w: number) =>
      new Set(days.filter((x) => x.ws === ws && x.d <= d && x.d > d - w * DAY).map((x) => x.user))
        .size;
    return {
      activity_date: date(d),
      workspace_id: ws,
      daily_active_users: xs.length,
      weekly_active_users: within(7),
      monthly_active_users: within(30),
    };
  });
}

const PERIODS = {
  daily: {
    index: (d: number) => d / DAY,
    start: (i: number) => date(i * DAY),
    keys: { day_1: 1, day_7: 7, day_30: 30 },
  },
  weekly: {
    index: (d: number) => Math.floor((d / DAY + 3) / 7),
    start: (i: number) => date((i * 7 - 3) * DAY),
    keys: { week_1: 1, week_2: 2, week_3: 3, week_4: 4 },
  },
  monthly: {
    index: (d: number) => new Date(d).getUTCFullYear() * 12 + new Date(d).getUTCMonth(),
    start: (i: number) => date(Date.UTC(Math.floor(i / 12), i % 12, 1)),
    keys: { month_1: 1, month_2: 2, month_3: 3 },
  },
};

export function cohorts(runs: readonly Run[], acts: readonly Act[], now: number): ViewRows {
  const users = [...userDays(runs, acts)].map(([k, ds]) => ({ ws: k.split('|')[0]!, days: ds }));
  return Object.entries(PERIODS).flatMap(([name, p]) => {
    const today = p.index(floorTo(now, DAY));
    return [...groupBy(users, (u) => `${u.ws}|${p.index(u.days[0]!)}`)].map(([key, us]) => {
      const c = Number(key.split('|')[1]);
      const rate = (k: number) =>
        c + k > today
          ? null
          : (100 * us.filter((u) => u.days.some((d) => p.index(d) - c === k)).length) / us.length;
      const keys = Object.entries(p.keys);
      const churn = rate(keys[keys.length - 1]![1]);
      return {
        cohort_period: name,
        cohort_date: p.start(c),
        workspace_id: us[0]!.ws,
        initial_users: us.length,
        retention_data: Object.fromEntries(keys.map(([k, n]) => [k, rate(n)])),
        ltv_estimate: null,
        avg_revenue_per_user: null,
        churn_rate: churn === null ? null : 100 - churn,
      };
    });
  });
}
