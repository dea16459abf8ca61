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
  loadState,
  rawRecord,
  saveState,
  stateChanges,
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
  /** Pending requests older than this at import time become timeout events. */
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
  sweep(batch, state, ctx, options.timeoutMs, indexOf, fresh);
  return finish(batch, state, ctx, rows);
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
      const id = idOf(row.table === TABLES.sessions ? (v['session_id'] ?? v['id']) : v['id']);
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

/** Pending requests past the limit become timeout events (the request's row, if in this batch). */
function sweep(
  batch: Batch,
  state: PairingState,
  ctx: SeedImportContext,
  limitMs: number,
  indexOf: Map<Interaction, number>,
  fresh: readonly Interaction[],
): void {
  const rowOf = new Map(fresh.map((r) => [r.id, indexOf.get(r)!]));
  for (const [k, p] of overdue(state, ctx.now, limitMs)) {
    add(
      batch,
      [timeoutEvent(ctx.workspace, p, clientFor(state, p), limitMs)],
      rowOf.get(p.interactionId) ?? null,
    );
    p.timedOut = true;
    state.changed.add(k);
  }
  // Timed-out requests past the late-answer window are forgotten (stateChanges deletes them).
  for (const [k, p] of state.pending)
    if (p.timedOut && ctx.now - p.ts > KEEP_TIMED_OUT_MS) state.changed.add(k);
}

async function finish(
  batch: Batch,
  state: PairingState,
  ctx: SeedImportContext,
  rows: readonly SeedRow[],
): Promise<SeedImportResult> {
  const items: RawItem[] = batch.events.map((value) => ({ ok: true, value }));
  const ingested = await ctx.engine.ingest(items, ctx.now);
  const result = emptyImportResult();
  result.rows = rows.length;
  result.accepted = ingested.accepted;
  result.updated = ingested.updated;
  result.duplicates = ingested.duplicates + batch.repeats;
  result.rejected = batch.rejected;
  for (const r of ingested.rejected) {
    const index = batch.eventRows[r.index];
    // A timeout event for a request of an earlier batch has no row here; it is retried next time.
    if (index === null || index === undefined) continue;
    result.rejected.push({
      index,
      table: rows[index]?.table ?? null,
      id: r.id,
      code: r.code,
      message: r.message,
    });
  }
  result.rejected.sort((a, b) => a.index - b.index);
  const changes = stateChanges(ctx.workspace, state, ctx.now);
  await ctx.engine.store.seedRecords.put(batch.records, ctx.now);
  result.records =
    batch.records.length + (await saveState(ctx.engine.store, ctx.workspace, changes, ctx.now));
  return result;
}
