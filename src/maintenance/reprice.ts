import type { CairnEvent } from '../core/event.js';
import type { Pricer } from '../pricing/pricer.js';
import type { Store } from '../store/store.js';
import type { Replacement } from '../store/revisions.js';
import { DAY, daysCovering } from './day-range.js';

export interface RepriceOptions {
  from: number;
  to: number;
  workspace?: string | undefined;
  onDay?: (day: number, done: number, total: number) => void;
}

export interface RepriceResult {
  /** Events whose cost Cairn computed (reported costs are never touched). */
  examined: number;
  changed: number;
  /** New total minus old total over the changed events, in nano-dollars. */
  deltaNanos: number;
}

/**
 * Recomputes the cost of every event Cairn priced (from the table or an override) with today's
 * prices and overrides, and prices events that carry usage but found no price before. Each day is
 * one transaction that updates the raw rows and swaps their rollup contributions.
 */
export async function repriceEvents(
  store: Store,
  pricer: Pricer,
  o: RepriceOptions,
): Promise<RepriceResult> {
  const result: RepriceResult = { examined: 0, changed: 0, deltaNanos: 0 };
  const days = daysCovering(o.from, o.to);
  // Load every workspace's overrides now: inside the day's transaction a read through another
  // connection would wait for it forever on single-connection backends (SQLite, PGlite).
  const workspaces = o.workspace !== undefined ? [o.workspace] : await store.listWorkspaces();
  for (const ws of workspaces) await pricer.overridesFor(ws);
  for (const [i, day] of days.entries()) {
    await store.rewriteEvents(async (trx) => {
      const replacements: Replacement[] = [];
      for await (const page of store.scanEvents(
        { from: Math.max(day, o.from), to: Math.min(day + DAY, o.to), workspace: o.workspace },
        5_000,
        trx,
      )) {
        const candidates = page.filter((e) => e.cost_source !== 'reported');
        result.examined += candidates.length;
        const priced = await pricer.applyAll(candidates.map(unpriced));
        priced.forEach((next, j) => {
          const old = candidates[j]!;
          if (next.cost_nanos === old.cost_nanos && next.price_ref === old.price_ref) return;
          replacements.push({ old, next });
          result.deltaNanos += (next.cost_nanos ?? 0) - (old.cost_nanos ?? 0);
        });
      }
      result.changed += replacements.length;
      return replacements;
    }, Date.now());
    o.onDay?.(day, i + 1, days.length);
  }
  return result;
}

/** The event as it arrived: without the cost Cairn computed for it. */
function unpriced(e: CairnEvent): CairnEvent {
  return { ...e, cost_nanos: null, cost_source: null, price_ref: null };
}
