import { expect } from 'vitest';

/** The columns seed 003 lists for each view, in its order (Cairn adds `workspace` first). */
export const DOMAIN_COLUMNS = [
  'domain',
  'total_requests_all_time',
  'successful_requests_all_time',
  'success_rate_pct',
  'total_cost_usd_all_time',
  'avg_cost_per_request',
  'max_cost_single_request',
  'total_input_tokens',
  'total_output_tokens',
  'total_tokens',
  'avg_tokens_per_request',
  'avg_duration_ms',
  'median_duration_ms',
  'p95_duration_ms',
  'max_duration_ms',
  'avg_searches_per_request',
  'total_searches',
  'avg_iterations_per_request',
  'most_used_model',
  'unique_models_used',
  'first_request_at',
  'last_request_at',
  'requests_last_24h',
  'cost_last_24h',
  'requests_last_7d',
  'cost_last_7d',
  'materialized_at',
];

export const MODEL_COLUMNS = [
  'model',
  'total_uses',
  'unique_domains',
  'successful_requests',
  'success_rate_pct',
  'total_cost',
  'avg_cost_per_request',
  'cost_per_1k_tokens',
  'avg_duration_ms',
  'p95_duration_ms',
  'avg_tokens_per_request',
  'avg_input_tokens',
  'avg_output_tokens',
  'total_tokens',
  'avg_searches_per_request',
  'avg_iterations_per_request',
  'first_used_at',
  'last_used_at',
  'uses_last_24h',
  'uses_last_7d',
  'materialized_at',
];

const TEXT = new Set(['workspace', 'domain', 'model', 'most_used_model', 'granularity']);

/**
 * A row as any client returns it, made comparable: PostgreSQL clients give bigint and numeric as
 * strings and timestamptz as Date, SQLite gives ISO text.
 */
export function plain(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => {
      if (v instanceof Date) return [k, v.toISOString()];
      if (typeof v === 'string' && !TEXT.has(k) && !/_(at|start)$/.test(k)) return [k, Number(v)];
      return [k, v];
    }),
  );
}

/** Every expected field equal: numbers within 1e-9 relative, everything else exactly. */
export function expectRowClose(actual: Record<string, unknown>, expected: object, what: string) {
  expect(Object.keys(actual).sort(), what).toEqual(Object.keys(expected).sort());
  for (const [k, want] of Object.entries(expected)) {
    const got = actual[k];
    if (typeof want === 'number' && typeof got === 'number') {
      const tolerance = 1e-9 * Math.max(Math.abs(want), 1e-12);
      expect(Math.abs(got - want), `${what}.${k}: got ${got}, want ${want}`).toBeLessThanOrEqual(
        tolerance,
      );
    } else expect(got, `${what}.${k}`).toEqual(want);
  }
}

/** Rows keyed by `key(row)`, all compared to the expected map (same keys, every field). */
export function expectRowsClose(
  actual: Array<Record<string, unknown>>,
  expected: Map<string, object>,
  key: (row: Record<string, unknown>) => string,
) {
  expect(actual.map(key).sort()).toEqual([...expected.keys()].sort());
  for (const row of actual) expectRowClose(row, expected.get(key(row))!, key(row));
}
