import type { Store } from '../store/store.js';
import { DAY, daysCovering } from './day-range.js';
import { foldDay } from './verify.js';

export interface RebuildOptions {
  from: number;
  to: number;
  workspace?: string | undefined;
  onDay?: (day: number, done: number, total: number, events: number) => void;
}

/**
 * Regenerates the rollups of each UTC day in range from raw events: one transaction per day
 * (holding the write lock) deletes that day's rows and writes the recomputed ones.
 */
export async function rebuildRollups(
  store: Store,
  o: RebuildOptions,
): Promise<{ days: number; events: number }> {
  const days = daysCovering(o.from, o.to);
  let events = 0;
  for (const [i, day] of days.entries()) {
    let dayEvents = 0;
    await store.replaceRollups(day, day + DAY, o.workspace, async (trx) => {
      const delta = await foldDay(store, day, o.workspace, trx);
      for (const r of delta.rows.values())
        if (r.def.name === 'context' && r.grain === 'day') dayEvents += r.stats.count;
      return delta;
    });
    events += dayEvents;
    o.onDay?.(day, i + 1, days.length, dayEvents);
  }
  return { days: days.length, events };
}
