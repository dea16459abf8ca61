import { DAY, type Row } from './fixture.js';

/**
 * The seed's outputs computed straight from the rows in plain TypeScript, independently of the
 * SQL views: what each view should hold. Days and hours are UTC; percentiles are
 * percentile_cont (linear interpolation between the nearest ranks).
 */
export type ViewRows = Array<Record<string, unknown>>;

const HOUR = 3_600_000;
export const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const floorTo = (ms: number, unit: number) => Math.floor(ms / unit) * unit;
const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
const avg = (xs: readonly number[]) => (xs.length === 0 ? null : sum(xs) / xs.length);
const pct = (n: number, of: number) => (of === 0 ? null : (100 * n) / of);

export function percentileCont(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  const pos = (v.length - 1) * p;
  const lo = Math.floor(pos);
  return v[lo]! + (pos - lo) * ((v[Math.min(lo + 1, v.length - 1)] ?? v[lo]!) - v[lo]!);
}

/** A run as the views see it. */
export interface Run {
  id: string;
  ws: string;
  agent: string;
  user: string;
  status: string;
  start: number;
  runtime: number | null;
  credits: number | null;
  tokens: number | null;
  model: string;
  errorType: string | null;
  errorMessage: string | null;
  rating: number | null;
}

export interface Act {
  ws: string;
  user: string;
  session: string;
  type: string;
  t: number;
}

export function toRun(r: Row): Run {
  return {
    id: r['id'] as string,
    ws: r['workspace_id'] as string,
    agent: r['agent_id'] as string,
    user: r['user_id'] as string,
    status: r['status'] as string,
    start: Date.parse(r['started_at'] as string),
    runtime: r['runtime_seconds'] as number | null,
    credits: r['credits_consumed'] as number | null,
    tokens: r['tokens_used'] as number | null,
    model: r['model'] as string,
    errorType: r['error_type'] as string | null,
    errorMessage: r['error_message'] as string | null,
    rating: r['rating'] as number | null,
  };
}

export function toAct(r: Row): Act {
  return {
    ws: r['workspace_id'] as string,
    user: r['user_id'] as string,
    session: r['session_id'] as string,
    type: r['event_type'] as string,
    t: Date.parse(r['created_at'] as string),
  };
}

export function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    m.set(k, [...(m.get(k) ?? []), x]);
  }
  return m;
}

const countBy = <T>(xs: readonly T[], key: (x: T) => string) =>
  Object.fromEntries([...groupBy(xs, key)].map(([k, v]) => [k, v.length]));

/** Every (workspace, user) → the sorted set of UTC days they were active (activity or run). */
export function userDays(runs: readonly Run[], acts: readonly Act[]): Map<string, number[]> {
  const m = new Map<string, Set<number>>();
  const add = (ws: string, user: string, t: number) => {
    const k = `${ws}|${user}`;
    if (!m.has(k)) m.set(k, new Set());
    m.get(k)!.add(floorTo(t, DAY));
  };
  for (const r of runs) add(r.ws, r.user, r.start);
  for (const a of acts) add(a.ws, a.user, a.t);
  return new Map([...m].map(([k, s]) => [k, [...s].sort((a, b) => a - b)]));
}

function runMeasures(rs: readonly Run[]) {
  const runtimes = rs.flatMap((r) => (r.runtime === null ? [] : [r.runtime]));
  const credits = rs.flatMap((r) => (r.credits === null ? [] : [r.credits]));
  const status = (s: string) => rs.filter((r) => r.status === s).length;
  return {
    runtimes,
    credits,
    completed: status('completed'),
    failed: status('failed'),
    cancelled: status('cancelled'),
  };
}

export function dailyMetrics(runs: readonly Run[], acts: readonly Act[]): ViewRows {
  const days = userDays(runs, acts);
  const firsts = [...days].map(([k, ds]) => ({ ws: k.split('|')[0]!, first: ds[0]! }));
  const sessions = [...groupBy(acts, (a) => `${a.ws}|${a.session}`).values()].map((as) => {
    const ts = as.map((a) => a.t);
    return { ws: as[0]!.ws, start: Math.min(...ts), end: Math.max(...ts), n: as.length };
  });
  const keys = new Set([
    ...runs.map((r) => `${r.ws}|${floorTo(r.start, DAY)}`),
    ...acts.map((a) => `${a.ws}|${floorTo(a.t, DAY)}`),
  ]);
  return [...keys].map((key) => {
    const [ws, dStr] = key.split('|') as [string, string];
    const d = Number(dStr);
    const rs = runs.filter((r) => r.ws === ws && floorTo(r.start, DAY) === d);
    const ss = sessions.filter((s) => s.ws === ws && floorTo(s.start, DAY) === d);
    const active = [...days].filter(([k, ds]) => k.startsWith(`${ws}|`) && ds.includes(d)).length;
    const fresh = firsts.filter((f) => f.ws === ws && f.first === d).length;
    const m = runMeasures(rs);
    const byAgent = Object.entries(countBy(rs, (r) => r.agent)).sort(
      (a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1),
    );
    const failed = rs.filter((r) => r.status === 'failed');
    return {
      metric_date: date(d),
      workspace_id: ws,
      total_users: firsts.filter((f) => f.ws === ws && f.first <= d).length,
      active_users: active,
      new_users: fresh,
      returning_users: active - fresh,
      total_sessions: ss.length,
      avg_session_duration_seconds: avg(ss.map((s) => (s.end - s.start) / 1000)),
      bounce_rate: pct(ss.filter((s) => s.n === 1).length, ss.length) ?? null,
      total_runs: rs.length,
      successful_runs: m.completed,
      failed_runs: m.failed,
      cancelled_runs: m.cancelled,
      avg_runtime_seconds: avg(m.runtimes),
      median_runtime_seconds: percentileCont(m.runtimes, 0.5),
      p95_runtime_seconds: percentileCont(m.runtimes, 0.95),
      p99_runtime_seconds: percentileCont(m.runtimes, 0.99),
      total_credits_consumed: sum(m.credits),
      avg_credits_per_run: avg(m.credits),
      credits_by_model: Object.fromEntries(
        [...groupBy(rs, (r) => r.model)].map(([k, v]) => [k, sum(v.map((r) => r.credits ?? 0))]),
      ),
      unique_agents_run: new Set(rs.map((r) => r.agent)).size,
      top_agents: byAgent.slice(0, 5).map(([agent_id, n]) => ({ agent_id, runs: n })),
      total_errors: failed.length,
      error_rate: pct(failed.length, rs.length),
      errors_by_type: countBy(failed, (r) => r.errorType ?? 'unknown'),
    };
  });
}

export function hourlyMetrics(runs: readonly Run[], acts: readonly Act[]): ViewRows {
  const who = [...runs.map((r) => ({ ws: r.ws, user: r.user, t: r.start })), ...acts];
  return [...groupBy(who, (x) => `${x.ws}|${floorTo(x.t, HOUR)}`)].map(([key, xs]) => {
    const [ws, h] = key.split('|') as [string, string];
    const rs = runs.filter((r) => r.ws === ws && floorTo(r.start, HOUR) === Number(h));
    const m = runMeasures(rs);
    const avgRuntime = avg(m.runtimes);
    return {
      metric_hour: new Date(Number(h)).toISOString(),
      workspace_id: ws,
      active_users: new Set(xs.map((x) => x.user)).size,
      total_runs: rs.length,
      successful_runs: m.completed,
      failed_runs: m.failed,
      total_credits: sum(m.credits),
      avg_response_time_ms: avgRuntime === null ? null : avgRuntime * 1000,
      p95_response_time_ms: percentileCont(
        m.runtimes.map((x) => x * 1000),
        0.95,
      ),
    };
  });
}

export function agentPerformance(runs: readonly Run[]): ViewRows {
  return [...groupBy(runs, (r) => `${r.ws}|${r.agent}|${floorTo(r.start, DAY)}`)].map(([, rs]) => {
    const m = runMeasures(rs);
    const tokens = rs.flatMap((r) => (r.tokens === null ? [] : [r.tokens]));
    const ratings = rs.flatMap((r) => (r.rating === null ? [] : [r.rating]));
    const failed = rs.filter((r) => r.status === 'failed');
    const reasons = Object.entries(
      countBy(
        failed.filter((r) => r.errorMessage !== null),
        (r) => r.errorMessage!,
      ),
    ).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    return {
      agent_id: rs[0]!.agent,
      metric_date: date(rs[0]!.start),
      workspace_id: rs[0]!.ws,
      total_runs: rs.length,
      successful_runs: m.completed,
      failed_runs: m.failed,
      cancelled_runs: m.cancelled,
      avg_runtime_seconds: avg(m.runtimes),
      min_runtime_seconds: m.runtimes.length ? Math.min(...m.runtimes) : null,
      max_runtime_seconds: m.runtimes.length ? Math.max(...m.runtimes) : null,
      p50_runtime_seconds: percentileCont(m.runtimes, 0.5),
      p75_runtime_seconds: percentileCont(m.runtimes, 0.75),
      p95_runtime_seconds: percentileCont(m.runtimes, 0.95),
      p99_runtime_seconds: percentileCont(m.runtimes, 0.99),
      total_credits: sum(m.credits),
      avg_credits_per_run: avg(m.credits),
      total_tokens_used: sum(tokens),
      avg_tokens_per_run: avg(tokens),
      unique_users: new Set(rs.map((r) => r.user)).size,
      avg_user_rating: avg(ratings),
      total_feedback_count: ratings.length,
      error_types: countBy(failed, (r) => r.errorType ?? 'unknown'),
      common_failure_reasons: reasons.slice(0, 5).map(([reason, count]) => ({ reason, count })),
    };
  });
}

export function topAgents(
  runs: readonly Run[],
  names: ReadonlyMap<string, string>,
  now: number,
): ViewRows {
  const recent = runs.filter((r) => r.start >= now - 30 * DAY);
  return [...groupBy(recent, (r) => `${r.ws}|${r.agent}`)].map(([, rs]) => {
    const m = runMeasures(rs);
    return {
      agent_id: rs[0]!.agent,
      agent_name: names.get(rs[0]!.agent) ?? null,
      workspace_id: rs[0]!.ws,
      total_runs_30d: rs.length,
      successful_runs_30d: m.completed,
      success_rate: pct(m.completed, rs.length) ?? 0,
      avg_runtime: avg(m.runtimes),
      median_runtime: percentileCont(m.runtimes, 0.5),
      total_credits_30d: sum(m.credits),
      unique_users_30d: new Set(rs.map((r) => r.user)).size,
      last_run_at: new Date(Math.max(...rs.map((r) => r.start))).toISOString(),
    };
  });
}

export function workspaceSummary(
  reference: readonly Row[],
  runs: readonly Run[],
  now: number,
): ViewRows {
  const recent = runs.filter((r) => r.start >= now - 30 * DAY);
  return reference
    .filter((r) => r.table === 'workspaces')
    .map((w) => {
      const ws = w['id'] as string;
      const rs = recent.filter((r) => r.ws === ws);
      const members = reference.filter(
        (r) => r.table === 'workspace_members' && r['workspace_id'] === ws,
      );
      return {
        workspace_id: ws,
        workspace_name: w['name'],
        total_members: new Set(members.map((m) => m['user_id'])).size,
        total_agents: reference.filter((r) => r.table === 'agents' && r['workspace_id'] === ws)
          .length,
        total_runs_30d: rs.length,
        total_credits_30d: sum(runMeasures(rs).credits),
        avg_runtime_30d: avg(runMeasures(rs).runtimes),
        active_users_30d: new Set(rs.map((r) => r.user)).size,
      };
    });
}
