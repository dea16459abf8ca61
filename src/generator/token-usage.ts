import type { TokenField } from '../core/event-schema.js';
import type { ModelSpec } from './catalog.js';
import type { Prng } from './prng.js';

/** Median call latency of LLM and tool calls in the reference workload (DESIGN.md, W-agent). */
export const CALL_MEDIAN_MS = 400;

/** A call's latency: log-normal around CALL_MEDIAN_MS, whole milliseconds, never zero. */
export function callLatency(prng: Prng, sigma: number): number {
  return Math.max(1, Math.round(prng.logNormal(CALL_MEDIAN_MS, sigma)));
}

/**
 * Token usage of one generation, in Cairn's convention: `input_tokens` counts cached tokens too
 * (so cache reads and writes never exceed it) and `reasoning_tokens` are a part of
 * `output_tokens`, reported only by reasoning models. `contextTokens` is the conversation so far,
 * which is what makes later turns dearer and cache hits likelier.
 */
export function drawUsage(
  prng: Prng,
  model: ModelSpec,
  contextTokens: number,
): Record<TokenField, number> {
  const input = Math.round(prng.logNormal(900, 0.7)) + contextTokens;
  const cacheRead = cachedPart(prng, input, contextTokens);
  const cacheWrite = model.cache === 'explicit' ? cacheWritten(prng, input - cacheRead) : 0;
  const reasoning = model.reasoning ? Math.round(prng.logNormal(450, 0.9)) : 0;
  const visible = 1 + Math.round(prng.logNormal(220, 0.8));
  return {
    input_tokens: input,
    output_tokens: visible + reasoning,
    cache_read_tokens: cacheRead,
    cache_write_tokens: cacheWrite,
    reasoning_tokens: reasoning,
  };
}

/** Providers only cache a prefix seen before, so a cache hit needs earlier context. */
function cachedPart(prng: Prng, input: number, contextTokens: number): number {
  if (contextTokens === 0 || !prng.chance(0.6)) return 0;
  return Math.floor(input * prng.between(0.3, 0.9));
}

/** Anthropic bills writing a new cache breakpoint; it happens on a minority of calls. */
function cacheWritten(prng: Prng, uncached: number): number {
  if (!prng.chance(0.25)) return 0;
  return Math.min(uncached, Math.round(prng.logNormal(700, 0.5)));
}
