import { describe, expect, it } from 'vitest';
import { planRange } from '../../src/query/plan-range.js';

const H = 3_600_000;
const D = 24 * H;
const M = 60_000;
const t0 = Date.UTC(2026, 10, 1);

describe('planRange', () => {
  it('uses whole days, then hours, then minutes, then raw at the edges', () => {
    const from = t0 + 5 * H + 7 * M + 500;
    const to = t0 + 3 * D + 2 * H + 30 * M + 10;
    expect(planRange(from, to, ['minute', 'hour', 'day'])).toEqual([
      { source: 'raw', from, to: t0 + 5 * H + 8 * M },
      { source: 'minute', from: t0 + 5 * H + 8 * M, to: t0 + 6 * H },
      { source: 'hour', from: t0 + 6 * H, to: t0 + D },
      { source: 'day', from: t0 + D, to: t0 + 3 * D },
      { source: 'hour', from: t0 + 3 * D, to: t0 + 3 * D + 2 * H },
      { source: 'minute', from: t0 + 3 * D + 2 * H, to: t0 + 3 * D + 2 * H + 30 * M },
      { source: 'raw', from: t0 + 3 * D + 2 * H + 30 * M, to },
    ]);
  });

  it('without a minute grain the edges finer than an hour are raw', () => {
    expect(planRange(t0 + 10 * M, t0 + 2 * H + 5 * M, ['hour', 'day'])).toEqual([
      { source: 'raw', from: t0 + 10 * M, to: t0 + H },
      { source: 'hour', from: t0 + H, to: t0 + 2 * H },
      { source: 'raw', from: t0 + 2 * H, to: t0 + 2 * H + 5 * M },
    ]);
  });

  it('an aligned range is one segment; a tiny or empty one is raw or nothing', () => {
    expect(planRange(t0, t0 + 7 * D, ['hour', 'day'])).toEqual([
      { source: 'day', from: t0, to: t0 + 7 * D },
    ]);
    expect(planRange(t0 + 5, t0 + 10, ['minute', 'hour'])).toEqual([
      { source: 'raw', from: t0 + 5, to: t0 + 10 },
    ]);
    expect(planRange(t0, t0, ['day'])).toEqual([]);
  });

  it('segments tile the range exactly, for any range', () => {
    let seed = 3;
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 500; i++) {
      const from = t0 + Math.floor(rand() * 10 * D);
      const to = from + Math.floor(rand() * 40 * D * rand());
      const segs = planRange(from, to, ['minute', 'hour', 'day']);
      let cursor = from;
      for (const s of segs) {
        expect(s.from).toBe(cursor);
        expect(s.to).toBeGreaterThan(s.from);
        cursor = s.to;
      }
      if (to > from) expect(cursor).toBe(to);
    }
  });
});
