import { CairnError } from '../../core/errors.js';
import { validateEvent } from '../../core/validate-event.js';
import { validationContext } from '../../ingest/ingest-batch.js';
import type { RowRejection, SeedImportContext, SeedImportResult, SeedRow } from '../adapter.js';
import { RowBatch } from '../row-batch.js';
import { observabilityToEvents } from './event-row.js';
import { messageToEvent } from './message-row.js';

type Rejection = Pick<RowRejection, 'code' | 'message'>;
type Mapped = { events: Record<string, unknown>[] } | { rejection: Rejection };

/**
 * Imports a batch of observability rows: each row becomes its Cairn events, every event of a row
 * is validated before anything is stored (a row is taken whole or rejected whole, never half its
 * steps), and the rest go through engine.ingest as one batch — one transaction, dedup, revisions,
 * pricing and rollups as for any other event. Rejections come back by the row's index.
 */
export async function importObservabilityRows(
  rows: readonly SeedRow[],
  ctx: SeedImportContext,
): Promise<SeedImportResult> {
  const check = validationContext(ctx.engine.config, ctx.now);
  const batch = new RowBatch(rows, { idOf: rowId });
  rows.forEach((row, index) => {
    const mapped = mapRow(row, ctx.workspace);
    const problem = 'rejection' in mapped ? mapped.rejection : firstInvalid(row, mapped, check);
    if (problem) batch.reject(index, problem.code, problem.message);
    else if ('events' in mapped) batch.add(index, mapped.events);
  });
  return batch.ingest(ctx);
}

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
