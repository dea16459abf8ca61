/**
 * A per-workspace price, set by the operator, that wins over the bundled table (the seeds'
 * `analytics_cost_config`). Prices are US dollars per million tokens.
 */
export interface PriceOverride {
  id: string;
  workspace: string;
  /** Matched case-insensitively against the event's model. */
  model: string;
  /** When set, only events from this provider match. */
  provider: string | null;
  input_per_mtok: number;
  output_per_mtok: number;
  /** Null means "same as input". */
  cache_read_per_mtok: number | null;
  cache_write_per_mtok: number | null;
  /** Epoch ms from which this price applies; older events keep older prices. */
  effective_from: number;
}

/** The override in force for a model at a time, if any: the newest one that has started. */
export function findOverride(
  overrides: readonly PriceOverride[],
  model: string,
  provider: string | null,
  at: number,
): PriceOverride | null {
  const m = model.toLowerCase();
  let best: PriceOverride | null = null;
  for (const o of overrides) {
    if (o.model.toLowerCase() !== m || o.effective_from > at) continue;
    if (o.provider !== null && o.provider.toLowerCase() !== provider?.toLowerCase()) continue;
    if (!best || o.effective_from > best.effective_from) best = o;
  }
  return best;
}
