import { bucketOf, ROLLUP_GRAINS, type RollupGrain } from '../rollups/definitions.js';

/** A piece of a time range and where to read it: a rollup grain, or the raw events. */
export interface Segment {
  source: RollupGrain | 'raw';
  from: number;
  to: number;
}

/**
 * Splits [from, to) into the fewest pieces readable from rollups: whole days in the middle, whole
 * hours beside them, whole minutes beside those, and raw events only for the ragged edges finer
 * than the finest grain available. Pure; `grains` are the grains the rollup keeps.
 */
export function planRange(from: number, to: number, grains: readonly RollupGrain[]): Segment[] {
  if (to <= from) return [];
  const ordered = [...grains].sort((a, b) => ROLLUP_GRAINS[b] - ROLLUP_GRAINS[a]);
  return split(from, to, ordered);
}

function split(from: number, to: number, grains: readonly RollupGrain[]): Segment[] {
  if (to <= from) return [];
  const [grain, ...finer] = grains;
  if (grain === undefined) return [{ source: 'raw', from, to }];
  const size = ROLLUP_GRAINS[grain];
  const start = from === bucketOf(from, grain) ? from : bucketOf(from, grain) + size;
  const end = bucketOf(to, grain);
  if (end <= start) return split(from, to, finer);
  return [
    ...split(from, start, finer),
    { source: grain, from: start, to: end },
    ...split(end, to, finer),
  ];
}
