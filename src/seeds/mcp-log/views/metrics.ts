import type { SeedView } from '../../adapter.js';
import { percentileOfRanked } from '../../sql.js';
import type { McpSql } from './fragments.js';

const HOUR_MS = 3_600_000;

/**
 * performance_metrics: per tool and UTC hour, the exact p50 / p95 / p99 (percentile_cont) of
 * the durations of every tool_call event that has one, its mean, and throughput in executions
 * per second over the hour. Memory and CPU are not in a JSON-RPC log: null.
 */
export function performanceMetricsView(q: McpSql): SeedView {
  // Rows are ranked per integer hour; the ISO text is made once per group, not per event.
  const hourMs = `(e.ts / ${HOUR_MS}) * ${HOUR_MS}`;
  const group = `e.workspace, e.tool, ${hourMs}`;
  const hour = q.hourIso('hour_ms');
  return {
    name: 'performance_metrics',
    select: `select workspace || ' ' || tool_name || ' ' || ${hour} as id, null as session_id,
    ${hour} as timestamp, 'tool_execution' as metric_type, 'duration_ms' as metric_name,
    avg(v) as duration_ms, ${q.ratio('count(*)', '3600')} as throughput,
    null as memory_mb, null as cpu_percent, tool_name, null as agent_id,
    ${percentileOfRanked(0.5)} as p50_ms, ${percentileOfRanked(0.95)} as p95_ms,
    ${percentileOfRanked(0.99)} as p99_ms, count(*) as sample_count, workspace
  from (select e.workspace as workspace, e.tool as tool_name, ${hourMs} as hour_ms,
          e.duration_ms as v,
          row_number() over (partition by ${group} order by e.duration_ms) as rn,
          count(*) over (partition by ${group}) as n
        from events e
        where e.type = 'tool_call' and e.tool is not null and e.duration_ms is not null) ranked
  group by workspace, tool_name, hour_ms`,
  };
}

/** v_daily_tool_usage: the seed's view over tool_executions, per workspace. */
export function dailyToolUsageView(q: McpSql): SeedView {
  const errors = `sum(case when status = 'error' then 1 else 0 end)`;
  return {
    name: 'v_daily_tool_usage',
    select: `select substr(request_time, 1, 10) as date, tool_name, count(*) as execution_count,
    avg(duration_ms) as avg_duration_ms, min(duration_ms) as min_duration_ms,
    max(duration_ms) as max_duration_ms, ${errors} as error_count,
    ${q.round2(`100.0 * ${errors} / count(*)`)} as error_rate_pct, workspace
  from tool_executions
  group by workspace, substr(request_time, 1, 10), tool_name`,
  };
}
