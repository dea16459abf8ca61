import {
  clientInfoOf,
  isEmptyClientInfo,
  mergeClientInfo,
  type ClientInfo,
} from './client-info.js';
import { paramsOf, type JsonObject, type RequestId } from './jsonrpc.js';
import type { Direction, Interaction } from './rows.js';

/**
 * Request/response pairing, incremental across batches. Both sides of an MCP connection number
 * their own requests (the SDK starts both at 0), so a request is keyed by its session, the side
 * that sent it and its id; a response is sent by the other side, and `notifications/cancelled`
 * by the same side. What is unmatched at the end of a batch is carried in the state.
 */

export type Side = 'client' | 'server';

export interface PendingRequest {
  interactionId: string;
  sessionId: string;
  requester: Side;
  requestId: RequestId;
  ts: number;
  method: string;
  params: JsonObject;
  bytes: number;
  /** Set once a timeout event was written for it; a late answer then replaces that event. */
  timedOut: boolean;
}

/** A response (or cancellation) whose request has not been seen yet. */
export interface Answer {
  interactionId: string;
  kind: 'response' | 'cancelled';
  ts: number;
  bytes: number;
  message: JsonObject;
}

export interface PairingState {
  pending: Map<string, PendingRequest>;
  answers: Map<string, Answer>;
  clients: Map<string, ClientInfo>;
  /** Keys changed by this batch (written back), and keys to delete. */
  changed: Set<string>;
  removed: Set<string>;
  changedClients: Set<string>;
}

/** A completed exchange: a request and how it ended, with the batch row that completed it. */
export interface Exchange {
  request: PendingRequest;
  answer: Answer;
  client: ClientInfo;
  row: Interaction;
}

export function emptyState(): PairingState {
  return {
    pending: new Map(),
    answers: new Map(),
    clients: new Map(),
    changed: new Set(),
    removed: new Set(),
    changedClients: new Set(),
  };
}

export const senderOf = (d: Direction): Side => (d === 'inbound' ? 'client' : 'server');
const other = (s: Side): Side => (s === 'client' ? 'server' : 'client');

/** The pairing key; JSON keeps the id's type, so 1 and "1" stay apart. */
export function pairKey(sessionId: string, requester: Side, requestId: RequestId): string {
  return JSON.stringify([sessionId, requester, requestId]);
}

/** Feeds interactions (in time order) through the state; returns the exchanges they complete. */
export function pairInteractions(rows: readonly Interaction[], state: PairingState): Exchange[] {
  const done: Exchange[] = [];
  for (const row of rows) {
    const exchange = step(row, state);
    if (exchange) done.push(exchange);
  }
  return done;
}

function step(row: Interaction, state: PairingState): Exchange | null {
  if (row.kind === 'request') return onRequest(row, state);
  const cancelled = cancelledId(row);
  if (row.kind === 'notification' && cancelled === null) return null;
  if (row.kind === 'response' && row.requestId === null) return null;
  const requester =
    row.kind === 'response' ? other(senderOf(row.direction)) : senderOf(row.direction);
  const key = pairKey(row.sessionId, requester, cancelled ?? row.requestId!);
  const answer: Answer = {
    interactionId: row.id,
    kind: row.kind === 'response' ? 'response' : 'cancelled',
    ts: row.ts,
    bytes: row.bytes,
    message: row.message,
  };
  const request = state.pending.get(key);
  if (request === undefined) {
    // Answered before its request was seen (batches out of order): keep it for the request.
    state.answers.set(key, answer);
    touch(state, key);
    return null;
  }
  state.pending.delete(key);
  drop(state, key);
  return { request, answer, client: clientFor(state, request), row };
}

function onRequest(row: Interaction, state: PairingState): Exchange | null {
  const method = row.method!;
  const requester = senderOf(row.direction);
  if (requester === 'client') noteClient(state, row.sessionId, clientInfoOf(method, row.message));
  const key = pairKey(row.sessionId, requester, row.requestId!);
  const request: PendingRequest = {
    interactionId: row.id,
    sessionId: row.sessionId,
    requester,
    requestId: row.requestId!,
    ts: row.ts,
    method,
    params: paramsOf(row.message),
    bytes: row.bytes,
    timedOut: false,
  };
  const answer = state.answers.get(key);
  if (answer !== undefined) {
    state.answers.delete(key);
    drop(state, key);
    return { request, answer, client: clientFor(state, request), row };
  }
  state.pending.set(key, request);
  touch(state, key);
  return null;
}

/** The request a `notifications/cancelled` withdraws. */
function cancelledId(row: Interaction): RequestId | null {
  if (row.method !== 'notifications/cancelled') return null;
  const id = paramsOf(row.message)['requestId'];
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

function noteClient(state: PairingState, sessionId: string, info: ClientInfo): void {
  if (isEmptyClientInfo(info)) return;
  state.clients.set(sessionId, mergeClientInfo(state.clients.get(sessionId), info));
  state.changedClients.add(sessionId);
}

/** The client as it named itself for this request, over what the session knew. */
export function clientFor(state: PairingState, request: PendingRequest): ClientInfo {
  const own =
    request.requester === 'client' ? clientInfoOf(request.method, { params: request.params }) : {};
  return mergeClientInfo(state.clients.get(request.sessionId), own);
}

function touch(state: PairingState, key: string): void {
  state.changed.add(key);
  state.removed.delete(key);
}

function drop(state: PairingState, key: string): void {
  state.changed.delete(key);
  state.removed.add(key);
}

/** Pending requests older than `limitMs` at `now` that have no timeout event yet. */
export function overdue(
  state: PairingState,
  now: number,
  limitMs: number,
): Array<[string, PendingRequest]> {
  return [...state.pending].filter(([, p]) => !p.timedOut && now - p.ts > limitMs);
}
