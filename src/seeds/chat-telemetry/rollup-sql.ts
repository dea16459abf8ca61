import type { BackendKind } from '../../store/backend.js';
import { viewSql } from '../sql.js';

/**
 * Seed 003's hourly rollups (chat_telemetry_rollups, chat_telemetry_domain_rollups,
 * chat_telemetry_model_rollups) as views over Cairn's own rollup tables. Those are updated in
 * the ingest transaction, so these views are as fresh as the raw events, and a read touches one
 * row per hour and key instead of every event. The seed does not list their columns; these are
 * named like the summary views' columns. Latency is given as avg, min and max: the rollups keep
 * percentiles only as approximate (1 %) histograms, which GET /v1/timeseries reads.
 */
export type RollupKey = 'all' | 'domain' | 'model';

export interface RollupScope {
  /** Group by workspace too (a view); a trend query sums the workspaces in its scope. */
  byWorkspace: boolean;
  /** An extra condition on the rollup table (grain, bucket range, key, workspace). */
  where?: string;
}

/** The rollup table each key reads, and which of its dimensions must be present. */
const SOURCE: Record<RollupKey, { table: string; present: string }> = {
  // The domain rollups and the all-domains one read the same rows, so they add up.
  all: { table: 'rollup_context', present: 'domain' },
  domain: { table: 'rollup_context', present: 'domain' },
  model: { table: 'rollup_model', present: 'model' },
};

const big = (x: string) => `cast(${x} as bigint)`;

/** The SELECT for one of the rollup views, or (with a scope) for the hourly trend query. */
export function rollupSql(kind: BackendKind, key: RollupKey, scope: RollupScope): string {
  const s = viewSql(kind);
  const { table, present } = SOURCE[key];
  const keys = [
    ...(scope.byWorkspace ? ['workspace'] : []),
    'grain',
    'bucket',
    ...(key === 'all' ? [] : [key]),
  ];
  const ok = 'sum("count") - sum(errors)';
  return `select ${scope.byWorkspace ? 'workspace, ' : ''}grain as granularity,
    ${s.timestamp('bucket')} as bucket_start,${key === 'all' ? '' : ` ${key},`}
    ${big('sum("count")')} as total_requests,
    ${big(ok)} as successful_requests,
    ${big('sum(errors)')} as failed_requests,
    100 * ${s.ratio(ok, 'sum("count")')} as success_rate_pct,
    (cast(sum(cost_nanos) as double precision) / 1e9) as total_cost_usd,
    ${big('sum(input_tokens)')} as total_input_tokens,
    ${big('sum(output_tokens)')} as total_output_tokens,
    ${big('sum(input_tokens) + sum(output_tokens)')} as total_tokens,
    (${s.ratio('sum(duration_sum_us)', 'sum(duration_count)')} / 1000) as avg_duration_ms,
    (cast(min(duration_min_us) as double precision) / 1000) as min_duration_ms,
    (cast(max(duration_max_us) as double precision) / 1000) as max_duration_ms
  from ${table}
  where type = 'llm_call' and grain in ('hour', 'day') and ${present} <> ''${
    scope.where ? ` and (${scope.where})` : ''
  }
  group by ${keys.join(', ')}`;
}
