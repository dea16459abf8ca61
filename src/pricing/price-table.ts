import { calcPrice } from '@pydantic/genai-prices';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Usage } from '../core/usage.js';

/** The package exports no package.json, so read it beside its resolved entry point. */
function tableVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@pydantic/genai-prices');
  const pkg = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** The bundled table's name and version, recorded in every `price_ref` it produced. */
export const PRICE_TABLE = `genai-prices@${tableVersion()}`;

export interface TablePrice {
  usd: number;
  ref: string;
}

/** Per-token rates of a model whose price is one flat set of numbers (no tiers, no time rules). */
interface LinearRates {
  base: number;
  uncached: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
  ref: string;
}

type Resolved = { kind: 'linear'; rates: LinearRates } | { kind: 'dynamic' } | { kind: 'unknown' };

const MTOK = 1_000_000;

/**
 * The bundled price table (@pydantic/genai-prices), with its look-ups memoised per model. The
 * table's own calculation takes 10–20 µs an event; for flat prices the cost is affine in the token
 * counts, so the rates are read once by pricing unit usages and reused. Tiered and time-of-day
 * prices go through the table on every event.
 */
export class PriceTable {
  private readonly memo = new Map<string, Resolved>();

  price(model: string, provider: string | null, at: number, u: Usage): TablePrice | null {
    const resolved = this.resolve(model, provider);
    if (resolved.kind === 'unknown') return null;
    if (resolved.kind === 'linear')
      return { usd: linearCost(resolved.rates, u), ref: resolved.rates.ref };
    const r = lookup(model, provider, tableUsage(u), new Date(at));
    return r ? { usd: r.total_price, ref: refOf(r) } : null;
  }

  private resolve(model: string, provider: string | null): Resolved {
    const key = `${provider ?? ''}\u0000${model}`;
    let resolved = this.memo.get(key);
    if (!resolved) {
      resolved = resolveRates(model, provider);
      this.memo.set(key, resolved);
    }
    return resolved;
  }
}

function lookup(model: string, provider: string | null, usage: Partial<Usage>, timestamp?: Date) {
  const base = timestamp ? { timestamp } : {};
  const withProvider = provider ? calcPrice(usage, model, { ...base, providerId: provider }) : null;
  // A provider name the table does not know (e.g. "azure-openai") should not stop a model match.
  return withProvider ?? calcPrice(usage, model, base);
}

/** The table warns (on stderr) about keys it does not price, so pass only the ones it does. */
function tableUsage(u: Usage): Partial<Usage> {
  return {
    input_tokens: u.input_tokens,
    output_tokens: u.output_tokens,
    cache_read_tokens: u.cache_read_tokens,
    cache_write_tokens: u.cache_write_tokens,
  };
}

function refOf(r: NonNullable<ReturnType<typeof calcPrice>>): string {
  return `${PRICE_TABLE}/${r.provider.id}/${r.model.id}`;
}

function resolveRates(model: string, provider: string | null): Resolved {
  const probe = lookup(model, provider, { input_tokens: MTOK });
  if (!probe) return { kind: 'unknown' };
  const flat =
    !Array.isArray(probe.model.prices) &&
    Object.values(probe.model_price).every((v) => typeof v === 'number');
  if (!flat) return { kind: 'dynamic' };
  const cost = (u: Partial<Usage>) => lookup(model, provider, u)?.total_price ?? 0;
  const base = cost({});
  return {
    kind: 'linear',
    rates: {
      base,
      uncached: (probe.total_price - base) / MTOK,
      cacheRead: (cost({ input_tokens: MTOK, cache_read_tokens: MTOK }) - base) / MTOK,
      cacheWrite: (cost({ input_tokens: MTOK, cache_write_tokens: MTOK }) - base) / MTOK,
      output: (cost({ output_tokens: MTOK }) - base) / MTOK,
      ref: refOf(probe),
    },
  };
}

function linearCost(r: LinearRates, u: Usage): number {
  const uncached = Math.max(0, u.input_tokens - u.cache_read_tokens - u.cache_write_tokens);
  return (
    r.base +
    uncached * r.uncached +
    u.cache_read_tokens * r.cacheRead +
    u.cache_write_tokens * r.cacheWrite +
    u.output_tokens * r.output
  );
}
