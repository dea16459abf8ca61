import { validationContext } from '../../ingest/ingest-batch.js';
import type { RawItem } from '../../ingest/raw-item.js';
import type { RowRejection, SeedImportContext, SeedImportResult, SeedRow } from '../adapter.js';
import { emptyImportResult } from '../import-rows.js';
import { clientFor, overdue, pairInteractions, type PairingState } from './pairing.js';
import { parseEventRow, parseInteraction, parseSession, type Interaction } from './rows.js';
import { seedEventEvent, sessionEvents } from './session-events.js';
import {
  KEEP_TIMED_OUT_MS,
  TABLES,
  knownInteractions,
  loadClock,
  loadState,
  rawRecord,
  saveClock,
  saveState,
  stateChanges,
  type LogClock,
} from './state-store.js';
import {
  answeredEvent,
  timeoutEvent,
  unpairedErrorEvent,
  type WireEvent,
} from './tool-call-event.js';
import type { SeedRecord } from '../../store/seed-record-store.js';

/** Default time a request may wait for its response before it counts as timed out. */
export const DEFAULT_TIMEOUT_MS = 5 * 60_000;

export interface McpLogOptions {
  /** Pending requests older than this on the log's clock become timeout events. */
  readonly timeoutMs: number;
}

/** A batch in progress: events to ingest and records to write, each tied to its row. */
interface Batch {
  events: WireEvent[];
  eventRows: (number | null)[];
  records: SeedRecord[];
  rejected: RowRejection[];
  /** Interaction rows already in the raw log (or earlier in the batch): skipped, not re-paired. */
  repeats: number;
}

/**
 * Imports one batch of mcp-log rows: parse every row, keep new interactions in the raw log,
 * pair requests with responses (across batches through the stored state), time out what waited
 * too long, and ingest the resulting events in one call. Events are ingested before the state is
 * written: a crash in between replays as duplicates, never as lost or double-counted exchanges.
 */
export async function importMcpRows(
  rows: readonly SeedRow[],
  ctx: SeedImportContext,
  options: McpLogOptions,
): Promise<SeedImportResult> {
  const { engine, workspace } = ctx;
  const batch: Batch = { events: [], eventRows: [], records: [], rejected: [], repeats: 0 };
  const indexOf = readRows(rows, ctx, batch);
  const fresh = await newInteractions(ctx, [...indexOf.keys()]);
  batch.repeats = indexOf.size - fresh.length;
  for (const r of fresh)
    batch.records.push(
      rawRecord(workspace, TABLES.interactions, r.id, r.ts, rows[indexOf.get(r)!]!.values),
    );
  const state = await loadState(engine.store, workspace, fresh);
  for (const x of pairInteractions(fresh, state))
    add(batch, [answeredEvent(workspace, x.request, x.answer, x.client)], indexOf.get(x.row)!);
  for (const r of fresh)
    if (r.kind === 'response' && r.requestId === null) {
      const e = unpairedErrorEvent(workspace, r.sessionId, r.id, r.ts, r.message);
      if (e) add(batch, [e], indexOf.get(r)!);
    }
  const stored = await loadClock(engine.store, workspace);
  const clock = logClock(stored, fresh, state, ctx.now);
  const forget = sweep(batch, state, ctx.workspace, clock.now, options.timeoutMs, indexOf, fresh);
  const result = await finish(batch, state, ctx, rows, forget);
  if (clock.next !== null && clock.next !== stored)
    await saveClock(engine.store, workspace, clock.next, ctx.now);
  return result;
}

/**
 * The time on the log's own clock at this import, and the clock to store. The log's clock is
 * the newest interaction time seen for the workspace, moved on by the wall-clock time elapsed
 * since it was seen: for a live stream that is about now (an empty import still times out what
 * waits too long), for an old log imported in batches it is the log's time, not today's.
 */
function logClock(
  stored: LogClock | null,
  fresh: readonly Interaction[],
  state: PairingState,
  now: number,
): { now: number; next: LogClock | null } {
  let newest = -Infinity;
  for (const r of fresh) newest = Math.max(newest, r.ts);
  // Pending requests are log times too (state written before the clock was kept).
  for (const p of state.pending.values()) newest = Math.max(newest, p.ts);
  const elapsed = stored === null ? -Infinity : stored.ts + Math.max(0, now - stored.at);
  const next =
    stored !== null && stored.ts >= newest
      ? stored
      : isFinite(newest)
        ? { ts: newest, at: now }
        : stored;
  return { now: Math.max(newest, elapsed), next };
}

/**
 * Parses every row. Sessions and events rows become events and raw records at once; the
 * interactions are returned (with their row index) for pairing. Bad rows are rejected by index.
 */
function readRows(
  rows: readonly SeedRow[],
  ctx: SeedImportContext,
  batch: Batch,
): Map<Interaction, number> {
  const window = validationContext(ctx.engine.config, ctx.now).window;
  const interactions = new Map<Interaction, number>();
  rows.forEach((row, index) => {
    const v = row.values;
    const p =
      row.table === TABLES.interactions
        ? parseInteraction(v, window)
        : row.table === TABLES.sessions
          ? parseSession(v, window)
          : parseEventRow(v, window);
    if (!p.ok) {
      const id = rowId(row);
      batch.rejected.push({ index, table: row.table, id, code: p.code, message: p.message });
    } else if ('direction' in p.row) interactions.set(p.row, index);
    else if ('eventType' in p.row) {
      add(batch, [seedEventEvent(ctx.workspace, p.row)], index);
      batch.records.push(rawRecord(ctx.workspace, TABLES.events, p.row.id, p.row.ts, v));
    } else {
      add(batch, sessionEvents(ctx.workspace, p.row), index);
      batch.records.push(
        rawRecord(ctx.workspace, TABLES.sessions, p.row.sessionId, p.row.startTime, v),
      );
    }
  });
  return interactions;
}

/** A row's id in the seed's log: the session id for sessions rows, else `id`. */
function rowId(row: SeedRow): string | null {
  const v = row.values;
  return idOf(row.table === TABLES.sessions ? (v['session_id'] ?? v['id']) : v['id']);
}

function idOf(v: unknown): string | null {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : null;
}

function add(batch: Batch, events: WireEvent[], row: number | null): void {
  for (const e of events) {
    batch.events.push(e);
    batch.eventRows.push(row);
  }
}

/** Interactions not already in the raw log (nor earlier in this batch), in time order. */
async function newInteractions(
  ctx: SeedImportContext,
  rows: Interaction[],
): Promise<Interaction[]> {
  const known = await knownInteractions(ctx.engine.store, ctx.workspace, [
    ...new Set(rows.map((r) => r.id)),
  ]);
  const fresh = rows.filter((r) => {
    if (known.has(r.id)) return false;
    known.add(r.id);
    return true;
  });
  // Stable: rows with the same timestamp keep their log order.
  return fresh.sort((a, b) => a.ts - b.ts);
}

/**
 * Pending requests past the limit at `now` (the log's clock) become timeout events (the request's
 * row, if in this batch). Returns the keys of requests timed out in an earlier batch and past the
 * late-answer window, to forget; a request is never forgotten by the batch that timed it out.
 */
function sweep(
  batch: Batch,
  state: PairingState,
  workspace: string,
  now: number,
  limitMs: number,
  indexOf: Map<Interaction, number>,
  fresh: readonly Interaction[],
): Set<string> {
  const rowOf = new Map(fresh.map((r) => [r.id, indexOf.get(r)!]));
  const forget = new Set<string>();
  for (const [k, p] of state.pending)
    if (p.timedOut && now - p.ts > KEEP_TIMED_OUT_MS) forget.add(k);
  for (const [k, p] of overdue(state, now, limitMs)) {
    add(
      batch,
      [timeoutEvent(workspace, p, clientFor(state, p), limitMs)],
      rowOf.get(p.interactionId) ?? null,
    );
    p.timedOut = true;
    state.changed.add(k);
  }
  return forget;
}

async function finish(
  batch: Batch,
  state: PairingState,
  ctx: SeedImportContext,
  rows: readonly SeedRow[],
  forget: ReadonlySet<string>,
): Promise<SeedImportResult> {
  const items: RawItem[] = batch.events.map((value) => ({ ok: true, value }));
  const ingested = await ctx.engine.ingest(items, ctx.now);
  const result = emptyImportResult();
  result.rows = rows.length;
  result.accepted = ingested.accepted;
  result.updated = ingested.updated;
  result.duplicates = ingested.duplicates + batch.repeats;
  result.rejected = batch.rejected;
  const listed = new Set(batch.rejected.map((r) => r.index));
  for (const r of ingested.rejected) {
    const index = batch.eventRows[r.index];
    // A timeout event for a request of an earlier batch has no row here; it is retried next time.
    // A row with two events (a closed session) is listed once.
    if (index === null || index === undefined || listed.has(index)) continue;
    listed.add(index);
    const row = rows[index];
    result.rejected.push({
      index,
      table: row?.table ?? null,
      id: row ? rowId(row) : null,
      code: r.code,
      message: r.message,
    });
  }
  result.rejected.sort((a, b) => a.index - b.index);
  const changes = stateChanges(ctx.workspace, state, forget);
  await ctx.engine.store.seedRecords.put(batch.records, ctx.now);
  result.records =
    batch.records.length + (await saveState(ctx.engine.store, ctx.workspace, changes, ctx.now));
  return result;
}
