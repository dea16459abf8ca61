/** Small statistics and timing helpers shared by the benchmarks. */

/** The q-quantile (0..1) of a sample by the nearest-rank method; NaN for an empty sample. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentiles(sample: readonly number[]): Percentiles {
  const sorted = [...sample].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

export function median(sample: readonly number[]): number {
  return quantile(
    [...sample].sort((a, b) => a - b),
    0.5,
  );
}

/** Milliseconds elapsed while `fn` runs. */
export async function timeMs(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export interface RepeatOptions {
  /** Runs measured (after warm-up), unless the time budget runs out first. */
  runs: number;
  warmup: number;
  /** Stop early (but after at least `minRuns`) once this many ms have been spent measuring. */
  budgetMs: number;
  minRuns: number;
}

/** Times `fn` repeatedly: warm-up runs first, then measured runs within the budget. */
export async function repeat(fn: () => Promise<unknown>, o: RepeatOptions): Promise<number[]> {
  for (let i = 0; i < o.warmup; i++) await fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < o.runs) {
    times.push(await timeMs(fn));
    if (times.length >= o.minRuns && performance.now() - start > o.budgetMs) break;
  }
  return times;
}

/** Rounds for display and JSON: 3 significant digits below 100, integers above. */
export function round(x: number): number {
  if (!Number.isFinite(x)) return x;
  return Math.abs(x) >= 100 ? Math.round(x) : Number(x.toPrecision(3));
}
