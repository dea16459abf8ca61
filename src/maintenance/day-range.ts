import { bucketOf, ROLLUP_GRAINS } from '../rollups/definitions.js';

const DAY = ROLLUP_GRAINS.day;

/** The UTC days covering [from, to): rollups are checked and rebuilt a whole day at a time. */
export function daysCovering(from: number, to: number): number[] {
  const days: number[] = [];
  for (let d = bucketOf(from, 'day'); d < to; d += DAY) days.push(d);
  return days;
}

export { DAY };
