import type { CairnEvent } from '../core/event.js';
import type { Store } from '../store/store.js';
import { priceEvent } from './price-event.js';
import type { PriceOverride } from './price-override.js';
import { PriceTable } from './price-table.js';

/**
 * Prices events at ingest: the bundled table plus each workspace's overrides, which are read from
 * the store once and cached until they change through this pricer.
 */
export class Pricer {
  private readonly table = new PriceTable();
  private readonly overrides = new Map<string, Promise<PriceOverride[]>>();

  constructor(private readonly store: Store) {}

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
    let cached = this.overrides.get(workspace);
    if (!cached) {
      cached = this.store.listPriceOverrides(workspace);
      cached.catch(() => this.overrides.delete(workspace));
      this.overrides.set(workspace, cached);
    }
    return cached;
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
