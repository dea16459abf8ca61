import { bucketOf, ROLLUP_GRAINS, type RollupGrain } from '../rollups/definitions.js';

/** A piece of a time range and where to read it: a rollup grain, or the raw events. */
export interface Segment {
  source: RollupGrain | 'raw';
  from: number;
  to: number;
}

/**
 * Where each source's data begins once retention has deleted older rows (absent: it has all of
 * its history). Retention cuts at UTC midnights; a horizon that is not one is treated as the next
 * midnight, so every grain tiles the parts of a range on either side of it.
 */
export type Horizons = Partial<Record<RollupGrain | 'raw', number>>;

/**
 * Splits [from, to) into the fewest pieces readable from rollups: whole days in the middle, whole
 * hours beside them, whole minutes beside those, and raw events only for the ragged edges finer
 * than the finest grain available. Pure; `grains` are the grains the rollup keeps.
 *
 * With `horizons`, the range is first cut where a source's data begins, and each part is read
 * from the sources it still has. Where the raw events are gone, a ragged edge of the range cannot
 * be read exactly, so it is widened outward to the bucket of the finest grain kept there: the
 * answer then covers a little more than asked (the plan shows how much) rather than silently
 * dropping the partial bucket. A part where no source is left is not read at all.
 */
export function planRange(
  from: number,
  to: number,
  grains: readonly RollupGrain[],
  horizons: Horizons = {},
): Segment[] {
  if (to <= from) return [];
  const ordered = [...grains].sort((a, b) => ROLLUP_GRAINS[b] - ROLLUP_GRAINS[a]);
  const starts = midnights(horizons);
  const cuts = [from, ...new Set(Object.values(starts).filter((t) => t > from && t < to)), to];
  cuts.sort((a, b) => a - b);
  const segments: Segment[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const a = cuts[i]!;
    const b = cuts[i + 1]!;
    const kept = ordered.filter((g) => (starts[g] ?? -Infinity) <= a);
    if ((starts.raw ?? -Infinity) <= a) segments.push(...split(a, b, kept));
    else segments.push(...withoutRaw(a, b, kept, a === from, b === to));
  }
  return merged(segments);
}

/** Joins neighbours read from the same source: a cut at a horizon need not cost a query. */
function merged(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    const last = out[out.length - 1];
    if (last && last.source === s.source && last.to === s.from) last.to = s.to;
    else out.push({ ...s });
  }
  return out;
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

/**
 * A part with no raw events left: the range's own edges are widened to the finest grain kept
 * (inner cuts are midnights, already aligned), so the split never reaches for raw rows.
 */
function withoutRaw(
  from: number,
  to: number,
  kept: readonly RollupGrain[],
  widenFrom: boolean,
  widenTo: boolean,
): Segment[] {
  const finest = kept[kept.length - 1];
  if (finest === undefined) return [];
  const start = widenFrom ? bucketOf(from, finest) : from;
  const end =
    widenTo && to !== bucketOf(to, finest) ? bucketOf(to, finest) + ROLLUP_GRAINS[finest] : to;
  return split(start, end, kept);
}

function midnights(horizons: Horizons): Horizons {
  const out: Horizons = {};
  for (const [source, t] of Object.entries(horizons) as Array<[keyof Horizons, number]>) {
    const day = bucketOf(t, 'day');
    out[source] = day === t ? t : day + ROLLUP_GRAINS.day;
  }
  return out;
}
