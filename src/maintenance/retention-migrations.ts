import type { Kysely, Migration } from 'kysely';
import type { BackendHooks } from '../store/backend.js';

/**
 * The retention tables (issue 8), merged into the store's migrations by the engine. Names sort
 * after the store's own and are never edited once released.
 */
export function retentionMigrations(h: BackendHooks): Record<string, Migration> {
  return {
    '0007_retention_policies': {
      async up(db: Kysely<unknown>) {
        // One row per workspace (and `*` for all of them); a null limit inherits, 0 means keep.
        let t = db.schema
          .createTable('retention_policies')
          .addColumn('workspace', 'text', (c) => c.primaryKey());
        for (const target of ['raw', 'content', 'minute', 'hour', 'day'])
          t = t.addColumn(`${target}_days`, 'integer');
        await t.addColumn('updated_at', h.bigintType, (c) => c.notNull()).execute();
      },
    },
    '0007_retention_watermarks': {
      async up(db: Kysely<unknown>) {
        // "Rows of <target> before before_ts were deleted": the planner and verify read it to
        // know which ranges only the coarser rollups can still answer.
        await db.schema
          .createTable('retention_watermarks')
          .addColumn('workspace', 'text', (c) => c.notNull())
          .addColumn('target', 'text', (c) => c.notNull())
          .addColumn('before_ts', h.bigintType, (c) => c.notNull())
          .addColumn('applied_at', h.bigintType, (c) => c.notNull())
          .addPrimaryKeyConstraint('retention_watermarks_pk', ['workspace', 'target'])
          .execute();
      },
    },
  };
}
