/**
 * Converters from providers' usage objects to Cairn's usage, whose `input_tokens` counts every
 * input token, cached ones included (OpenTelemetry and OpenAI convention), and whose
 * `reasoning_tokens` are a part of `output_tokens`. Anthropic reports input without cache reads
 * and writes, so its converter adds them back.
 */
export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
}

type Obj = Record<string, unknown>;

function num(o: unknown, ...path: string[]): number {
  let cur: unknown = o;
  for (const key of path) cur = cur && typeof cur === 'object' ? (cur as Obj)[key] : undefined;
  return typeof cur === 'number' && Number.isFinite(cur) ? cur : 0;
}

/** OpenAI Chat Completions: `prompt_tokens` already includes `prompt_tokens_details.cached_tokens`. */
export function usageFromOpenAIChat(u: unknown): Usage {
  return {
    input_tokens: num(u, 'prompt_tokens'),
    output_tokens: num(u, 'completion_tokens'),
    cache_read_tokens: num(u, 'prompt_tokens_details', 'cached_tokens'),
    cache_write_tokens: 0,
    reasoning_tokens: num(u, 'completion_tokens_details', 'reasoning_tokens'),
  };
}

/** OpenAI Responses API: `input_tokens` already includes `input_tokens_details.cached_tokens`. */
export function usageFromOpenAIResponses(u: unknown): Usage {
  return {
    input_tokens: num(u, 'input_tokens'),
    output_tokens: num(u, 'output_tokens'),
    cache_read_tokens: num(u, 'input_tokens_details', 'cached_tokens'),
    cache_write_tokens: 0,
    reasoning_tokens: num(u, 'output_tokens_details', 'reasoning_tokens'),
  };
}

/** Anthropic Messages: `input_tokens` excludes cache reads and writes, which are added here. */
export function usageFromAnthropic(u: unknown): Usage {
  const cacheRead = num(u, 'cache_read_input_tokens');
  const cacheWrite = num(u, 'cache_creation_input_tokens');
  return {
    input_tokens: num(u, 'input_tokens') + cacheRead + cacheWrite,
    output_tokens: num(u, 'output_tokens'),
    cache_read_tokens: cacheRead,
    cache_write_tokens: cacheWrite,
    reasoning_tokens: num(u, 'output_tokens_details', 'thinking_tokens'),
  };
}
