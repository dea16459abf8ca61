/**
 * The mergeable measures of a rollup row. All are integers (durations in microseconds, cost in
 * nano-dollars) so that sums are exact and a recomputation from raw equals the stored rollup
 * bit for bit, whatever the order of addition.
 */
export interface Stats {
  count: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  cost_nanos: number;
  /** Events that reported a duration (the denominator of the average). */
  duration_count: number;
  duration_sum_us: number;
  duration_min_us: number | null;
  duration_max_us: number | null;
  first_seen: number | null;
  last_seen: number | null;
}

export const SUM_FIELDS = [
  'count',
  'errors',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'cost_nanos',
  'duration_count',
  'duration_sum_us',
] as const satisfies ReadonlyArray<keyof Stats>;
export const MIN_FIELDS = ['duration_min_us', 'first_seen'] as const satisfies ReadonlyArray<
  keyof Stats
>;
export const MAX_FIELDS = ['duration_max_us', 'last_seen'] as const satisfies ReadonlyArray<
  keyof Stats
>;

export function emptyStats(): Stats {
  return {
    count: 0,
    errors: 0,
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    reasoning_tokens: 0,
    cost_nanos: 0,
    duration_count: 0,
    duration_sum_us: 0,
    duration_min_us: null,
    duration_max_us: null,
    first_seen: null,
    last_seen: null,
  };
}

/** Merges `b` into `a` (sums add, minima and maxima combine; null means "none"). */
export function mergeStats(a: Stats, b: Readonly<Stats>): Stats {
  for (const f of SUM_FIELDS) a[f] += b[f];
  for (const f of MIN_FIELDS) a[f] = pick(a[f], b[f], Math.min);
  for (const f of MAX_FIELDS) a[f] = pick(a[f], b[f], Math.max);
  return a;
}

function pick(
  a: number | null,
  b: number | null,
  f: (x: number, y: number) => number,
): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return f(a, b);
}

/** Durations are kept as integer microseconds. */
export function toMicros(ms: number): number {
  return Math.round(ms * 1000);
}
