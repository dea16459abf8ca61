import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createEngine, type Engine } from '../../src/engine.js';
import type { ConfigInput } from '../../src/core/config.js';

/**
 * Real databases for tests: a fresh SQLite file, a fresh in-memory PGlite, or a fresh database
 * on the PostgreSQL server, one per call, dropped afterwards. Nothing is mocked.
 */
export type BackendName = 'sqlite' | 'pglite' | 'postgres';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

const ADMIN_URL = process.env.CAIRN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** True when the PostgreSQL server answers; with CAIRN_REQUIRE_PG=1 a missing server is an error. */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (err) {
    if (process.env.CAIRN_REQUIRE_PG === '1') {
      throw new Error(
        `CAIRN_REQUIRE_PG=1 but PostgreSQL at ${ADMIN_URL} does not answer: ${(err as Error).message}`,
        { cause: err },
      );
    }
    return false;
  }
}

export async function createTestDatabase(kind: BackendName): Promise<TestDatabase> {
  if (kind === 'pglite') return { url: 'pglite:memory', drop: async () => {} };
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-test-'));
    return {
      url: join(dir, 'cairn.db'),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  return createPostgresDatabase();
}

async function createPostgresDatabase(): Promise<TestDatabase> {
  const name = `cairn_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await sessionsGone(name);
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** An engine on a fresh database of the given kind; close() also drops the database. */
export async function openTestEngine(kind: BackendName, config: ConfigInput = {}): Promise<Engine> {
  const database = await createTestDatabase(kind);
  const engine = await createEngine({ ...config, db: database.url });
  return {
    ...engine,
    close: async () => {
      await engine.close();
      await database.drop();
    },
  };
}

/**
 * pg's Pool.end() resolves before its sockets have closed; dropping the database at once would
 * terminate sessions that are still closing. Wait (up to 5 s) until the server has seen them go.
 */
async function sessionsGone(database: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    const sql = 'select count(*)::int as n from pg_stat_activity where datname = $1';
    for (let i = 0; i < 250; i++) {
      if ((await client.query<{ n: number }>(sql, [database])).rows[0]!.n === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await client.end();
  }
}
