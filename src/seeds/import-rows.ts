import { CairnError } from '../core/errors.js';
import type { RawItem } from '../ingest/raw-item.js';
import type {
  RowRejection,
  SeedAdapter,
  SeedImportContext,
  SeedImportResult,
  SeedRow,
} from './adapter.js';

/** An empty result, for adding batches up. */
export function emptyImportResult(): SeedImportResult {
  return { rows: 0, accepted: 0, updated: 0, duplicates: 0, records: 0, rejected: [] };
}

/** Adds `b` into `a`; b's row indexes are shifted by `offset` (b's first row in a's numbering). */
export function addImportResult(a: SeedImportResult, b: SeedImportResult, offset = 0): void {
  a.rows += b.rows;
  a.accepted += b.accepted;
  a.updated += b.updated;
  a.duplicates += b.duplicates;
  a.records += b.records;
  for (const r of b.rejected) a.rejected.push({ ...r, index: r.index + offset });
}

/**
 * Imports one batch of parsed NDJSON items (`{"table": "<seed table>", ...columns}`) through an
 * adapter. Items that are not objects or name no known table are rejected here by their index;
 * the adapter sees only the rest (possibly none), and its rejections are mapped back to the
 * items' indexes.
 */
export async function importItems(
  adapter: SeedAdapter,
  items: readonly RawItem[],
  ctx: SeedImportContext,
): Promise<SeedImportResult> {
  const rejected: RowRejection[] = [];
  const rows: SeedRow[] = [];
  const indexOf: number[] = [];
  items.forEach((item, index) => {
    const row = toRow(adapter, item);
    if ('code' in row) rejected.push({ index, table: null, id: null, ...row });
    else {
      rows.push(row);
      indexOf.push(index);
    }
  });
  // Called even with no rows left: an import is also a tick for the adapter (mcp-log's timeouts).
  const result = await adapter.importRows(rows, ctx);
  result.rows = items.length;
  result.rejected = [
    ...rejected,
    ...result.rejected.map((r) => ({ ...r, index: indexOf[r.index] ?? r.index })),
  ].sort((a, b) => a.index - b.index);
  return result;
}

function toRow(
  adapter: SeedAdapter,
  item: RawItem,
): SeedRow | { code: RowRejection['code']; message: string } {
  if (!item.ok) return { code: item.code, message: item.message };
  const value = item.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { code: 'invalid_event', message: 'row must be a JSON object' };
  const { table, ...values } = value as Record<string, unknown>;
  if (table === undefined || table === null)
    return {
      code: 'missing_field',
      message: `table: required; one of ${adapter.tables.join(', ')}`,
    };
  if (typeof table !== 'string' || !adapter.tables.includes(table))
    return {
      code: 'unknown_table',
      message: `table: ${JSON.stringify(table)} is not a table of the ${adapter.format} format; expected one of ${adapter.tables.join(', ')}`,
    };
  return { table, values };
}

/** Throws unknown_format unless `format` names an adapter. */
export function adapterFor(
  adapters: ReadonlyMap<string, SeedAdapter>,
  format: string,
): SeedAdapter {
  const adapter = adapters.get(format);
  if (!adapter)
    throw new CairnError(
      'unknown_format',
      `import format "${format}" is not known; expected one of ${[...adapters.keys()].join(', ')}`,
    );
  return adapter;
}
