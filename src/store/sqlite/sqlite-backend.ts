import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { Backend, BackendHooks } from '../backend.js';
import { mergeEncodedBins } from '../../rollups/sketch.js';
import type { Database as Schema } from '../schema.js';

export interface SqliteOptions {
  /** A file path, or ':memory:'. */
  path: string;
  /** NORMAL survives a killed process (WAL); FULL also survives power loss, at a cost. */
  synchronous: 'NORMAL' | 'FULL';
}

function sqliteHooks(sqlite: Database.Database): BackendHooks {
  const statements = new Map<string, Database.Statement>();
  const prepared = (text: string) => {
    let st = statements.get(text);
    if (!st) statements.set(text, (st = sqlite.prepare(text)));
    return st;
  };
  return {
    jsonType: 'text',
    bigintType: 'integer',
    doubleType: 'real',
    // SQLite's SQLITE_MAX_VARIABLE_NUMBER is 32766 since 3.32.
    maxParams: 32_000,
    addSeqColumn: (t) => t.addColumn('seq', 'integer', (c) => c.primaryKey()),
    readJson: (v) => (typeof v === 'string' ? JSON.parse(v) : v),
    clustered: (t) => t.modifyEnd(sql`without rowid`),
    // Only one connection ever writes.
    lockWrites: async () => {},
    // Registered on the connection when it is opened (see below).
    installFunctions: async () => {},
    histEach: 'json_each',
    runEach: (text, rows) => {
      const st = prepared(text);
      return rows.map((params) => st.run(...params).changes);
    },
  };
}

/** The embedded default: one file, WAL mode, no set-up. */
export function createSqliteBackend(options: SqliteOptions): Backend {
  const sqlite = new Database(options.path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${options.synchronous}`);
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('temp_store = MEMORY');
  sqlite.pragma('cache_size = -65536');
  sqlite.function('cairn_hist_merge', { deterministic: true }, (a: unknown, b: unknown) =>
    mergeEncodedBins(a as string | null, b as string | null),
  );
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { kind: 'sqlite', db, hooks: sqliteHooks(sqlite), close: () => db.destroy() };
}
