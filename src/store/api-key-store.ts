import type { Kysely } from 'kysely';
import type { ApiKeysTable, Database } from './schema.js';

export type StoredKey = ApiKeysTable;

/** The api_keys table: create, look up, list and revoke. Secrets are never stored, only hashes. */
export class ApiKeyStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(key: StoredKey): Promise<void> {
    await this.db.insertInto('api_keys').values(key).execute();
  }

  async get(id: string): Promise<StoredKey | null> {
    const row = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? normalise(row) : null;
  }

  async list(workspace?: string): Promise<StoredKey[]> {
    let q = this.db.selectFrom('api_keys').selectAll();
    if (workspace !== undefined) q = q.where('workspace', '=', workspace);
    const rows = await q.orderBy('workspace').orderBy('created_at').orderBy('id').execute();
    return rows.map(normalise);
  }

  /** Revokes a key; false when there is no such key or it was revoked already. */
  async revoke(id: string, now: number): Promise<boolean> {
    const r = await this.db
      .updateTable('api_keys')
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Keys, or only those not revoked. */
  async count(options: { activeOnly: boolean }): Promise<number> {
    let q = this.db.selectFrom('api_keys').select((eb) => eb.fn.countAll<number>().as('n'));
    if (options.activeOnly) q = q.where('revoked_at', 'is', null);
    const row = await q.executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

// PostgreSQL returns bigint columns as strings.
function normalise(row: StoredKey): StoredKey {
  return {
    ...row,
    created_at: Number(row.created_at),
    revoked_at: row.revoked_at === null ? null : Number(row.revoked_at),
  };
}
