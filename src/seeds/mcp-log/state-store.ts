import type { SeedRecord } from '../../store/seed-record-store.js';
import type { Store } from '../../store/store.js';
import type { ClientInfo } from './client-info.js';
import type { Answer, PairingState, PendingRequest } from './pairing.js';
import { emptyState, pairKey, senderOf } from './pairing.js';
import type { Interaction } from './rows.js';

/**
 * The pairing state lives in seed_records beside the raw log, so a response arriving in a later
 * batch (or another process) than its request still pairs. Keys are the pairing keys; lookups
 * are by primary key. Pending requests are also read whole for the timeout sweep: there are few
 * (requests in flight, and timed-out ones kept for a late answer for KEEP_TIMED_OUT_MS).
 */

export const FORMAT = 'mcp-log';
export const TABLES = {
  interactions: 'interactions',
  sessions: 'sessions',
  events: 'events',
  pending: 'mcp_pending',
  answers: 'mcp_answers',
  clients: 'mcp_clients',
  clock: 'mcp_clock',
} as const;

/** How long a timed-out request waits for a late answer before it is forgotten. */
export const KEEP_TIMED_OUT_MS = 24 * 3_600_000;

const key = (workspace: string, seed_table: string) => ({ workspace, format: FORMAT, seed_table });

/** Loads what the batch's interactions may pair with, every pending request, and their clients. */
export async function loadState(
  store: Store,
  workspace: string,
  rows: readonly Interaction[],
): Promise<PairingState> {
  const state = emptyState();
  for (const r of await store.seedRecords.get(key(workspace, TABLES.pending)))
    state.pending.set(r.id, pendingOf(r.data as PendingRecord));
  const keys = [...new Set(rows.flatMap(answerKeys))];
  for (const r of await store.seedRecords.get(key(workspace, TABLES.answers), keys))
    state.answers.set(r.id, r.data as Answer);
  const sessions = [...new Set([...rows.map((r) => r.sessionId), ...pendingSessions(state)])];
  for (const r of await store.seedRecords.get(key(workspace, TABLES.clients), sessions))
    state.clients.set(r.id, r.data as ClientInfo);
  return state;
}

function pendingSessions(state: PairingState): string[] {
  return [...state.pending.values()].map((p) => p.sessionId);
}

/** A request may meet an answer stored earlier under its own key. */
function answerKeys(r: Interaction): string[] {
  return r.kind === 'request' && r.requestId !== null
    ? [pairKey(r.sessionId, senderOf(r.direction), r.requestId)]
    : [];
}

/** The stored form of a pending request: flat columns for the tool_executions view, and params. */
interface PendingRecord extends Omit<PendingRequest, 'timedOut'> {
  timed_out: 0 | 1;
  session_id: string;
  request_id: string;
  interaction_id: string;
  tool_name: string | null;
  arguments: unknown;
  argument_count: number;
}

function pendingOf(d: PendingRecord): PendingRequest {
  return {
    interactionId: d.interactionId,
    sessionId: d.sessionId,
    requester: d.requester,
    requestId: d.requestId,
    ts: d.ts,
    method: d.method,
    params: d.params,
    bytes: d.bytes,
    timedOut: d.timed_out === 1,
  };
}

function recordOf(p: PendingRequest): PendingRecord {
  const args = p.method === 'tools/call' ? p.params['arguments'] : undefined;
  const tool = p.method === 'tools/call' ? p.params['name'] : undefined;
  const { timedOut, ...rest } = p;
  return {
    ...rest,
    timed_out: timedOut ? 1 : 0,
    session_id: p.sessionId,
    request_id: String(p.requestId),
    interaction_id: p.interactionId,
    tool_name: typeof tool === 'string' ? tool : null,
    arguments: args ?? null,
    argument_count: typeof args === 'object' && args !== null ? Object.keys(args).length : 0,
  };
}

/**
 * The log's own clock for a workspace: the newest interaction time seen (`ts`) and the wall-clock
 * time it was first seen (`at`). Timeouts are judged against it, not against the import's wall
 * clock, so an old log imported in batches pairs as it would in one batch.
 */
export interface LogClock {
  ts: number;
  at: number;
}

const CLOCK_ID = 'log';

export async function loadClock(store: Store, workspace: string): Promise<LogClock | null> {
  const [r] = await store.seedRecords.get(key(workspace, TABLES.clock), [CLOCK_ID]);
  return r ? (r.data as LogClock) : null;
}

export async function saveClock(
  store: Store,
  workspace: string,
  clock: LogClock,
  now: number,
): Promise<void> {
  await store.seedRecords.put(
    [{ ...key(workspace, TABLES.clock), id: CLOCK_ID, ts: clock.ts, data: clock }],
    now,
  );
}

/** The state's changes as seed records to write and keys to delete (`forget`: pending keys). */
export function stateChanges(
  workspace: string,
  state: PairingState,
  forget: ReadonlySet<string>,
): { put: SeedRecord[]; remove: { table: string; ids: string[] }[] } {
  const put: SeedRecord[] = [];
  for (const k of state.changed) {
    const p = state.pending.get(k);
    if (p && !forget.has(k))
      put.push({ ...key(workspace, TABLES.pending), id: k, ts: p.ts, data: recordOf(p) });
    const a = state.answers.get(k);
    if (a) put.push({ ...key(workspace, TABLES.answers), id: k, ts: a.ts, data: a });
  }
  for (const s of state.changedClients)
    put.push({ ...key(workspace, TABLES.clients), id: s, ts: null, data: state.clients.get(s) });
  const gone = [...new Set([...state.removed, ...forget])];
  return {
    put,
    remove: [
      { table: TABLES.pending, ids: gone },
      { table: TABLES.answers, ids: [...state.removed] },
    ],
  };
}

/** Writes the changes: records first, then deletions. */
export async function saveState(
  store: Store,
  workspace: string,
  changes: ReturnType<typeof stateChanges>,
  now: number,
): Promise<number> {
  const written = await store.seedRecords.put(changes.put, now);
  for (const r of changes.remove) await store.seedRecords.delete(key(workspace, r.table), r.ids);
  return written;
}

/** The raw log's records for rows not seen before. */
export function rawRecord(
  workspace: string,
  table: string,
  id: string,
  ts: number | null,
  values: unknown,
): SeedRecord {
  return { ...key(workspace, table), id, ts, data: values };
}

/** Interaction ids already in the raw log. */
export async function knownInteractions(
  store: Store,
  workspace: string,
  ids: readonly string[],
): Promise<Set<string>> {
  const found = await store.seedRecords.get(key(workspace, TABLES.interactions), ids);
  return new Set(found.map((r) => r.id));
}
