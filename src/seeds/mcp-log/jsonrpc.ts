/**
 * JSON-RPC 2.0 as MCP uses it: what kind of message a log line holds, how a response ends a
 * request, and what its error code means. Pure functions over parsed messages.
 */

export type JsonObject = Record<string, unknown>;

/** JSON-RPC request ids are strings or numbers; 1 and "1" are different ids. */
export type RequestId = string | number;

export type MessageKind = 'request' | 'response' | 'notification';

/** What a message is, from its shape (a logged message_type is only a hint). */
export function kindOf(message: JsonObject): MessageKind | null {
  const hasId = typeof message['id'] === 'string' || typeof message['id'] === 'number';
  if (typeof message['method'] === 'string') return hasId ? 'request' : 'notification';
  // A response may carry id null: the server could not read the request's id (parse error).
  const answers = hasId || message['id'] === null;
  if (answers && ('result' in message || 'error' in message)) return 'response';
  return null;
}

/**
 * Error categories by JSON-RPC code: the five reserved by JSON-RPC 2.0, and the ones MCP and its
 * TypeScript SDK define in the implementation-defined server range (-32000 to -32099).
 */
export const ERROR_CATEGORIES: ReadonlyArray<readonly [number, string]> = [
  [-32700, 'parse_error'],
  [-32600, 'invalid_request'],
  [-32601, 'method_not_found'],
  [-32602, 'invalid_params'],
  [-32603, 'internal_error'],
  [-32000, 'connection_closed'],
  [-32001, 'request_timeout'],
  [-32002, 'resource_not_found'],
  [-32022, 'unsupported_protocol_version'],
  [-32042, 'url_elicitation_required'],
];

/** The category of a code: a known one, another server error, or unknown_error. */
export function errorCategory(code: number | null | undefined): string {
  if (code == null) return 'unknown_error';
  const known = ERROR_CATEGORIES.find(([c]) => c === code);
  if (known) return known[1];
  return code <= -32000 && code >= -32099 ? 'server_error' : 'unknown_error';
}

/** JSON-RPC "request timeout" in the MCP TypeScript SDK, as in the OTLP mapping. */
export const REQUEST_TIMEOUT_CODE = -32001;

export interface Outcome {
  status: 'ok' | 'error' | 'timeout';
  error?: { type: string; code?: number | string; message?: string };
  /** The seed's result_type: the first content block's type, `error`, or `other`. */
  resultType: string;
  /** The first 500 characters of the result text or the error message. */
  summary: string | null;
}

const SUMMARY_CHARS = 500;
const MESSAGE_CHARS = 16_384;

/**
 * How a response ends its request. A JSON-RPC error is `jsonrpc_error` with its code (timeout
 * for -32001); a result with `isError: true` is MCP's tool failure, `tool_error` — the same
 * types the OTLP mapping gives an instrumented server's spans.
 */
export function outcomeOf(response: JsonObject): Outcome {
  const error = response['error'];
  if (isObject(error)) {
    const code = typeof error['code'] === 'number' ? error['code'] : undefined;
    const message = typeof error['message'] === 'string' ? error['message'] : '';
    const e: NonNullable<Outcome['error']> = { type: 'jsonrpc_error' };
    if (code !== undefined) e.code = code;
    if (message !== '') e.message = message.slice(0, MESSAGE_CHARS);
    const status = code === REQUEST_TIMEOUT_CODE ? 'timeout' : 'error';
    return { status, error: e, resultType: 'error', summary: truncate(message) };
  }
  const result = isObject(response['result']) ? response['result'] : {};
  const text = firstText(result);
  if (result['isError'] === true) {
    const e: NonNullable<Outcome['error']> = { type: 'tool_error' };
    if (text) e.message = text.slice(0, MESSAGE_CHARS);
    return { status: 'error', error: e, resultType: 'error', summary: truncate(text) };
  }
  return { status: 'ok', resultType: resultTypeOf(result), summary: truncate(text) };
}

function resultTypeOf(result: JsonObject): string {
  const content = result['content'];
  if (!Array.isArray(content)) return 'other';
  const first: unknown = content[0];
  return isObject(first) && typeof first['type'] === 'string' ? first['type'] : 'text';
}

/** The text of the first text block of a tool result. */
function firstText(result: JsonObject): string | null {
  const content = result['content'];
  if (!Array.isArray(content)) return null;
  for (const block of content as unknown[])
    if (isObject(block) && block['type'] === 'text' && typeof block['text'] === 'string')
      return block['text'];
  return null;
}

function truncate(text: string | null): string | null {
  return text === null || text === '' ? null : [...text].slice(0, SUMMARY_CHARS).join('');
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The `params` object of a request or notification ({} when absent). */
export function paramsOf(message: JsonObject): JsonObject {
  return isObject(message['params']) ? message['params'] : {};
}
