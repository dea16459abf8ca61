import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { calcPrice } from '@pydantic/genai-prices';
import {
  usageFromAnthropic,
  usageFromOpenAIChat,
  usageFromOpenAIResponses,
  type Usage,
} from '../../src/core/usage.js';
import { priceEvent } from '../../src/pricing/price-event.js';
import { PRICE_TABLE, PriceTable } from '../../src/pricing/price-table.js';

// Real provider responses from ../shared/reference, read in place.
const REF = new URL('../../../shared/reference/provider-responses/', import.meta.url);
const read = (name: string) =>
  JSON.parse(readFileSync(new URL(name, REF), 'utf8')) as Record<string, unknown>;

const table = new PriceTable();
const at = Date.parse('2026-06-01T00:00:00Z');

/** Price per million tokens straight from the bundled table, for an independent computation. */
function rates(model: string, provider: string) {
  const r = calcPrice({ input_tokens: 1 }, model, { providerId: provider });
  if (!r) throw new Error(`no price for ${provider}/${model}`);
  // Tiered prices (long context) carry a base rate that applies below the first tier.
  const flat = (v: unknown) =>
    typeof v === 'number' ? v : (v as { base: number } | undefined)?.base;
  return Object.fromEntries(Object.entries(r.model_price).map(([k, v]) => [k, flat(v)])) as Record<
    string,
    number
  >;
}

/** The four token kinds the table prices (it warns about any other key). */
function tokensOnly({ reasoning_tokens: _r, ...priced }: Usage) {
  return priced;
}

function price(model: string, provider: string, usage: Usage) {
  return priceEvent({ model, provider, timestamp: at, ...usage }, [], table);
}

describe('usage from real provider responses', () => {
  it('OpenAI chat completion: prompt tokens already include cached ones', () => {
    const body = read('jscontrib-chat-completion.json');
    const usage = usageFromOpenAIChat(body.usage);
    expect(usage).toEqual({
      input_tokens: 22,
      output_tokens: 3,
      cache_read_tokens: 0,
      cache_write_tokens: 0,
      reasoning_tokens: 0,
    });
    const p = rates('gpt-4o-mini', 'openai');
    const expected = Math.round(((22 * p.input_mtok! + 3 * p.output_mtok!) / 1e6) * 1e9);
    expect(price(body.model as string, 'openai', usage)).toEqual({
      cost_nanos: expected,
      cost_source: 'price_table',
      price_ref: `${PRICE_TABLE}/openai/gpt-4o-mini`,
    });
  });

  it('OpenAI Responses API with a cache hit: cached tokens priced at the cache-read rate', () => {
    const body = read('openllmetry-responses-cached.json');
    const usage = usageFromOpenAIResponses(body.usage);
    expect(usage).toMatchObject({ input_tokens: 14, cache_read_tokens: 13, output_tokens: 26 });
    const p = rates('gpt-4o-mini', 'openai');
    const usd = (1 * p.input_mtok! + 13 * p.cache_read_mtok! + 26 * p.output_mtok!) / 1e6;
    expect(price(body.model as string, 'openai', usage)?.cost_nanos).toBe(Math.round(usd * 1e9));
  });

  it('Anthropic with thinking: input converted to include cache, thinking counted as reasoning', () => {
    const cassette = read('openinference-anthropic-thinking-non-streaming.cassette.json');
    const body = JSON.parse(cassette.body as string) as Record<string, unknown>;
    const usage = usageFromAnthropic(body.usage);
    expect(usage).toEqual({
      input_tokens: 52,
      output_tokens: 221,
      cache_read_tokens: 0,
      cache_write_tokens: 0,
      reasoning_tokens: 65,
    });
    const p = rates(body.model as string, 'anthropic');
    const usd = (52 * p.input_mtok! + 221 * p.output_mtok!) / 1e6;
    expect(price(body.model as string, 'anthropic', usage)?.cost_nanos).toBe(Math.round(usd * 1e9));
  });

  it('Anthropic cache reads and writes are added to input and priced at their own rates', () => {
    const usage = usageFromAnthropic({
      input_tokens: 100,
      cache_read_input_tokens: 5_000,
      cache_creation_input_tokens: 2_000,
      output_tokens: 50,
    });
    expect(usage).toMatchObject({
      input_tokens: 7_100,
      cache_read_tokens: 5_000,
      cache_write_tokens: 2_000,
    });
    const p = rates('claude-sonnet-4-5', 'anthropic');
    const usd =
      (100 * p.input_mtok! +
        5_000 * p.cache_read_mtok! +
        2_000 * p.cache_write_mtok! +
        50 * p.output_mtok!) /
      1e6;
    expect(price('claude-sonnet-4-5', 'anthropic', usage)?.cost_nanos).toBe(Math.round(usd * 1e9));
  });

  it('the same tokens cost the same whichever convention the provider reported in', () => {
    const fromAnthropic = usageFromAnthropic({
      input_tokens: 1_000,
      cache_read_input_tokens: 9_000,
      output_tokens: 10,
    });
    const fromOpenAIStyle: Usage = {
      input_tokens: 10_000,
      cache_read_tokens: 9_000,
      cache_write_tokens: 0,
      output_tokens: 10,
      reasoning_tokens: 0,
    };
    expect(price('claude-sonnet-4-5', 'anthropic', fromAnthropic)).toEqual(
      price('claude-sonnet-4-5', 'anthropic', fromOpenAIStyle),
    );
  });
});

describe('price table', () => {
  it('the memoised flat rates agree with the table to the nano-dollar', () => {
    const models: Array<[string, string]> = [
      ['gpt-4o-mini', 'openai'],
      ['gpt-4o', 'openai'],
      ['claude-sonnet-4-5', 'anthropic'],
      ['claude-3-5-haiku-latest', 'anthropic'],
    ];
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
    for (const [model, provider] of models) {
      for (let i = 0; i < 50; i++) {
        const cacheRead = rand(5_000);
        const cacheWrite = rand(2_000);
        const usage: Usage = {
          input_tokens: cacheRead + cacheWrite + rand(20_000),
          output_tokens: rand(4_000),
          cache_read_tokens: cacheRead,
          cache_write_tokens: cacheWrite,
          reasoning_tokens: 0,
        };
        const direct = calcPrice(tokensOnly(usage), model, {
          providerId: provider,
          timestamp: new Date(at),
        })!.total_price;
        expect(
          Math.abs(price(model, provider, usage)!.cost_nanos - direct * 1e9),
        ).toBeLessThanOrEqual(1);
      }
    }
  });

  it('tiered prices (long-context Gemini) go through the table on every event, quietly', () => {
    const warn = vi.spyOn(console, 'warn');
    const long: Usage = {
      input_tokens: 300_000,
      output_tokens: 1_000,
      cache_read_tokens: 0,
      cache_write_tokens: 0,
      reasoning_tokens: 0,
    };
    const direct = calcPrice(tokensOnly(long), 'gemini-2.5-pro', {
      providerId: 'google',
      timestamp: new Date(at),
    });
    expect(direct).not.toBeNull();
    expect(price('gemini-2.5-pro', 'google', long)?.cost_nanos).toBe(
      Math.round(direct!.total_price * 1e9),
    );
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('an unknown provider name still finds the model; an unknown model has no price', () => {
    const u: Usage = {
      input_tokens: 1_000,
      output_tokens: 10,
      cache_read_tokens: 0,
      cache_write_tokens: 0,
      reasoning_tokens: 0,
    };
    expect(price('gpt-4o-mini', 'my-gateway', u)?.price_ref).toBe(
      `${PRICE_TABLE}/openai/gpt-4o-mini`,
    );
    expect(price('house-model-7b', 'openai', u)).toBeNull();
    expect(priceEvent({ model: null, provider: null, timestamp: at, ...u }, [], table)).toBeNull();
  });
});
