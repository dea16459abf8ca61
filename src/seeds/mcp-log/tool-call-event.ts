import { createHash } from 'node:crypto';
import { supportsNotifications, type ClientInfo } from './client-info.js';
import { isObject, outcomeOf, type JsonObject } from './jsonrpc.js';
import type { Answer, PendingRequest } from './pairing.js';

/**
 * A request and how it ended → one Cairn `tool_call` wire event (any method: tools/call,
 * resources/read, initialize, sampling/createMessage …; `tool` is set for tools/call only).
 */

/** Revisions: a timeout is replaced by the real answer if one arrives later, never the reverse. */
export const REVISION = { timeout: 1, answered: 2 } as const;

/**
 * The event id: a hash of the session, the requesting side, the request id and the request's
 * interaction id, so re-importing or re-sending the log never counts an exchange twice, and a
 * request id reused later in the session is another exchange.
 */
export function exchangeEventId(r: PendingRequest): string {
  const key = JSON.stringify([r.sessionId, r.requester, r.requestId, r.interactionId]);
  return `mcp:${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

export type WireEvent = Record<string, unknown>;

/** The event for a request answered by a response or withdrawn by notifications/cancelled. */
export function answeredEvent(
  workspace: string,
  request: PendingRequest,
  answer: Answer,
  client: ClientInfo,
): WireEvent {
  const e = baseEvent(workspace, request, client, REVISION.answered);
  e['duration_ms'] = Math.max(0, answer.ts - request.ts);
  const attrs = e['attributes'] as JsonObject;
  attrs['mcp.response_interaction_id'] = answer.interactionId;
  (e['counters'] as Record<string, number>)['response_bytes'] = answer.bytes;
  if (answer.kind === 'cancelled') {
    e['status'] = 'cancelled';
    const reason = (answer.message['params'] as JsonObject | undefined)?.['reason'];
    if (typeof reason === 'string') attrs['mcp.cancel_reason'] = reason;
    return e;
  }
  const outcome = outcomeOf(answer.message);
  e['status'] = outcome.status;
  if (outcome.error) e['error'] = outcome.error;
  attrs['mcp.result_type'] = outcome.resultType;
  if (outcome.summary !== null) attrs['mcp.result_summary'] = outcome.summary;
  const stack = errorStack(answer.message);
  if (stack !== null) attrs['mcp.error_stack'] = stack;
  return e;
}

/** The event for a request left unanswered past the limit; no JSON-RPC code was ever sent. */
export function timeoutEvent(
  workspace: string,
  request: PendingRequest,
  client: ClientInfo,
  limitMs: number,
): WireEvent {
  const e = baseEvent(workspace, request, client, REVISION.timeout);
  e['status'] = 'timeout';
  // Nothing came back: 0 bytes, as the seed counts a request with no response.
  (e['counters'] as Record<string, number>)['response_bytes'] = 0;
  e['error'] = { type: 'timeout', message: `no response within ${limitMs} ms` };
  return e;
}

function baseEvent(
  workspace: string,
  r: PendingRequest,
  client: ClientInfo,
  revision: number,
): WireEvent {
  const args = r.method === 'tools/call' ? r.params['arguments'] : undefined;
  const call: JsonObject = { method: r.method, request_id: r.requestId };
  if (args !== undefined) call['arguments'] = args;
  const e: WireEvent = {
    id: exchangeEventId(r),
    type: 'tool_call',
    timestamp: r.ts,
    revision,
    workspace,
    session_id: r.sessionId,
    tool_call: call,
    counters: {
      request_bytes: r.bytes,
      argument_count: isObject(args) ? Object.keys(args).length : 0,
    },
    attributes: attributesOf(r, client),
  };
  const tool = r.method === 'tools/call' ? r.params['name'] : undefined;
  if (typeof tool === 'string' && tool !== '') e['tool'] = tool;
  if (client.name) e['client_name'] = client.name;
  if (client.version) e['client_version'] = client.version;
  return e;
}

function attributesOf(r: PendingRequest, client: ClientInfo): JsonObject {
  const a: JsonObject = {
    'mcp.direction': r.requester === 'client' ? 'client_to_server' : 'server_to_client',
    'mcp.request_interaction_id': r.interactionId,
  };
  if (client.protocolVersion) a['mcp.protocol_version'] = client.protocolVersion;
  if (r.method === 'initialize') {
    a['mcp.initialization_params'] = JSON.stringify(r.params);
    const notifies = supportsNotifications(client);
    if (notifies !== undefined) a['mcp.supports_notifications'] = notifies ? 1 : 0;
  }
  return a;
}

/** A stack trace some servers put in the JSON-RPC error's data. */
function errorStack(message: JsonObject): string | null {
  const error = message['error'];
  if (!isObject(error) || !isObject(error['data'])) return null;
  const stack = error['data']['stack'];
  return typeof stack === 'string' ? stack : null;
}

/**
 * An error response with id null answers no request it could name (the server could not read
 * one, e.g. a parse error): it becomes an `error` event of its own.
 */
export function unpairedErrorEvent(
  workspace: string,
  sessionId: string,
  interactionId: string,
  ts: number,
  response: JsonObject,
): WireEvent | null {
  const outcome = outcomeOf(response);
  if (!outcome.error) return null;
  const key = JSON.stringify([sessionId, interactionId]);
  return {
    id: `mcp-error:${createHash('sha256').update(key).digest('hex').slice(0, 40)}`,
    type: 'error',
    timestamp: ts,
    workspace,
    session_id: sessionId,
    error: outcome.error,
    attributes: { 'mcp.response_interaction_id': interactionId },
  };
}
