import type { SummaryRow } from '../query/summary.js';

/**
 * The metrics a rule can watch, declared as data: each reads one number from a row of the query
 * layer's summary (the same numbers GET /v1/summary serves), or — for JSON-RPC error counts,
 * which no summary column holds — from the error codes of failed events. `type` pins the event
 * type a metric is about; a rule's own `type` narrows the others.
 */
export interface AlertMetricDef {
  readonly description: string;
  readonly source: 'summary' | 'jsonrpc';
  readonly type?: 'tool_call';
  /**
   * True for sums: a group the query no longer returns had no events, so its value is 0.
   * Ratios and quantiles have no value without events, so an absent group has no data.
   */
  readonly sum: boolean;
  /** A ratio or quantile of the summary row: a rule's min_requests may hold it back. */
  readonly gatedByVolume: boolean;
  /** The value of one summary row; null when it is undefined (a ratio over no events). */
  readonly value: (row: SummaryRow, budgetUsd: number | undefined) => number | null;
}

function summaryMetric(
  sum: boolean,
  description: string,
  value: AlertMetricDef['value'],
  type?: 'tool_call',
): AlertMetricDef {
  const def = { description, source: 'summary', sum, gatedByVolume: !sum, value } as const;
  return type ? { ...def, type } : def;
}

const errorRate = (r: SummaryRow) => (r.requests === 0 ? null : r.errors / r.requests);

export const ALERT_METRICS = {
  requests: summaryMetric(true, 'events in the window (volume)', (r) => r.requests),
  errors: summaryMetric(true, 'failed events (status error or timeout)', (r) => r.errors),
  error_rate: summaryMetric(false, 'errors / requests, 0..1; no data without events', errorRate),
  latency_avg: summaryMetric(false, 'mean duration, ms', (r) => r.duration_ms.avg),
  latency_p50: summaryMetric(false, 'median duration, ms (±1 %)', (r) => r.duration_ms.p50),
  latency_p95: summaryMetric(
    false,
    '95th percentile duration, ms (±1 %)',
    (r) => r.duration_ms.p95,
  ),
  latency_p99: summaryMetric(
    false,
    '99th percentile duration, ms (±1 %)',
    (r) => r.duration_ms.p99,
  ),
  latency_max: summaryMetric(false, 'longest duration, ms', (r) => r.duration_ms.max),
  cost_usd: summaryMetric(true, 'cost in USD over the window', (r) => r.cost_usd),
  tokens: summaryMetric(true, 'input + output tokens', (r) => r.input_tokens + r.output_tokens),
  input_tokens: summaryMetric(true, 'input tokens', (r) => r.input_tokens),
  output_tokens: summaryMetric(true, 'output tokens', (r) => r.output_tokens),
  tool_error_rate: summaryMetric(
    false,
    'failed tool calls / tool calls, 0..1',
    errorRate,
    'tool_call',
  ),
  jsonrpc_errors: {
    description: 'failed events carrying a JSON-RPC error code (a negative integer)',
    source: 'jsonrpc',
    sum: true,
    gatedByVolume: false,
    value: () => null,
  },
  cost_budget: summaryMetric(
    true,
    'fraction of budget_usd spent over the window (rolling budget; 1 = all of it)',
    (r, budget) => (budget === undefined ? null : r.cost_usd / budget),
  ),
} as const satisfies Record<string, AlertMetricDef>;
export type AlertMetric = keyof typeof ALERT_METRICS;
