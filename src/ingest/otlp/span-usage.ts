import type { Usage } from '../../core/usage.js';
import { num, type Attrs } from './attributes.js';

/**
 * Token usage from span attributes, in Cairn's convention: `input_tokens` counts every input
 * token, cache reads and writes included (docs/events.md, docs/otel.md).
 *
 * The OpenTelemetry GenAI conventions agree: gen_ai.usage.input_tokens "SHOULD include all types
 * of input tokens, including cached tokens", and for Anthropic spans the semconv says to compute
 * it as `input_tokens + cache_read_input_tokens + cache_creation_input_tokens`. OpenInference
 * (llm.token_count.prompt) and OpenLLMetry (llm.usage.prompt_tokens) also report the total.
 * The exception is the Vercel AI SDK up to v5, whose ai.usage.* (and the gen_ai.usage.* it writes
 * beside them) pass Anthropic's own input_tokens through, which excludes cached tokens.
 */

/** Which instrumentation wrote the span, as far as usage counting is concerned. */
export type UsageConvention = 'otel' | 'openinference' | 'openllmetry' | 'vercel';

// Candidate keys per measure, the current OTel name first; the first present one is used.
const INPUT = [
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.prompt_tokens', // deprecated OTel name, still sent by OpenLLMetry
  'llm.token_count.prompt', // OpenInference
  'llm.usage.prompt_tokens', // OpenLLMetry (older)
  'ai.usage.inputTokens', // Vercel AI SDK v5+
  'ai.usage.promptTokens', // Vercel AI SDK v4
];
const OUTPUT = [
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.completion_tokens',
  'llm.token_count.completion',
  'llm.usage.completion_tokens',
  'ai.usage.outputTokens',
  'ai.usage.completionTokens',
];
const CACHE_READ = [
  'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.usage.cache_read_input_tokens', // OpenLLMetry
  'llm.token_count.prompt_details.cache_read',
  'ai.usage.cachedInputTokens',
];
const CACHE_WRITE = [
  'gen_ai.usage.cache_creation.input_tokens',
  'gen_ai.usage.cache_creation_input_tokens',
  'llm.token_count.prompt_details.cache_write',
];
const REASONING = [
  'gen_ai.usage.reasoning.output_tokens',
  'llm.token_count.completion_details.reasoning',
  'llm.usage.reasoning_tokens',
  'ai.usage.reasoningTokens',
];

/** Every attribute read here, so the mapper can leave them out of `attributes`. */
export const USAGE_KEYS: readonly string[] = [
  ...INPUT,
  ...OUTPUT,
  ...CACHE_READ,
  ...CACHE_WRITE,
  ...REASONING,
  'llm.token_count.total',
  'llm.usage.total_tokens',
  'gen_ai.usage.total_tokens',
  'ai.usage.totalTokens',
];

/** An explicit answer from the sender wins over every inference (span, then resource). */
export const INCLUDES_CACHE_KEY = 'cairn.usage.input_includes_cache';

/** Detects the instrumentation from the attribute names it uses. */
export function usageConvention(a: Attrs): UsageConvention {
  if ('ai.operationId' in a || 'ai.model.provider' in a) return 'vercel';
  if ('openinference.span.kind' in a) return 'openinference';
  if ('llm.request.type' in a || 'traceloop.span.kind' in a || 'llm.usage.prompt_tokens' in a) {
    return 'openllmetry';
  }
  return 'otel';
}

/** Token usage of an LLM span, or undefined when it reports none. */
export function spanUsage(
  a: Attrs,
  provider: string | undefined,
  includesCache?: boolean,
): Usage | undefined {
  const input = num(a, ...INPUT);
  const output = num(a, ...OUTPUT);
  if (input === undefined && output === undefined) return undefined;
  const cacheRead = num(a, ...CACHE_READ) ?? fromProviderMetadata(a, 'cacheReadInputTokens') ?? 0;
  const cacheWrite =
    num(a, ...CACHE_WRITE) ?? fromProviderMetadata(a, 'cacheCreationInputTokens') ?? 0;
  const reported = input ?? 0;
  const excluded = excludesCache(a, provider, reported, cacheRead + cacheWrite, includesCache);
  return {
    input_tokens: excluded ? reported + cacheRead + cacheWrite : reported,
    output_tokens: output ?? 0,
    cache_read_tokens: cacheRead,
    cache_write_tokens: cacheWrite,
    reasoning_tokens: num(a, ...REASONING) ?? 0,
  };
}

/**
 * Whether the reported input count leaves cached tokens out (Anthropic's way). An explicit
 * `cairn.usage.input_includes_cache` decides; otherwise only Anthropic spans can, and they do
 * when the instrumentation passes Anthropic's count through (the AI SDK) or when the count is
 * smaller than the cached tokens alone — then it cannot have included them.
 */
function excludesCache(
  a: Attrs,
  provider: string | undefined,
  input: number,
  cached: number,
  includesCache: boolean | undefined,
): boolean {
  if (cached === 0 || !Number.isFinite(input)) return false;
  if (includesCache !== undefined) return !includesCache;
  if (!isAnthropic(provider)) return false;
  return usageConvention(a) === 'vercel' || input < cached;
}

export function isAnthropic(provider: string | undefined): boolean {
  return provider !== undefined && provider.toLowerCase().includes('anthropic');
}

/**
 * The AI SDK reports Anthropic cache reads and writes in provider metadata
 * (`ai.response.providerMetadata`, a JSON string: {"anthropic":{"cacheCreationInputTokens":…}}).
 */
function fromProviderMetadata(a: Attrs, field: string): number | undefined {
  const raw = a['ai.response.providerMetadata'];
  if (typeof raw !== 'string') return undefined;
  try {
    const meta = JSON.parse(raw) as Record<string, Record<string, unknown> | undefined>;
    const value = meta['anthropic']?.[field];
    return typeof value === 'number' ? value : undefined;
  } catch {
    return undefined;
  }
}
