import type { ModelSpec, ToolSpec } from './catalog.js';
import { WeightedTable, type Prng } from './prng.js';
import type { WireError } from './wire-event-like.js';

/** How a failed LLM or tool call ends: its status, its error, and a duration if the failure fixes it. */
export interface Failure {
  status: 'error' | 'timeout';
  error: WireError;
  /** Set for timeouts: the call lasted exactly as long as the caller's deadline. */
  durationMs?: number;
}

type FailureMaker<S> = (prng: Prng, subject: S) => Failure;

const llmFailures = new WeightedTable<FailureMaker<ModelSpec>>(
  [
    (_, model) =>
      fail('rate_limit_error', 429, `Rate limit reached for ${model.id} on requests per minute`),
    () => fail('api_error', 500, 'The server had an error while processing your request.'),
    (_, model) => overloaded(model.provider),
    () => fail('invalid_request_error', 400, 'prompt is too long: 212043 tokens > 200000 maximum'),
    (prng) => timeout('ETIMEDOUT', 'Request timed out.', prng.pick([60_000, 120_000])),
  ],
  [35, 25, 15, 10, 15],
);

/**
 * Tool failures as MCP servers really report them: mostly a successful JSON-RPC response whose
 * result has `isError: true` (type `tool_error`, no code), then JSON-RPC errors, then the client
 * giving up (-32001 is the TypeScript SDK's RequestTimeout).
 */
const toolFailures = new WeightedTable<FailureMaker<ToolSpec>>(
  [
    (prng, tool) => fail('tool_error', undefined, prng.pick(toolErrorTexts(tool.server))),
    () => fail('jsonrpc_error', -32603, 'Internal error'),
    () => fail('jsonrpc_error', -32602, 'Invalid params: missing required argument "query"'),
    () => fail('jsonrpc_error', -32601, 'Method not found'),
    (prng) => timeout(-32001, 'Request timed out', prng.pick([30_000, 60_000])),
  ],
  [50, 18, 6, 1, 25],
);

const TOOL_ERROR_TEXTS: Readonly<Record<string, readonly string[]>> = {
  filesystem: [
    "ENOENT: no such file or directory, open 'src/config.ts'",
    'EACCES: permission denied',
  ],
  postgres: [
    'relation "orders_2024" does not exist',
    'canceling statement due to statement timeout',
  ],
  github: ['API rate limit exceeded for installation', 'Not Found: repository acme/billing'],
  browser: ['Timeout 30000ms exceeded waiting for selector "#submit"'],
};
const GENERIC_TOOL_ERRORS = [
  'Upstream service returned 503 Service Unavailable',
  'Unauthorized: token expired',
];

function toolErrorTexts(server: string): readonly string[] {
  return TOOL_ERROR_TEXTS[server] ?? GENERIC_TOOL_ERRORS;
}

/** Anthropic has its own status for a saturated API; OpenAI and Google answer 503. */
function overloaded(provider: string): Failure {
  return provider === 'anthropic'
    ? fail('overloaded_error', 529, 'Overloaded')
    : fail('api_error', 503, 'The engine is currently overloaded, please try again later.');
}

function fail(type: string, code: number | string | undefined, message: string): Failure {
  const error: WireError = code === undefined ? { type, message } : { type, code, message };
  return { status: 'error', error };
}

function timeout(code: number | string, message: string, durationMs: number): Failure {
  return { status: 'timeout', error: { type: 'timeout', code, message }, durationMs };
}

/** A failed LLM call to `model`. */
export function llmFailure(prng: Prng, model: ModelSpec): Failure {
  return prng.weighted(llmFailures)(prng, model);
}

/** A failed MCP `tools/call` of `tool`. */
export function toolFailure(prng: Prng, tool: ToolSpec): Failure {
  return prng.weighted(toolFailures)(prng, tool);
}
