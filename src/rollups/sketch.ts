/**
 * Latency histogram with DDSketch-style logarithmic bins: a value x > 0 falls in bin
 * ceil(log_γ(x)), γ = (1 + α) / (1 − α), and every value in a bin is within α of the bin's
 * representative value. Bins are integers, so histograms merge by adding counts per bin — in SQL
 * as SUM(n) GROUP BY bin — and retract by subtracting. The arithmetic lives here only, so every
 * backend files the same value in the same bin.
 */

/** Relative accuracy: any quantile is within 1 % of a value of the right rank. */
export const RELATIVE_ACCURACY = 0.01;
const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);

/** Values at or below this (ms) share one bin whose value is 0: a 1 µs latency is "zero". */
export const MIN_VALUE = 0.001;
/** The bin of zero (and of anything ≤ MIN_VALUE). */
export const ZERO_BIN = -100_000;

/** The bin of a non-negative value. */
export function binOf(value: number): number {
  if (!(value > MIN_VALUE)) return ZERO_BIN;
  return Math.ceil(Math.log(value) / LOG_GAMMA);
}

/** The representative value of a bin: within α of every value the bin holds. */
export function binValue(bin: number): number {
  if (bin === ZERO_BIN) return 0;
  return (2 * Math.pow(GAMMA, bin)) / (GAMMA + 1);
}

/** A histogram as merged bins: bin → count. */
export type Bins = ReadonlyMap<number, number>;

/**
 * The q-quantile (0 ≤ q ≤ 1) of a histogram: the value of the bin holding the item of rank
 * floor(q · (n − 1)) in ascending order, the rank DDSketch uses. Null for an empty histogram.
 */
export function quantile(bins: Bins, q: number): number | null {
  const sorted = [...bins.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  return quantilesOfSorted(sorted, [q])[0] ?? null;
}

/** Several quantiles in one pass over the bins. */
export function quantiles(bins: Bins, qs: readonly number[]): Array<number | null> {
  const sorted = [...bins.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  return quantilesOfSorted(sorted, qs);
}

function quantilesOfSorted(
  sorted: ReadonlyArray<readonly [number, number]>,
  qs: readonly number[],
): Array<number | null> {
  const total = sorted.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return qs.map(() => null);
  return qs.map((q) => {
    const rank = Math.floor(Math.min(1, Math.max(0, q)) * (total - 1));
    let seen = 0;
    for (const [bin, n] of sorted) {
      seen += n;
      if (seen > rank) return binValue(bin);
    }
    return binValue(sorted[sorted.length - 1]![0]);
  });
}

/** Adds `sign` × one value to a bins map (the fold's accumulator). */
export function addValue(bins: Map<number, number>, value: number, sign: 1 | -1 = 1): void {
  const bin = binOf(value);
  bins.set(bin, (bins.get(bin) ?? 0) + sign);
}

/**
 * A histogram as stored in a rollup row: a JSON object {"bin": count}, bins ascending, no zero
 * counts. PostgreSQL keeps it as jsonb (which reorders keys), so readers compare decoded maps.
 */
export function encodeBins(bins: ReadonlyMap<number, number>): string {
  const entries = [...bins.entries()].filter(([, n]) => n !== 0).sort((a, b) => a[0] - b[0]);
  return `{${entries.map(([bin, n]) => `"${bin}":${n}`).join(',')}}`;
}

export function decodeBins(stored: unknown): Map<number, number> {
  const obj = (typeof stored === 'string' ? JSON.parse(stored) : (stored ?? {})) as Record<
    string,
    number | string
  >;
  const out = new Map<number, number>();
  for (const [bin, n] of Object.entries(obj)) out.set(Number(bin), Number(n));
  return out;
}

/**
 * Adds two stored histograms bin by bin: the SQLite implementation of cairn_hist_merge. It runs
 * inside every rollup upsert, so it works on the parsed objects directly and leaves key order to
 * JSON (readers decode to maps, so order carries no meaning).
 */
export function mergeEncodedBins(a: string | null, b: string | null): string {
  if (!a) return b ?? '{}';
  if (!b) return a;
  const into = JSON.parse(a) as Record<string, number>;
  const add = JSON.parse(b) as Record<string, number>;
  for (const bin in add) {
    const n = (into[bin] ?? 0) + add[bin]!;
    if (n === 0) delete into[bin];
    else into[bin] = n;
  }
  return JSON.stringify(into);
}
