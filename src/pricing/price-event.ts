import type { CairnEvent, CostSource } from '../core/event.js';
import { usdToNanos } from '../core/event.js';
import type { Usage } from '../core/usage.js';
import { findOverride, type PriceOverride } from './price-override.js';
import type { PriceTable } from './price-table.js';

export interface Price {
  cost_nanos: number;
  cost_source: CostSource;
  price_ref: string;
}

export type PricedFields = Pick<CairnEvent, 'model' | 'provider' | 'timestamp'> & Usage;

/**
 * Prices an event from its usage: a workspace override if one is in force, else the bundled
 * table. Cairn's `input_tokens` includes cached tokens (the OpenTelemetry and OpenAI convention)
 * and reasoning tokens are part of `output_tokens`, which is the table's convention too.
 * Returns null when the event has no model, no tokens, or a model no table knows.
 */
export function priceEvent(
  event: PricedFields,
  overrides: readonly PriceOverride[],
  table: PriceTable,
): Price | null {
  if (!event.model || !hasTokens(event)) return null;
  const override = findOverride(overrides, event.model, event.provider, event.timestamp);
  if (override) {
    return {
      cost_nanos: usdToNanos(overrideCostUsd(event, override)),
      cost_source: 'override',
      price_ref: `override/${override.id}`,
    };
  }
  const fromTable = table.price(event.model, event.provider, event.timestamp, event);
  return fromTable
    ? {
        cost_nanos: usdToNanos(fromTable.usd),
        cost_source: 'price_table',
        price_ref: fromTable.ref,
      }
    : null;
}

function hasTokens(t: Usage): boolean {
  return t.input_tokens + t.output_tokens + t.cache_read_tokens + t.cache_write_tokens > 0;
}

/** Uncached input at the input rate, cache reads and writes at their own rates (or input's). */
export function overrideCostUsd(t: Usage, o: PriceOverride): number {
  const uncached = Math.max(0, t.input_tokens - t.cache_read_tokens - t.cache_write_tokens);
  const perMillion =
    uncached * o.input_per_mtok +
    t.cache_read_tokens * (o.cache_read_per_mtok ?? o.input_per_mtok) +
    t.cache_write_tokens * (o.cache_write_per_mtok ?? o.input_per_mtok) +
    t.output_tokens * o.output_per_mtok;
  return perMillion / 1_000_000;
}
