import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Backend } from '../backend.js';
import type { Database as Schema } from '../schema.js';
import { NUMERIC_OIDS, postgresHooks } from './pg-hooks.js';
import { unnestRows } from './unnest-rows.js';

const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === NUMERIC_OIDS.int8 || oid === NUMERIC_OIDS.numeric) return Number;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/** PostgreSQL through a pg pool; the connection string is used as given. */
export function createPostgresBackend(connectionString: string, maxConnections = 10): Backend {
  const pool = new pg.Pool({
    connectionString,
    max: maxConnections,
    types: types as pg.CustomTypesConfig,
  });
  // An idle pooled connection can fail (a server restart, an administrator's terminate); pg
  // reports it on the pool, where an unhandled 'error' event would end the process. The pool
  // drops that client and opens a new one when next needed.
  pool.on('error', (err) =>
    console.error(`cairn: idle PostgreSQL connection failed: ${err.message}`),
  );
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  const hooks = { ...postgresHooks, rowsSource: unnestRows() };
  return { kind: 'postgres', db, hooks, close: () => db.destroy() };
}
