import { CairnError } from '../../core/errors.js';
import { canonicalJson } from '../../core/canonical-json.js';
import { validateEvent } from '../../core/validate-event.js';
import { validationContext } from '../../ingest/ingest-batch.js';
import type { RowRejection, SeedImportContext, SeedImportResult, SeedRow } from '../adapter.js';
import { RowBatch } from '../row-batch.js';
import { observabilityToEvents } from './event-row.js';
import { messageToEvent } from './message-row.js';

type Rejection = Pick<RowRejection, 'code' | 'message'>;
type Mapped = { events: Record<string, unknown>[] } | { rejection: Rejection };
type Valid = { index: number; events: Record<string, unknown>[] };

/**
 * Imports a batch of observability rows: each row becomes its Cairn events, every event of a row
 * is validated before anything is stored (a row is taken whole or rejected whole, never half its
 * steps), and the rest go through engine.ingest as one batch — one transaction, dedup, revisions,
 * pricing and rollups as for any other event. Rejections come back by the row's index.
 *
 * Repeats of a row in one batch (same table and key) are settled here, row by row, before any
 * event is built into the batch — engine.ingest would settle them event by event, and a repeat
 * rejected for its run could still have its extra steps stored. See keepLatest.
 */
export async function importObservabilityRows(
  rows: readonly SeedRow[],
  ctx: SeedImportContext,
): Promise<SeedImportResult> {
  const check = validationContext(ctx.engine.config, ctx.now);
  const batch = new RowBatch(rows, { idOf: rowId });
  const valid: Valid[] = [];
  rows.forEach((row, index) => {
    const mapped = mapRow(row, ctx.workspace);
    const problem = 'rejection' in mapped ? mapped.rejection : firstInvalid(row, mapped, check);
    if (problem) batch.reject(index, problem.code, problem.message);
    else if ('events' in mapped) valid.push({ index, events: mapped.events });
  });
  const { kept, repeats } = keepLatest(valid, rows, batch);
  for (const row of kept) batch.add(row.index, row.events);
  const result = await batch.ingest(ctx);
  return { ...result, duplicates: result.duplicates + repeats };
}

/**
 * Among the rows of a batch with the same table and key (their first event's id names both), as
 * engine.ingest does for single events but for whole rows: the first one is kept; a repeat with
 * a higher revision supersedes it; a lower revision, or the same revision and the same content,
 * is a duplicate; the same revision with other content is rejected as `duplicate_in_batch`, all
 * its events with it. The events of a row not kept count as duplicates (`repeats`), none stored.
 */
function keepLatest(
  valid: readonly Valid[],
  rows: readonly SeedRow[],
  batch: RowBatch,
): { kept: Valid[]; repeats: number } {
  const latest = new Map<string, Valid>();
  let repeats = 0;
  for (const row of valid) {
    const key = `${String(row.events[0]?.['workspace'])}\u0000${String(row.events[0]?.['id'])}`;
    const first = latest.get(key);
    if (first === undefined) {
      latest.set(key, row);
      continue;
    }
    const [was, now] = [revisionOf(first), revisionOf(row)];
    if (now > was) {
      latest.set(key, row);
      repeats += first.events.length;
    } else if (now < was || canonicalJson(first.events) === canonicalJson(row.events)) {
      repeats += row.events.length;
    } else {
      const seed = rows[row.index]!;
      const column = seed.table === 'chat_messages' ? 'id' : 'event_id';
      batch.reject(
        row.index,
        'duplicate_in_batch',
        `${column}: ${JSON.stringify(rowId(seed))} appears at row ${first.index} of this batch with different content and the same revision; that one was kept`,
      );
    }
  }
  const kept = [...latest.values()].sort((a, b) => a.index - b.index);
  return { kept, repeats };
}

const revisionOf = (row: Valid) => Number(row.events[0]?.['revision'] ?? 0);

function mapRow(row: SeedRow, workspace: string): Mapped {
  try {
    return {
      events:
        row.table === 'chat_messages'
          ? [messageToEvent(row.values, workspace)]
          : observabilityToEvents(row.values, workspace),
    };
  } catch (err) {
    if (!(err instanceof CairnError)) throw err;
    return { rejection: { code: err.code, message: err.message } };
  }
}

/** Cairn's own validation of a row's events (time window, sizes …), before any is stored. */
function firstInvalid(
  row: SeedRow,
  mapped: { events: Record<string, unknown>[] },
  check: ReturnType<typeof validationContext>,
): Rejection | null {
  for (const event of mapped.events) {
    const result = validateEvent(event, check);
    if (!result.ok)
      return {
        code: result.code,
        message: `${row.table} → Cairn ${String(event['type'])} ${String(event['id'])}: ${result.message}`,
      };
  }
  return null;
}

/** The seed's key of a row, for reports: chat_messages.id or observability_events.event_id. */
function rowId(row: SeedRow): string | null {
  const v = row.values[row.table === 'chat_messages' ? 'id' : 'event_id'];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : null;
}
