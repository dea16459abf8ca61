import type { Kysely } from 'kysely';
import type { BackendHooks } from './backend.js';
import type { Database } from './schema.js';

/** A seed system's reference row (an agent, a user, an MCP session …); `data` is any JSON. */
export interface SeedRecord {
  workspace: string;
  format: string;
  seed_table: string;
  id: string;
  ts: number | null;
  data: unknown;
}

/** Which seed table of which workspace. */
export interface SeedTableKey {
  workspace: string;
  format: string;
  seed_table: string;
}

/**
 * The seed_records table: reference rows of the seed systems that are not events, by
 * (workspace, format, seed_table, id). `allow` is the owning Store's workspace check, so a
 * key-scoped store can touch its own workspace's records only.
 */
export class SeedRecordStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly hooks: BackendHooks,
    private readonly allow: (workspace: string) => void,
  ) {}

  /** Inserts or replaces records; the newest write of a key wins. Returns how many were written. */
  async put(records: readonly SeedRecord[], receivedAt: number): Promise<number> {
    for (const r of records) this.allow(r.workspace);
    if (records.length === 0) return 0;
    const rows = records.map((r) => ({
      ...r,
      data: JSON.stringify(r.data),
      received_at: receivedAt,
    }));
    const chunk = Math.floor(this.hooks.maxParams / 7); // 7 columns a row
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += chunk) {
        await trx
          .insertInto('seed_records')
          .values(rows.slice(i, i + chunk))
          .onConflict((oc) =>
            oc.columns(['workspace', 'format', 'seed_table', 'id']).doUpdateSet((eb) => ({
              ts: eb.ref('excluded.ts'),
              data: eb.ref('excluded.data'),
              received_at: eb.ref('excluded.received_at'),
            })),
          )
          .execute();
      }
    });
    return rows.length;
  }

  /** The records of one table with the given ids (all of the table's when ids is omitted). */
  async get(key: SeedTableKey, ids?: readonly string[]): Promise<SeedRecord[]> {
    this.allow(key.workspace);
    if (ids?.length === 0) return [];
    let q = this.db
      .selectFrom('seed_records')
      .select(['workspace', 'format', 'seed_table', 'id', 'ts', 'data'])
      .where('workspace', '=', key.workspace)
      .where('format', '=', key.format)
      .where('seed_table', '=', key.seed_table);
    if (ids) q = q.where('id', 'in', ids);
    const rows = await q.orderBy('id').execute();
    return rows.map((r) => ({
      ...r,
      ts: r.ts === null ? null : Number(r.ts),
      data: this.hooks.readJson(r.data),
    }));
  }

  /** Deletes records by id; returns how many were there. */
  async delete(key: SeedTableKey, ids: readonly string[]): Promise<number> {
    this.allow(key.workspace);
    if (ids.length === 0) return 0;
    const r = await this.db
      .deleteFrom('seed_records')
      .where('workspace', '=', key.workspace)
      .where('format', '=', key.format)
      .where('seed_table', '=', key.seed_table)
      .where('id', 'in', ids)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
