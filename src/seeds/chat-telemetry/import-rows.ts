import type { RawItem } from '../../ingest/raw-item.js';
import type { RowRejection, SeedImportContext, SeedImportResult, SeedRow } from '../adapter.js';
import { parseRow } from './row-schema.js';
import { inSeedTerms, rowToEvent } from './row-to-event.js';

/**
 * Imports chat_telemetry rows: each valid row becomes one `llm_call` event, and the batch goes
 * through the normal ingest pipeline (validation, dedup, pricing, rollups, one transaction).
 * Rejections from either step are reported by the row's position in `rows`.
 */
export async function importChatTelemetry(
  rows: readonly SeedRow[],
  ctx: SeedImportContext,
): Promise<SeedImportResult> {
  const rejected: RowRejection[] = [];
  const items: RawItem[] = [];
  const rowIndexOf: number[] = [];
  rows.forEach((r, index) => {
    const parsed = parseRow(r.values);
    if (!parsed.ok) {
      rejected.push({
        index,
        table: r.table,
        id: idOf(r),
        code: parsed.code,
        message: parsed.message,
      });
      return;
    }
    items.push({ ok: true, value: rowToEvent(parsed.row, ctx.workspace) });
    rowIndexOf.push(index);
  });
  const batch =
    items.length > 0
      ? await ctx.engine.ingest(items, ctx.now)
      : { accepted: 0, updated: 0, duplicates: 0, rejected: [] };
  for (const r of batch.rejected) {
    const index = rowIndexOf[r.index]!;
    const row = rows[index]!;
    rejected.push({
      index,
      table: row.table,
      id: idOf(row),
      code: r.code,
      message: inSeedTerms(r.message),
    });
  }
  rejected.sort((a, b) => a.index - b.index);
  return {
    rows: rows.length,
    accepted: batch.accepted,
    updated: batch.updated,
    duplicates: batch.duplicates,
    records: 0,
    rejected,
  };
}

/** The row's own id, as the seed knows it (the event id is derived from it). */
function idOf(row: SeedRow): string | null {
  const id = row.values.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}
