import type { Accumulator } from '../rollups/fold.js';
import { quantiles } from '../rollups/sketch.js';
import type { Stats } from '../rollups/stats.js';

/**
 * The metrics model, declared as data: each measure says which mergeable part of a rollup it is
 * made from and how. No SQL here — the same definitions evaluate a group read from rollups and a
 * group folded from raw events.
 */
type Field = keyof Stats;
/** `per` converts a stored integer unit: nano-dollars per dollar, microseconds per millisecond. */
export type Measure =
  | { kind: 'sum'; field: Field; per?: number }
  | { kind: 'ratio'; numerator: Field; denominator: Field; complement?: boolean; per?: number }
  | { kind: 'extreme'; field: Field; per?: number; time?: boolean }
  | { kind: 'quantile'; q: number };

export const MEASURES = {
  requests: { kind: 'sum', field: 'count' },
  errors: { kind: 'sum', field: 'errors' },
  /** 1 − errors / requests: cancelled events are not errors, so they count as successes. */
  success_rate: { kind: 'ratio', numerator: 'errors', denominator: 'count', complement: true },
  input_tokens: { kind: 'sum', field: 'input_tokens' },
  output_tokens: { kind: 'sum', field: 'output_tokens' },
  cache_read_tokens: { kind: 'sum', field: 'cache_read_tokens' },
  cache_write_tokens: { kind: 'sum', field: 'cache_write_tokens' },
  reasoning_tokens: { kind: 'sum', field: 'reasoning_tokens' },
  cost_usd: { kind: 'sum', field: 'cost_nanos', per: 1e9 },
  duration_avg: {
    kind: 'ratio',
    numerator: 'duration_sum_us',
    denominator: 'duration_count',
    per: 1e3,
  },
  duration_p50: { kind: 'quantile', q: 0.5 },
  duration_p75: { kind: 'quantile', q: 0.75 },
  duration_p95: { kind: 'quantile', q: 0.95 },
  duration_p99: { kind: 'quantile', q: 0.99 },
  duration_max: { kind: 'extreme', field: 'duration_max_us', per: 1e3 },
  first_seen: { kind: 'extreme', field: 'first_seen', time: true },
  last_seen: { kind: 'extreme', field: 'last_seen', time: true },
} as const satisfies Record<string, Measure>;
export type MeasureName = keyof typeof MEASURES;

/** Evaluates measures over one group; quantiles share one pass over the bins. */
export function evaluate<N extends MeasureName>(
  names: readonly N[],
  acc: Accumulator,
): Record<N, number | string | null> {
  const qNames = names.filter((n) => MEASURES[n].kind === 'quantile');
  const qValues = quantiles(
    acc.bins,
    qNames.map((n) => (MEASURES[n] as { q: number }).q),
  );
  const out = {} as Record<N, number | string | null>;
  for (const n of names) {
    const m: Measure = MEASURES[n];
    out[n] =
      m.kind === 'quantile' ? round(qValues[qNames.indexOf(n)] ?? null) : scalar(m, acc.stats);
  }
  return out;
}

function scalar(m: Exclude<Measure, { kind: 'quantile' }>, s: Stats): number | string | null {
  if (m.kind === 'sum') return inUnits(s[m.field] as number, m.per);
  if (m.kind === 'extreme') {
    const v = s[m.field];
    if (v === null) return null;
    return m.time ? new Date(v).toISOString() : inUnits(v, m.per);
  }
  const den = s[m.denominator] as number;
  if (den === 0) return null;
  const ratio = (s[m.numerator] as number) / den;
  return round(inUnits(m.complement ? 1 - ratio : ratio, m.per));
}

/**
 * An exact integer (nano-dollars, microseconds) in display units. One division is correctly
 * rounded, so $1,234,567.891234568 comes out with every nano-dollar and no float noise.
 */
function inUnits(v: number, per?: number): number {
  return per === undefined ? v : v / per;
}

/** Twelve significant digits for computed values (ratios, quantiles): no float noise in JSON. */
function round(v: number | null): number | null {
  return v === null ? null : Number(v.toPrecision(12));
}
