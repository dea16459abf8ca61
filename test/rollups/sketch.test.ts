import { describe, expect, it } from 'vitest';
import {
  addValue,
  binOf,
  binValue,
  decodeBins,
  encodeBins,
  mergeEncodedBins,
  quantile,
  quantiles,
  RELATIVE_ACCURACY,
  ZERO_BIN,
} from '../../src/rollups/sketch.js';

/** The exact value at DDSketch's rank floor(q·(n−1)), computed by sorting. */
function exact(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

function lcg(seed: number) {
  let s = seed;
  return () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

describe('latency sketch', () => {
  it('every value is within 1 % of its bin value', () => {
    const rand = lcg(1);
    for (let i = 0; i < 20_000; i++) {
      const v = Math.exp(rand() * 20 - 5);
      expect(Math.abs(binValue(binOf(v)) - v) / v).toBeLessThanOrEqual(RELATIVE_ACCURACY + 1e-12);
    }
  });

  it('quantiles of log-normal latencies are within 1 % of the exact ones', () => {
    const rand = lcg(7);
    const values: number[] = [];
    const bins = new Map<number, number>();
    for (let i = 0; i < 50_000; i++) {
      const normal = Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
      const v = 400 * Math.exp(0.8 * normal);
      values.push(v);
      addValue(bins, v);
    }
    const qs = [0, 0.5, 0.75, 0.95, 0.99, 1];
    quantiles(bins, qs).forEach((got, i) => {
      const want = exact(values, qs[i]!);
      expect(Math.abs(got! - want) / want).toBeLessThanOrEqual(RELATIVE_ACCURACY);
    });
  });

  it('merging is adding counts; retracting restores the histogram', () => {
    const a = new Map<number, number>();
    const b = new Map<number, number>();
    [10, 20, 30].forEach((v) => addValue(a, v));
    [20, 5000].forEach((v) => addValue(b, v));
    const merged = new Map(a);
    for (const [bin, n] of b) merged.set(bin, (merged.get(bin) ?? 0) + n);
    expect(quantile(merged, 1)).toBeCloseTo(5000, -2);
    addValue(merged, 5000, -1);
    expect(quantile(merged, 1)).toBeCloseTo(30, 0);
  });

  it('zero and tiny values share the zero bin; an empty histogram has no quantile', () => {
    expect(binOf(0)).toBe(ZERO_BIN);
    expect(binOf(0.0005)).toBe(ZERO_BIN);
    expect(binValue(ZERO_BIN)).toBe(0);
    expect(quantile(new Map(), 0.5)).toBeNull();
    expect(quantile(new Map([[binOf(100), 0]]), 0.5)).toBeNull();
  });
});

describe('stored histograms', () => {
  it('encode, decode and merge bin by bin, dropping bins that fall to zero', () => {
    const a = encodeBins(
      new Map([
        [-3, 1],
        [5, 2],
        [900, 1],
      ]),
    );
    const b = encodeBins(
      new Map([
        [5, -2],
        [900, 3],
        [12, 4],
      ]),
    );
    expect(decodeBins(mergeEncodedBins(a, b))).toEqual(
      new Map([
        [-3, 1],
        [900, 4],
        [12, 4],
      ]),
    );
    expect(decodeBins(mergeEncodedBins(null, b))).toEqual(decodeBins(b));
    expect(decodeBins(mergeEncodedBins(a, null))).toEqual(decodeBins(a));
    expect(encodeBins(new Map([[7, 0]]))).toBe('{}');
  });
});
