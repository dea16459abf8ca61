import type { InsertQueryBuilder, Kysely } from 'kysely';
import type { BackendHooks } from './backend.js';
import { paramRows } from './run-each.js';

// Tables are named at run time here (events, the rollups, user_days), so the builder is untyped.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyInsert = InsertQueryBuilder<any, any, any>;

/**
 * Inserts records (all with the same keys) into `table`, `finish` adding the ON CONFLICT and
 * RETURNING clauses, and returns what RETURNING gave. With the backend's `rowsSource` the
 * records go as one INSERT … SELECT over column arrays; without it as multi-row VALUES, chunked
 * under the parameter limit.
 */
export async function insertRecords<R = Record<string, unknown>>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
  hooks: BackendHooks,
  table: string,
  records: ReadonlyArray<Record<string, unknown>>,
  finish: (q: AnyInsert) => AnyInsert = (q) => q,
): Promise<R[]> {
  if (records.length === 0) return [];
  const into = db.insertInto(table);
  const columns = Object.keys(records[0]!);
  if (hooks.rowsSource) {
    const source = await hooks.rowsSource(db, table, columns, paramRows(records, columns));
    return (await finish(into.columns(columns).expression(source)).execute()) as R[];
  }
  const out: R[] = [];
  const size = Math.max(1, Math.floor(hooks.maxParams / columns.length));
  for (let i = 0; i < records.length; i += size)
    out.push(...((await finish(into.values(records.slice(i, i + size))).execute()) as R[]));
  return out;
}
