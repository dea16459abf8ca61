import type { SeedImportContext, SeedImportResult, SeedRow } from '../adapter.js';
import { RowBatch } from '../row-batch.js';
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
  const batch = new RowBatch(rows, { inSeedTerms: (message) => inSeedTerms(message) });
  rows.forEach((r, index) => {
    const parsed = parseRow(r.values);
    if (parsed.ok) batch.add(index, [rowToEvent(parsed.row, ctx.workspace)]);
    else batch.reject(index, parsed.code, parsed.message);
  });
  return batch.ingest(ctx);
}
