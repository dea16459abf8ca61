import type { BackendKind } from '../../store/backend.js';
import { percentileOfRanked, viewSql, type ViewSql } from '../sql.js';

/**
 * The SELECTs behind seed 003's two summary views, over raw `llm_call` events. The seed
 * materialised them and refreshed hourly; here they are plain views, computed at every read, so
 * they are never stale. Raw events rather than rollups because the views need exact medians and
 * 95th percentiles per domain and per model, and the domain's most used model — pairs no rollup
 * keeps. The cost is a scan of the workspace's llm_call events per read (an index range on
 * (workspace, ts) when filtered by workspace), fine for the seed's scale (thousands of rows).
 */
export interface SummaryScope {
  /** SQL for "now" in epoch ms: the database clock in a view, a fixed value in a query. */
  now: string;
  /** An extra condition on `events` (a query's workspace filter, with bound parameters). */
  where?: string;
}

const DAY_MS = 86_400_000;

/** Epoch ms of the database clock, as SQL: what a view's last-24h and last-7d windows end at. */
export function databaseNow(kind: BackendKind): string {
  return kind === 'sqlite'
    ? `((julianday('now') - 2440587.5) * ${DAY_MS})`
    : '(extract(epoch from now()) * 1000)';
}

/**
 * Columns of `events` both views read, with tokens added and the two counters unpacked. The
 * views use it as a MATERIALIZED CTE, so the events are read once for the percentiles, the
 * aggregates and the most used model: SQLite would otherwise inline it into each use.
 */
function base(s: ViewSql, key: 'domain' | 'model', scope: SummaryScope): string {
  return `select workspace, domain, model, ts, status, duration_ms, cost_nanos,
      input_tokens, output_tokens, input_tokens + output_tokens as tokens,
      ${s.jsonNumber('counters', 'searches')} as searches,
      ${s.jsonNumber('counters', 'iterations')} as iterations
    from events
    where type = 'llm_call' and ${key} is not null${scope.where ? ` and (${scope.where})` : ''}`;
}

/** Median and 95th percentile of duration per key: exact percentile_cont on both engines. */
function percentiles(key: string): string {
  return `select workspace, ${key}, ${percentileOfRanked(0.5)} as p50, ${percentileOfRanked(0.95)} as p95
    from (select workspace, ${key}, duration_ms as v,
            row_number() over (partition by workspace, ${key} order by duration_ms) as rn,
            count(*) over (partition by workspace, ${key}) as n
          from base where duration_ms is not null) ranked
    group by workspace, ${key}`;
}

const usd = (nanos: string) => `(cast(${nanos} as double precision) / 1e9)`;
const dbl = (x: string) => `cast(${x} as double precision)`;
const big = (x: string) => `cast(${x} as bigint)`;
const ok = `sum(case when status = 'ok' then 1 else 0 end)`;
const within = (now: string, days: number) => `ts >= ${now} - ${days * DAY_MS}`;

/** Measures shared by both views, named as the domain view names them. */
function shared(s: ViewSql): Record<string, string> {
  return {
    successful: big(ok),
    success_rate_pct: `100 * ${s.ratio(ok, 'count(*)')}`,
    total_cost: usd('coalesce(sum(cost_nanos), 0)'),
    avg_cost_per_request: usd('avg(cost_nanos)'),
    total_tokens: big('sum(tokens)'),
    avg_tokens_per_request: dbl('avg(tokens)'),
    avg_duration_ms: dbl('avg(duration_ms)'),
    avg_searches_per_request: dbl('avg(searches)'),
    avg_iterations_per_request: dbl('avg(iterations)'),
    // The newest event of the workspace: where the seed had its refresh time. Per workspace, so
    // no tenant's row tells of another's activity, and a query scoped to one gives the same.
    materialized_at: s.timestamp('max(max(ts)) over (partition by workspace)'),
  };
}

/** chat_telemetry_domain_summary: one row per workspace and domain, the seed's columns in order. */
export function domainSummarySql(kind: BackendKind, scope: SummaryScope): string {
  const s = viewSql(kind);
  const m = shared(s);
  const now = scope.now;
  return `with base as materialized (${base(s, 'domain', scope)}),
  pct as (${percentiles('domain')}),
  models as (
    select workspace, domain, model,
      row_number() over (partition by workspace, domain order by count(*) desc, model) as pick
    from base where model is not null group by workspace, domain, model),
  agg as (
    select workspace, domain,
      ${big('count(*)')} as total_requests_all_time,
      ${m.successful} as successful_requests_all_time,
      ${m.success_rate_pct} as success_rate_pct,
      ${m.total_cost} as total_cost_usd_all_time,
      ${m.avg_cost_per_request} as avg_cost_per_request,
      ${usd('max(cost_nanos)')} as max_cost_single_request,
      ${big('sum(input_tokens)')} as total_input_tokens,
      ${big('sum(output_tokens)')} as total_output_tokens,
      ${m.total_tokens} as total_tokens,
      ${m.avg_tokens_per_request} as avg_tokens_per_request,
      ${m.avg_duration_ms} as avg_duration_ms,
      ${dbl('max(duration_ms)')} as max_duration_ms,
      ${m.avg_searches_per_request} as avg_searches_per_request,
      ${big('coalesce(sum(searches), 0)')} as total_searches,
      ${m.avg_iterations_per_request} as avg_iterations_per_request,
      ${big('count(distinct model)')} as unique_models_used,
      ${s.timestamp('min(ts)')} as first_request_at,
      ${s.timestamp('max(ts)')} as last_request_at,
      ${big(`sum(case when ${within(now, 1)} then 1 else 0 end)`)} as requests_last_24h,
      ${usd(`coalesce(sum(case when ${within(now, 1)} then cost_nanos end), 0)`)} as cost_last_24h,
      ${big(`sum(case when ${within(now, 7)} then 1 else 0 end)`)} as requests_last_7d,
      ${usd(`coalesce(sum(case when ${within(now, 7)} then cost_nanos end), 0)`)} as cost_last_7d,
      ${m.materialized_at} as materialized_at
    from base group by workspace, domain)
  select a.workspace, a.domain, a.total_requests_all_time, a.successful_requests_all_time,
    a.success_rate_pct, a.total_cost_usd_all_time, a.avg_cost_per_request,
    a.max_cost_single_request, a.total_input_tokens, a.total_output_tokens, a.total_tokens,
    a.avg_tokens_per_request, a.avg_duration_ms, ${dbl('p.p50')} as median_duration_ms,
    ${dbl('p.p95')} as p95_duration_ms, a.max_duration_ms, a.avg_searches_per_request,
    a.total_searches, a.avg_iterations_per_request, mu.model as most_used_model,
    a.unique_models_used, a.first_request_at, a.last_request_at, a.requests_last_24h,
    a.cost_last_24h, a.requests_last_7d, a.cost_last_7d, a.materialized_at
  from agg a
  left join pct p on p.workspace = a.workspace and p.domain = a.domain
  left join models mu on mu.workspace = a.workspace and mu.domain = a.domain and mu.pick = 1`;
}

/** chat_telemetry_model_summary: one row per workspace and model, the seed's columns in order. */
export function modelSummarySql(kind: BackendKind, scope: SummaryScope): string {
  const s = viewSql(kind);
  const m = shared(s);
  const now = scope.now;
  // Cost per 1k tokens over the calls that have a cost: an unpriced call must not dilute it.
  const pricedTokens = 'sum(case when cost_nanos is not null then tokens end)';
  return `with base as materialized (${base(s, 'model', scope)}),
  pct as (${percentiles('model')}),
  agg as (
    select workspace, model,
      ${big('count(*)')} as total_uses,
      ${big('count(distinct domain)')} as unique_domains,
      ${m.successful} as successful_requests,
      ${m.success_rate_pct} as success_rate_pct,
      ${m.total_cost} as total_cost,
      ${m.avg_cost_per_request} as avg_cost_per_request,
      (${s.ratio('sum(cost_nanos)', pricedTokens)} / 1e6) as cost_per_1k_tokens,
      ${m.avg_duration_ms} as avg_duration_ms,
      ${m.avg_tokens_per_request} as avg_tokens_per_request,
      ${dbl('avg(input_tokens)')} as avg_input_tokens,
      ${dbl('avg(output_tokens)')} as avg_output_tokens,
      ${m.total_tokens} as total_tokens,
      ${m.avg_searches_per_request} as avg_searches_per_request,
      ${m.avg_iterations_per_request} as avg_iterations_per_request,
      ${s.timestamp('min(ts)')} as first_used_at,
      ${s.timestamp('max(ts)')} as last_used_at,
      ${big(`sum(case when ${within(now, 1)} then 1 else 0 end)`)} as uses_last_24h,
      ${big(`sum(case when ${within(now, 7)} then 1 else 0 end)`)} as uses_last_7d,
      ${m.materialized_at} as materialized_at
    from base group by workspace, model)
  select a.workspace, a.model, a.total_uses, a.unique_domains, a.successful_requests,
    a.success_rate_pct, a.total_cost, a.avg_cost_per_request, a.cost_per_1k_tokens,
    a.avg_duration_ms, ${dbl('p.p95')} as p95_duration_ms, a.avg_tokens_per_request,
    a.avg_input_tokens, a.avg_output_tokens, a.total_tokens, a.avg_searches_per_request,
    a.avg_iterations_per_request, a.first_used_at, a.last_used_at, a.uses_last_24h,
    a.uses_last_7d, a.materialized_at
  from agg a left join pct p on p.workspace = a.workspace and p.model = a.model`;
}
