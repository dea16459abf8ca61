import Database from 'better-sqlite3';
import type { SeedRow } from './adapter.js';

/**
 * Reads a seed system's own SQLite database (a D1 export, an MCP proxy's log) as seed rows: every
 * row of each named table the file has, tables in the order given, rows in rowid order (the
 * order the seed wrote them), columns as stored — the adapter's row parsers check them. The
 * file is opened read-only and closed once the rows are consumed.
 */
export function* readSqliteTables(path: string, tables: readonly string[]): Generator<SeedRow> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const present = new Set(
      db
        .prepare<[], { name: string }>("select name from sqlite_master where type = 'table'")
        .all()
        .map((r) => r.name),
    );
    for (const table of tables) {
      if (!present.has(table)) continue;
      const rows = db.prepare(`select * from "${table}" order by rowid`).iterate();
      for (const values of rows) yield { table, values: values as Record<string, unknown> };
    }
  } finally {
    db.close();
  }
}
