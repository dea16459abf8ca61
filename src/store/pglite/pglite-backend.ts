import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import type { Backend } from '../backend.js';
import { NUMERIC_OIDS, postgresHooks } from '../postgres/pg-hooks.js';
import type { Database as Schema } from '../schema.js';
import { PgliteDialect } from './pglite-dialect.js';

/** Postgres in-process (WASM): a data directory, or memory when none is given. */
export async function createPgliteBackend(dataDir: string | null): Promise<Backend> {
  const parsers = { [NUMERIC_OIDS.int8]: Number, [NUMERIC_OIDS.numeric]: Number };
  const pglite = dataDir ? new PGlite(dataDir, { parsers }) : new PGlite({ parsers });
  await pglite.waitReady;
  const db = new Kysely<Schema>({ dialect: new PgliteDialect(pglite) });
  return {
    kind: 'pglite',
    db,
    hooks: postgresHooks,
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}
