import type { CairnEvent } from '../core/event.js';
import type { Store } from '../store/store.js';
import { priceEvent } from './price-event.js';
import type { PriceOverride } from './price-override.js';
import { PriceTable } from './price-table.js';

/** How long a workspace's overrides are trusted before they are read again. */
export const OVERRIDES_TTL_MS = 5_000;

/**
 * Prices events at ingest: the bundled table plus each workspace's overrides. Overrides are read
 * from the store and kept for OVERRIDES_TTL_MS, or until they change through this pricer — so a
 * change made by another process (`cairn prices set`, another instance on PostgreSQL) applies
 * within a few seconds.
 */
export class Pricer {
  private readonly table = new PriceTable();
  private readonly overrides = new Map<
    string,
    { loaded: number; value: Promise<PriceOverride[]> }
  >();

  constructor(
    private readonly store: Store,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Fills in cost, source and price reference on events that carry usage but no cost; events
   * that already have a cost, or that no price covers, come back unchanged.
   */
  async applyAll(events: readonly CairnEvent[]): Promise<CairnEvent[]> {
    const overrides = new Map<string, PriceOverride[]>();
    for (const ws of new Set(events.map((e) => e.workspace)))
      overrides.set(ws, await this.overridesFor(ws));
    return events.map((e) => {
      if (e.cost_nanos !== null) return e;
      const price = priceEvent(e, overrides.get(e.workspace) ?? [], this.table);
      return price ? { ...e, ...price } : e;
    });
  }

  overridesFor(workspace: string): Promise<PriceOverride[]> {
    const now = this.clock();
    const cached = this.overrides.get(workspace);
    if (cached && now - cached.loaded < OVERRIDES_TTL_MS) return cached.value;
    const value = this.store.listPriceOverrides(workspace);
    value.catch(() => this.overrides.delete(workspace));
    this.overrides.set(workspace, { loaded: now, value });
    return value;
  }

  async putOverride(o: PriceOverride, now = Date.now()): Promise<void> {
    await this.store.putPriceOverride(o, now);
    this.overrides.delete(o.workspace);
  }

  async deleteOverride(workspace: string, id: string): Promise<boolean> {
    const deleted = await this.store.deletePriceOverride(workspace, id);
    this.overrides.delete(workspace);
    return deleted;
  }
}
