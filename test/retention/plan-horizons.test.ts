import { describe, expect, it } from 'vitest';
import { planRange, type Horizons, type Segment } from '../../src/query/plan-range.js';
import type { RollupGrain } from '../../src/rollups/definitions.js';

const M = 60_000;
const H = 60 * M;
const D = 24 * H;
const t0 = Date.UTC(2026, 7, 1);
const ALL: RollupGrain[] = ['minute', 'hour', 'day'];

/** The defaults at t0 + 100 days: raw kept 90 days, minutes 7, hours 30, days forever. */
const DEFAULTS: Horizons = { raw: t0 + 10 * D, hour: t0 + 70 * D, minute: t0 + 93 * D };

describe('planRange with retention horizons', () => {
  it('reads the part before the raw horizon from rollups, widening a ragged start to its day', () => {
    const from = t0 + 3 * D + 5 * H + 7 * M;
    const to = t0 + 12 * D + 2 * H + 30 * M + 5;
    expect(planRange(from, to, ALL, DEFAULTS)).toEqual([
      // Before the raw horizon only days are left: the ragged start is widened to its day, and
      // the days on both sides of the horizon are read as one segment.
      { source: 'day', from: t0 + 3 * D, to: t0 + 12 * D },
      // Hours and minutes are gone there too, so the ragged end (raw rows kept) is read raw.
      { source: 'raw', from: t0 + 12 * D, to },
    ]);
    // Once the hours are back (after their horizon) the end is planned as before retention.
    const late = t0 + 80 * D + 2 * H + 5;
    expect(planRange(from, late, ALL, DEFAULTS)).toEqual([
      { source: 'day', from: t0 + 3 * D, to: t0 + 80 * D },
      { source: 'hour', from: t0 + 80 * D, to: t0 + 80 * D + 2 * H },
      { source: 'raw', from: t0 + 80 * D + 2 * H, to: late },
    ]);
  });

  it('widens a ragged end before the raw horizon to the finest grain kept there', () => {
    const h: Horizons = { raw: t0 + 20 * D, minute: t0 + 25 * D };
    expect(planRange(t0 + 2 * D + 5 * H + 30 * M, t0 + 5 * D + 3 * H + 10 * M, ALL, h)).toEqual([
      { source: 'hour', from: t0 + 2 * D + 5 * H, to: t0 + 3 * D },
      { source: 'day', from: t0 + 3 * D, to: t0 + 5 * D },
      { source: 'hour', from: t0 + 5 * D, to: t0 + 5 * D + 4 * H },
    ]);
  });

  it('uses minutes where they outlive the raw rows, and nothing where no source is left', () => {
    expect(
      planRange(t0 + 5 * M + 1, t0 + 10 * M + 1, ['minute', 'hour'], { raw: t0 + D, hour: t0 + D }),
    ).toEqual([{ source: 'minute', from: t0 + 5 * M, to: t0 + 11 * M }]);
    expect(planRange(t0, t0 + 2 * D, ['hour'], { raw: t0 + D, hour: t0 + D })).toEqual([
      { source: 'hour', from: t0 + D, to: t0 + 2 * D },
    ]);
  });

  it('treats a horizon inside a day as the next midnight', () => {
    expect(planRange(t0, t0 + 3 * D, ['hour', 'day'], { raw: t0 + D + 5 })).toEqual([
      { source: 'day', from: t0, to: t0 + 3 * D },
    ]);
    // The first day has lost its raw rows: its ragged start is widened to the hour grain.
    expect(planRange(t0 + H + 5, t0 + 3 * D, ['hour', 'day'], { raw: t0 + D + 5 })).toEqual([
      { source: 'hour', from: t0 + H, to: t0 + D },
      { source: 'day', from: t0 + D, to: t0 + 3 * D },
    ]);
  });

  it('without horizons, or with all of them before the range, plans exactly as before', () => {
    const from = t0 + 5 * H + 7 * M + 500;
    const to = t0 + 3 * D + 2 * H + 30 * M + 10;
    expect(planRange(from, to, ALL, {})).toEqual(planRange(from, to, ALL));
    expect(planRange(from, to, ALL, { raw: t0 - D, minute: t0 })).toEqual(planRange(from, to, ALL));
  });

  it('never reads a source before its horizon and covers the whole range, for any range', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 500; i++) {
      const from = t0 + Math.floor(rand() * 100 * D);
      const to = from + Math.floor(rand() * 40 * D * rand());
      const segs = planRange(from, to, ALL, DEFAULTS);
      for (const s of segs) expect(s.from).toBeGreaterThanOrEqual(DEFAULTS[s.source] ?? -Infinity);
      checkCover(segs, from, to);
    }
  });
});

/**
 * Segments are contiguous and ascending; they cover [from, to), reaching outside it only to the
 * day around a ragged edge before the raw horizon.
 */
function checkCover(segs: Segment[], from: number, to: number): void {
  if (to <= from) return expect(segs).toEqual([]);
  for (let i = 1; i < segs.length; i++) expect(segs[i]!.from).toBe(segs[i - 1]!.to);
  const first = segs[0]!;
  const last = segs[segs.length - 1]!;
  expect(first.from).toBeLessThanOrEqual(from);
  expect(from - first.from).toBeLessThan(first.from < DEFAULTS.raw! ? D : 1);
  expect(last.to).toBeGreaterThanOrEqual(to);
  expect(last.to - to).toBeLessThan(last.to <= DEFAULTS.raw! ? D : 1);
}
