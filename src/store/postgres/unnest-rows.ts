import { sql, type Kysely } from 'kysely';
import type { RowsSource } from '../backend.js';

/**
 * Rows as `SELECT * FROM unnest($1::type[], $2::type[], …)`: one parameter per column. A
 * multi-row VALUES list carries one per value — 15,000 for a batch of 500 events — which the
 * client builds and serialises and the server parses afresh for every batch; column arrays
 * make a batch of any size one short statement. Column types come from the catalog, read once
 * per table.
 */
export function unnestRows(): RowsSource {
  const types = new Map<string, Promise<Map<string, string>>>();
  return async (db, table, columns, rows) => {
    let pending = types.get(table);
    if (!pending) {
      pending = columnTypes(db, table);
      types.set(table, pending);
      pending.catch(() => types.delete(table));
    }
    const known = await pending;
    const arrays = columns.map((c, i) => {
      const type = known.get(c);
      if (type === undefined) throw new Error(`${table}.${c}: no such column`);
      return sql`${rows.map((r) => r[i] ?? null)}::${sql.raw(type)}[]`;
    });
    return sql`select * from unnest(${sql.join(arrays)})`;
  };
}

async function columnTypes(db: Kysely<unknown>, table: string): Promise<Map<string, string>> {
  const { rows } = await sql<{ name: string; type: string }>`
    select attname as name, format_type(atttypid, atttypmod) as type
    from pg_attribute
    where attrelid = to_regclass(${table}) and attnum > 0 and not attisdropped`.execute(db);
  if (rows.length === 0) throw new Error(`table ${table} not found`);
  return new Map(rows.map((r) => [r.name, r.type]));
}
