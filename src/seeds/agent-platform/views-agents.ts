import type { SeedView } from '../adapter.js';
import { FORMAT } from './to-events.js';
import { percentiles, type ApSql } from './view-sql.js';

/** How many distinct failure messages `common_failure_reasons` lists, most frequent first. */
export const FAILURE_REASONS = 5;
const THIRTY_DAYS = 30 * 86_400_000;

/** analytics.agent_performance, mv_top_agents and mv_workspace_summary. */
export function agentViews(s: ApSql): SeedView[] {
  return [
    { name: s.rel('agent_performance'), select: performance(s) },
    { name: s.rel('mv_top_agents'), select: topAgents(s) },
    { name: s.rel('mv_workspace_summary'), select: workspaceSummary(s) },
  ];
}

/** Per agent and UTC day of the run's start. */
function performance(s: ApSql): string {
  const g = ['workspace_id', 'agent_id', 'd'];
  const on = (t: string) => g.map((c) => `${t}.${c} = r.${c}`).join(' and ');
  const pct = percentiles('runs', g, 'runtime_seconds', {
    p50: 0.5,
    p75: 0.75,
    p95: 0.95,
    p99: 0.99,
  });
  const count = (status: string) => `sum(case when status = '${status}' then 1 else 0 end)`;
  const reason = s.object(`'reason'`, 'error_message', `'count'`, 'n');
  // MATERIALIZED: one read of the runs for the four aggregates below (see views-metrics.ts).
  return `with runs as materialized (select r.*, ${s.dayKey('r.started_ms')} as d
        from ${s.rel('agent_platform_runs')} r),
    measures as (select workspace_id, agent_id, d, count(*) as total_runs,
        ${count('completed')} as successful_runs, ${count('failed')} as failed_runs,
        ${count('cancelled')} as cancelled_runs,
        avg(runtime_seconds) as avg_runtime_seconds, min(runtime_seconds) as min_runtime_seconds,
        max(runtime_seconds) as max_runtime_seconds,
        coalesce(sum(credits_consumed), 0) as total_credits,
        avg(credits_consumed) as avg_credits_per_run,
        coalesce(sum(tokens_used), 0) as total_tokens_used, avg(tokens_used) as avg_tokens_per_run,
        count(distinct user_id) as unique_users, avg(rating) as avg_user_rating,
        count(rating) as total_feedback_count
      from runs group by workspace_id, agent_id, d),
    types as (select workspace_id, agent_id, d, ${s.objectAgg('error_type', 'n')} as error_types
      from (select workspace_id, agent_id, d, coalesce(error_type, 'unknown') as error_type,
          count(*) as n
        from runs where status = 'failed'
        group by workspace_id, agent_id, d, coalesce(error_type, 'unknown')) t
      group by workspace_id, agent_id, d),
    reasons as (select workspace_id, agent_id, d,
        ${s.arrayAgg(reason, 'n desc, error_message')} as common_failure_reasons
      from (select workspace_id, agent_id, d, error_message, count(*) as n,
          row_number() over (partition by workspace_id, agent_id, d
            order by count(*) desc, error_message) as rk
        from runs where status = 'failed' and error_message is not null
        group by workspace_id, agent_id, d, error_message) t
      where rk <= ${FAILURE_REASONS} group by workspace_id, agent_id, d)
    select r.agent_id, ${s.date('r.d')} as metric_date, r.workspace_id,
      r.total_runs, r.successful_runs, r.failed_runs, r.cancelled_runs,
      r.avg_runtime_seconds, r.min_runtime_seconds, r.max_runtime_seconds,
      p.p50 as p50_runtime_seconds, p.p75 as p75_runtime_seconds,
      p.p95 as p95_runtime_seconds, p.p99 as p99_runtime_seconds,
      r.total_credits, r.avg_credits_per_run, r.total_tokens_used, r.avg_tokens_per_run,
      r.unique_users, r.avg_user_rating, r.total_feedback_count,
      coalesce(t.error_types, ${s.emptyObject}) as error_types,
      coalesce(f.common_failure_reasons, ${s.emptyArray}) as common_failure_reasons
    from measures r
    left join ${pct} p on ${on('p')}
    left join types t on ${on('t')}
    left join reasons f on ${on('f')}`;
}

/** Agents by runs started in the last 30 days (the seed's window, against the current time). */
function topAgents(s: ApSql): string {
  const g = ['workspace_id', 'agent_id'];
  const pct = percentiles('recent', g, 'runtime_seconds', { median: 0.5 });
  return `with recent as materialized (select * from ${s.rel('agent_platform_runs')}
        where started_ms >= ${s.nowMs} - ${THIRTY_DAYS}),
    g as (select workspace_id, agent_id, count(*) as total_runs_30d,
        sum(case when status = 'completed' then 1 else 0 end) as successful_runs_30d,
        avg(runtime_seconds) as avg_runtime, coalesce(sum(credits_consumed), 0) as total_credits_30d,
        count(distinct user_id) as unique_users_30d, max(started_ms) as last_ms
      from recent group by workspace_id, agent_id)
    select g.agent_id, a.name as agent_name, g.workspace_id, g.total_runs_30d,
      g.successful_runs_30d,
      coalesce(100 * ${s.ratio('g.successful_runs_30d', 'g.total_runs_30d')}, 0) as success_rate,
      g.avg_runtime, p.median as median_runtime, g.total_credits_30d, g.unique_users_30d,
      ${s.instant('g.last_ms')} as last_run_at
    from g
    left join ${pct} p on p.workspace_id = g.workspace_id and p.agent_id = g.agent_id
    left join ${s.rel('agent_platform_agents')} a
      on a.workspace_id = g.workspace_id and a.id = g.agent_id
    order by g.total_runs_30d desc, g.workspace_id, g.agent_id`;
}

/**
 * One row per workspace record. Each measure is aggregated on its own table and then joined:
 * the seed's single join of members × agents × runs multiplies SUM(credits) by the member
 * count, which Cairn does not reproduce.
 */
function workspaceSummary(s: ApSql): string {
  const records = (table: string) =>
    `seed_records where format = '${FORMAT}' and seed_table = '${table}'`;
  return `with w as (select workspace as workspace_id, ${s.jsonText('data', 'name')} as workspace_name
        from ${records('workspaces')}),
    m as (select workspace as workspace_id,
        count(distinct ${s.jsonText('data', 'user_id')}) as members
      from ${records('workspace_members')} group by workspace),
    a as (select workspace as workspace_id, count(*) as agents
      from ${records('agents')} group by workspace),
    r as (select workspace_id, count(*) as runs, coalesce(sum(credits_consumed), 0) as credits,
        avg(runtime_seconds) as avg_runtime, count(distinct user_id) as users
      from ${s.rel('agent_platform_runs')} where started_ms >= ${s.nowMs} - ${THIRTY_DAYS}
      group by workspace_id)
    select w.workspace_id, w.workspace_name, coalesce(m.members, 0) as total_members,
      coalesce(a.agents, 0) as total_agents, coalesce(r.runs, 0) as total_runs_30d,
      coalesce(r.credits, 0) as total_credits_30d, r.avg_runtime as avg_runtime_30d,
      coalesce(r.users, 0) as active_users_30d
    from w
    left join m on m.workspace_id = w.workspace_id
    left join a on a.workspace_id = w.workspace_id
    left join r on r.workspace_id = w.workspace_id`;
}
