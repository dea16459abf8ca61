import Database from 'better-sqlite3';
import type { SeedRow } from '../adapter.js';

/** The seed's source tables, in import order (runs first, so a report reads top-down). */
const TABLES = ['observability_events', 'chat_messages'] as const;

/**
 * Reads a D1-style SQLite database (an export of the seed's database, or a local copy) as seed
 * rows: every row of `observability_events` and `chat_messages`, whichever of them exist, with
 * their columns as stored. The file is opened read-only and closed when the rows are consumed.
 */
export function* readObservabilitySqlite(path: string): Generator<SeedRow> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const present = new Set(
      db
        .prepare<[], { name: string }>("select name from sqlite_master where type = 'table'")
        .all()
        .map((r) => r.name),
    );
    for (const table of TABLES) {
      if (!present.has(table)) continue;
      // rowid order: the order the seed wrote its rows in.
      const rows = db.prepare(`select * from "${table}" order by rowid`).iterate();
      for (const values of rows) yield { table, values: values as Record<string, unknown> };
    }
  } finally {
    db.close();
  }
}
