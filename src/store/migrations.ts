import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { ROLLUPS, tableOf, type RollupDef } from '../rollups/definitions.js';
import { SUM_FIELDS } from '../rollups/stats.js';
import type { BackendHooks } from './backend.js';
import { backfillMinuteGrains } from './backfill-minute-grains.js';

/** The rollups that migration 0003 created; a rollup added later gets a migration of its own. */
const ROLLUPS_OF_0003 = ['total', 'context', 'model', 'agent', 'tool'];

/** A rollup table: key (grain, workspace, bucket, type, dimensions…), measures, histogram. */
async function createRollupTable(
  db: Kysely<unknown>,
  h: BackendHooks,
  def: RollupDef,
): Promise<void> {
  let t = db.schema
    .createTable(tableOf(def))
    .addColumn('grain', 'text', (c) => c.notNull())
    .addColumn('workspace', 'text', (c) => c.notNull())
    .addColumn('bucket', h.bigintType, (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull());
  for (const d of def.dimensions) t = t.addColumn(d, 'text', (c) => c.notNull());
  for (const f of SUM_FIELDS) t = t.addColumn(f, h.bigintType, (c) => c.notNull().defaultTo(0));
  for (const f of ['duration_min_us', 'duration_max_us', 'first_seen', 'last_seen'])
    t = t.addColumn(f, h.bigintType);
  t = t.addColumn('hist', h.jsonType, (c) => c.notNull());
  // Bucket before workspace: a range read across all workspaces is then one index range.
  const key = ['grain', 'bucket', 'workspace', 'type', ...def.dimensions];
  await h.clustered(t.addPrimaryKeyConstraint(`${tableOf(def)}_pk`, key as never)).execute();
}

/**
 * Versioned migrations, written once over the backend hooks. They run at start (`openStore`);
 * names sort in order and are never edited once released: add a new one instead.
 */
function migrations(h: BackendHooks): Record<string, Migration> {
  return {
    '0001_events': {
      async up(db: Kysely<unknown>) {
        await h
          .addSeqColumn(db.schema.createTable('events'))
          .addColumn('workspace', 'text', (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('ts', h.bigintType, (c) => c.notNull())
          .addColumn('duration_ms', h.doubleType)
          .addColumn('app', 'text')
          .addColumn('domain', 'text')
          .addColumn('platform', 'text')
          .addColumn('environment', 'text')
          .addColumn('user_id', 'text')
          .addColumn('session_id', 'text')
          .addColumn('trace_id', 'text')
          .addColumn('parent_id', 'text')
          .addColumn('agent', 'text')
          .addColumn('model', 'text')
          .addColumn('provider', 'text')
          .addColumn('tool', 'text')
          .addColumn('client_name', 'text')
          .addColumn('client_version', 'text')
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('error_type', 'text')
          .addColumn('error_code', 'text')
          .addColumn('error_message', 'text')
          .addColumn('input_tokens', h.bigintType, (c) => c.notNull().defaultTo(0))
          .addColumn('output_tokens', h.bigintType, (c) => c.notNull().defaultTo(0))
          .addColumn('cache_read_tokens', h.bigintType, (c) => c.notNull().defaultTo(0))
          .addColumn('cache_write_tokens', h.bigintType, (c) => c.notNull().defaultTo(0))
          .addColumn('reasoning_tokens', h.bigintType, (c) => c.notNull().defaultTo(0))
          .addColumn('cost_nanos', h.bigintType)
          .addColumn('cost_source', 'text')
          .addColumn('price_ref', 'text')
          .addColumn('name', 'text')
          .addColumn('content', 'text')
          .addColumn('counters', h.jsonType)
          .addColumn('attributes', h.jsonType)
          .addColumn('detail', h.jsonType)
          .addColumn('revision', h.bigintType, (c) => c.notNull().defaultTo(0))
          .addColumn('received_at', h.bigintType, (c) => c.notNull())
          .execute();
        // The idempotency key: immutable ids only, never a derived date (DESIGN.md principle 3).
        await db.schema
          .createIndex('events_workspace_id')
          .unique()
          .on('events')
          .columns(['workspace', 'id'])
          .execute();
        await db.schema
          .createIndex('events_workspace_ts')
          .on('events')
          .columns(['workspace', 'ts'])
          .execute();
        // Range reads across all workspaces (raw edges of a query, verify, rebuild).
        await db.schema.createIndex('events_ts').on('events').column('ts').execute();
      },
    },
    '0002_price_overrides': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('price_overrides')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('workspace', 'text', (c) => c.notNull())
          .addColumn('model', 'text', (c) => c.notNull())
          .addColumn('provider', 'text')
          .addColumn('input_per_mtok', h.doubleType, (c) => c.notNull())
          .addColumn('output_per_mtok', h.doubleType, (c) => c.notNull())
          .addColumn('cache_read_per_mtok', h.doubleType)
          .addColumn('cache_write_per_mtok', h.doubleType)
          .addColumn('effective_from', h.bigintType, (c) => c.notNull())
          .addColumn('created_at', h.bigintType, (c) => c.notNull().defaultTo(sql`0`))
          .execute();
        await db.schema
          .createIndex('price_overrides_workspace')
          .on('price_overrides')
          .columns(['workspace', 'model'])
          .execute();
      },
    },
    '0003_rollups': {
      async up(db: Kysely<unknown>) {
        await h.installFunctions(db);
        for (const def of ROLLUPS.filter((r) => ROLLUPS_OF_0003.includes(r.name)))
          await createRollupTable(db, h, def);
        let days = db.schema
          .createTable('user_days')
          .addColumn('workspace', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('day', h.bigintType, (c) => c.notNull());
        for (const f of ['events', 'errors', 'cost_nanos', 'input_tokens', 'output_tokens']) {
          days = days.addColumn(f, h.bigintType, (c) => c.notNull().defaultTo(0));
        }
        // Day first: active-user queries across all workspaces read only their date range.
        await h
          .clustered(
            days.addPrimaryKeyConstraint('user_days_pk', ['day', 'workspace', 'user_id'] as never),
          )
          .execute();
        // A user's first day (new vs returning, cohorts) is a prefix scan of this index.
        await db.schema
          .createIndex('user_days_user')
          .on('user_days')
          .columns(['workspace', 'user_id', 'day'])
          .execute();
      },
    },
    '0004_seed_records': {
      async up(db: Kysely<unknown>) {
        // Reference rows of the seed systems (agents, users, MCP sessions …) that are not events.
        await h
          .clustered(
            db.schema
              .createTable('seed_records')
              .addColumn('workspace', 'text', (c) => c.notNull())
              .addColumn('format', 'text', (c) => c.notNull())
              .addColumn('seed_table', 'text', (c) => c.notNull())
              .addColumn('id', 'text', (c) => c.notNull())
              .addColumn('ts', h.bigintType)
              .addColumn('data', h.jsonType, (c) => c.notNull())
              .addColumn('received_at', h.bigintType, (c) => c.notNull())
              .addPrimaryKeyConstraint('seed_records_pk', [
                'workspace',
                'format',
                'seed_table',
                'id',
              ] as never),
          )
          .execute();
      },
    },
    '0008_api_keys': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('api_keys')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('workspace', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('name', 'text')
          .addColumn('secret_hash', 'text', (c) => c.notNull())
          .addColumn('created_at', h.bigintType, (c) => c.notNull())
          .addColumn('revoked_at', h.bigintType)
          .execute();
      },
    },
    '0009_minute_grains': {
      async up(db: Kysely<unknown>) {
        await backfillMinuteGrains(db, h);
      },
    },
  };
}

/**
 * Brings the database up to the newest migration; throws with the failing migration's name.
 * `extra` holds migrations owned by other modules (the seed adapters' own tables).
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  hooks: BackendHooks,
  extra: Record<string, Migration> = {},
): Promise<void> {
  const all = { ...migrations(hooks), ...extra };
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve(all) };
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(
      `migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}
