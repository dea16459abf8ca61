import type { Store } from '../store/store.js';
import { DAY, daysCovering } from './day-range.js';
import { readWatermarks, type Watermarks } from './retention-store.js';
import { foldDay, skippedRanges, type SkippedRange } from './verify.js';

export interface RebuildOptions {
  from: number;
  to: number;
  workspace?: string | undefined;
  onDay?: (day: number, done: number, total: number, events: number) => void;
}

export interface RebuildResult {
  days: number;
  events: number;
  /** Ranges left alone because retention deleted their raw rows: their rollups are all there is. */
  skipped: SkippedRange[];
}

/**
 * Regenerates the rollups of each UTC day in range from raw events: one transaction per day
 * (holding the write lock) deletes that day's rows and writes the recomputed ones. A workspace
 * whose raw rows of that day retention deleted is left out — rebuilding would replace the only
 * history left with nothing — and the day is then rebuilt workspace by workspace for the rest.
 */
export async function rebuildRollups(store: Store, o: RebuildOptions): Promise<RebuildResult> {
  const days = daysCovering(o.from, o.to);
  const marks = await readWatermarks(store, o.workspace);
  let events = 0;
  for (const [i, day] of days.entries()) {
    let dayEvents = 0;
    for (const workspace of await workspacesToRebuild(store, marks, day, o.workspace))
      dayEvents += await rebuildDay(store, day, workspace);
    events += dayEvents;
    o.onDay?.(day, i + 1, days.length, dayEvents);
  }
  const skipped = skippedRanges(marks, days).filter((s) => s.source === 'raw');
  return { days: days.length, events, skipped };
}

/** [undefined] (all at once) when nothing of the day was pruned, else the unpruned ones. */
async function workspacesToRebuild(
  store: Store,
  marks: Watermarks,
  day: number,
  workspace: string | undefined,
): Promise<Array<string | undefined>> {
  const pruned = new Set([...marks].filter(([, m]) => (m.raw ?? -Infinity) > day).map(([w]) => w));
  if (pruned.size === 0) return [workspace];
  if (workspace !== undefined) return pruned.has(workspace) ? [] : [workspace];
  return (await store.listWorkspaces()).filter((w) => !pruned.has(w));
}

async function rebuildDay(store: Store, day: number, workspace: string | undefined) {
  let events = 0;
  await store.replaceRollups(day, day + DAY, workspace, async (trx) => {
    const delta = await foldDay(store, day, workspace, trx);
    for (const r of delta.rows.values())
      if (r.def.name === 'context' && r.grain === 'day') events += r.stats.count;
    return delta;
  });
  return events;
}
