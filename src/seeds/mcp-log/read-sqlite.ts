import Database from 'better-sqlite3';
import type { SeedRow } from '../adapter.js';

/** The seed's tables in the order they are read: sessions first, then the log in log order. */
const TABLES = ['sessions', 'interactions', 'events'] as const;

/**
 * Reads the proxy's own SQLite database (read-only) as seed rows, table by table. Tables the file
 * does not have are skipped; every column is passed on and checked by the row parsers.
 */
export function* readMcpLogSqlite(path: string): Iterable<SeedRow> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const present = new Set(
      db.prepare(`select name from sqlite_master where type = 'table'`).pluck().all() as string[],
    );
    for (const table of TABLES) {
      if (!present.has(table)) continue;
      const rows = db.prepare(`select * from "${table}" order by rowid`).iterate();
      for (const values of rows) yield { table, values: values as Record<string, unknown> };
    }
  } finally {
    db.close();
  }
}
