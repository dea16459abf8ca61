import { attrsOf, str, type Attrs } from './attributes.js';
import { STATUS_CODE, type OtlpSpan } from './otlp-types.js';

/** Attributes read here, left out of the event's `attributes`. */
export const ERROR_KEYS: readonly string[] = ['error.type', 'rpc.response.status_code'];

export interface SpanOutcome {
  status: 'ok' | 'error' | 'timeout';
  error?: { type?: string; code?: string | number; message?: string };
}

/** JSON-RPC "request timeout" in the MCP TypeScript SDK: the client gave up waiting. */
const MCP_REQUEST_TIMEOUT = -32001;

/**
 * A span's outcome. error.type or an ERROR status makes it an error; the message is the status
 * description (MCP semconv: the JSON-RPC error message), else an `exception` event's message.
 * For MCP, error.type is "the string representation of the JSON-RPC error code" or `tool_error`
 * for a result with isError (mcp-common.yaml): a numeric type becomes Cairn's `jsonrpc_error`
 * with that code, matching the events the MCP adapters send.
 */
export function spanOutcome(span: OtlpSpan, a: Attrs): SpanOutcome {
  const type = str(a, 'error.type');
  if (type === undefined && span.status.code !== STATUS_CODE.error) return { status: 'ok' };
  const exception = exceptionOf(span);
  const error = errorOf(
    type ?? exception.type,
    codeOf(a),
    span.status.message || exception.message,
  );
  const timeout = error.code === MCP_REQUEST_TIMEOUT || error.code === String(MCP_REQUEST_TIMEOUT);
  return { status: timeout ? 'timeout' : 'error', error };
}

function errorOf(
  type: string | undefined,
  code: string | number | undefined,
  message: string | undefined,
) {
  const numeric = type !== undefined && /^-?\d+$/.test(type);
  const error: NonNullable<SpanOutcome['error']> = {};
  const t = numeric ? 'jsonrpc_error' : type;
  if (t !== undefined) error.type = t;
  const c = code ?? (numeric ? Number(type) : undefined);
  if (c !== undefined) error.code = c;
  if (message !== undefined && message !== '') error.message = message;
  return error;
}

/** rpc.response.status_code (a JSON-RPC code), as a number when it is one. */
function codeOf(a: Attrs): string | number | undefined {
  const raw = str(a, 'rpc.response.status_code');
  if (raw === undefined) return undefined;
  return /^-?\d+$/.test(raw) ? Number(raw) : raw;
}

/** The first `exception` span event (the SDK's recordException) names the error when nothing else does. */
function exceptionOf(span: OtlpSpan): { type?: string; message?: string } {
  const event = span.events.find((e) => e.name === 'exception');
  if (event === undefined) return {};
  const a = attrsOf(event.attributes);
  const out: { type?: string; message?: string } = {};
  const type = str(a, 'exception.type');
  const message = str(a, 'exception.message');
  if (type !== undefined) out.type = type;
  if (message !== undefined) out.message = message;
  return out;
}
