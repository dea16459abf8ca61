import { CairnError } from '../../core/errors.js';
import { validateEvent } from '../../core/validate-event.js';
import { validationContext } from '../../ingest/ingest-batch.js';
import type { ItemRejection, RawItem } from '../../ingest/raw-item.js';
import type { RowRejection, SeedImportContext, SeedImportResult, SeedRow } from '../adapter.js';
import { observabilityToEvents } from './event-row.js';
import { messageToEvent } from './message-row.js';

type Mapped = { events: Record<string, unknown>[] } | { rejection: Omit<RowRejection, 'index'> };

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
  const plan = planRows(rows, ctx);
  const result = await ctx.engine.ingest(plan.items, ctx.now);
  const rejected = [...plan.rejected, ...mapBack(result.rejected, plan, rows)];
  rejected.sort((a, b) => a.index - b.index);
  const { accepted, updated, duplicates } = result;
  return { rows: rows.length, accepted, updated, duplicates, records: 0, rejected };
}

interface Plan {
  items: RawItem[];
  /** The row each item came from. */
  ownerOf: number[];
  rejected: RowRejection[];
}

/** Every row's events, in row order; rows that fail mapping or validation are set aside. */
function planRows(rows: readonly SeedRow[], ctx: SeedImportContext): Plan {
  const check = validationContext(ctx.engine.config, ctx.now);
  const plan: Plan = { items: [], ownerOf: [], rejected: [] };
  rows.forEach((row, index) => {
    const mapped = mapRow(row, ctx.workspace);
    const problem = 'rejection' in mapped ? mapped.rejection : firstInvalid(row, mapped, check);
    if (problem) return plan.rejected.push({ index, ...problem });
    if ('rejection' in mapped) return;
    for (const value of mapped.events) {
      plan.items.push({ ok: true, value });
      plan.ownerOf.push(index);
    }
  });
  return plan;
}

/**
 * The pipeline's rejections (a conflicting repeat within the batch, mostly) as row rejections:
 * one per row, its index and any index quoted in the message translated to row numbers.
 */
function mapBack(
  rejections: readonly ItemRejection[],
  plan: Plan,
  rows: readonly SeedRow[],
): RowRejection[] {
  const out = new Map<number, RowRejection>();
  for (const r of rejections) {
    const index = plan.ownerOf[r.index] ?? -1;
    const row = rows[index];
    if (!row || out.has(index)) continue;
    const message = r.message.replace(
      /at index (\d+) of this batch/,
      (_, n: string) => `at row ${plan.ownerOf[Number(n)] ?? n} of this batch`,
    );
    out.set(index, { index, table: row.table, id: rowId(row), code: r.code, message });
  }
  return [...out.values()];
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
    return {
      rejection: { table: row.table, id: rowId(row), code: err.code, message: err.message },
    };
  }
}

/** Cairn's own validation of a row's events (time window, sizes …), before any is stored. */
function firstInvalid(
  row: SeedRow,
  mapped: { events: Record<string, unknown>[] },
  check: ReturnType<typeof validationContext>,
): Omit<RowRejection, 'index'> | null {
  for (const event of mapped.events) {
    const result = validateEvent(event, check);
    if (!result.ok)
      return {
        table: row.table,
        id: rowId(row),
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
