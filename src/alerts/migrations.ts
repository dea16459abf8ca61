import type { Kysely, Migration } from 'kysely';
import type { BackendHooks } from '../store/backend.js';

/**
 * The alert tables (issue 8), written once over the backend hooks like the store's own
 * migrations. A rule's definition is one JSON document, so adding a rule field needs no
 * migration; what the scheduler filters or sorts on is a column. Booleans are integers 0/1,
 * which both engines store and compare alike.
 */
export function alertMigrations(h: BackendHooks): Record<string, Migration> {
  return {
    '0006_alerts_tables': {
      async up(db: Kysely<unknown>) {
        await createRules(db, h);
        await createStates(db, h);
        await createHistory(db, h);
      },
    },
  };
}

async function createRules(db: Kysely<unknown>, h: BackendHooks): Promise<void> {
  await db.schema
    .createTable('alert_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('definition', h.jsonType, (c) => c.notNull())
    .addColumn('created_at', h.bigintType, (c) => c.notNull())
    .addColumn('updated_at', h.bigintType, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('alert_rules_workspace')
    .on('alert_rules')
    .columns(['workspace', 'name'])
    .execute();
}

/** One row per (rule, group) that is not ok; ok is the absence of a row. */
async function createStates(db: Kysely<unknown>, h: BackendHooks): Promise<void> {
  await db.schema
    .createTable('alert_states')
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('severity', 'text')
    .addColumn('value', h.doubleType)
    .addColumn('since', h.bigintType, (c) => c.notNull())
    .addColumn('last_notified_at', h.bigintType)
    .addColumn('acknowledged', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_states_pk', ['rule_id', 'group_key'] as never)
    .execute();
}

/** One row per notification: what happened, and how each channel's delivery went. */
async function createHistory(db: Kysely<unknown>, h: BackendHooks): Promise<void> {
  await db.schema
    .createTable('alert_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('workspace', 'text', (c) => c.notNull())
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('severity', 'text')
    .addColumn('value', h.doubleType)
    .addColumn('threshold', h.doubleType)
    .addColumn('at', h.bigintType, (c) => c.notNull())
    .addColumn('deliveries', h.jsonType, (c) => c.notNull())
    .addColumn('delivery_status', 'text', (c) => c.notNull())
    .addColumn('acknowledged_at', h.bigintType)
    .addColumn('acknowledged_by', 'text')
    .addColumn('note', 'text')
    .execute();
  await db.schema
    .createIndex('alert_history_workspace_at')
    .on('alert_history')
    .columns(['workspace', 'at'])
    .execute();
  await db.schema
    .createIndex('alert_history_rule_at')
    .on('alert_history')
    .columns(['rule_id', 'at'])
    .execute();
  // The scheduler's retry pass looks up undelivered notifications only.
  await db.schema
    .createIndex('alert_history_delivery_status')
    .on('alert_history')
    .column('delivery_status')
    .execute();
}
