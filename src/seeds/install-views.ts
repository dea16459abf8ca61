import { sql, type Kysely } from 'kysely';
import type { BackendKind } from '../store/backend.js';
import type { SeedAdapter } from './adapter.js';

/**
 * Creates every adapter's views, replacing older definitions. Views are derived, never data, so
 * they are rebuilt at every start instead of by migrations: a changed definition takes effect on
 * the next start. Runs in one transaction, so readers never see a half-installed set.
 */
export async function installSeedViews(
  db: Kysely<unknown>,
  kind: BackendKind,
  adapters: readonly SeedAdapter[],
): Promise<void> {
  const views = adapters.flatMap((a) => a.views(kind));
  const postgres = kind !== 'sqlite';
  await db.transaction().execute(async (trx) => {
    if (postgres) {
      // Serialise concurrent starts: two processes replacing the same views would collide.
      await sql`select pg_advisory_xact_lock(hashtext('cairn.seed_views'))`.execute(trx);
      const schemas = new Set(views.map((v) => schemaOf(v.name)).filter((s) => s !== null));
      for (const s of schemas) await sql`create schema if not exists ${sql.id(s)}`.execute(trx);
    }
    for (const v of [...views].reverse())
      await sql`drop view if exists ${name(v.name)}${sql.raw(postgres ? ' cascade' : '')}`.execute(
        trx,
      );
    // security_invoker: a view reads its tables with the reader's rights, so row-level
    // security confines a key-scoped reader of a view as it does a reader of the tables.
    const options = sql.raw(postgres ? ' with (security_invoker = true)' : '');
    for (const v of views)
      await sql`create view ${name(v.name)}${options} as ${sql.raw(v.select)}`.execute(trx);
  });
}

function schemaOf(name: string): string | null {
  const dot = name.indexOf('.');
  return dot === -1 ? null : name.slice(0, dot);
}

function name(qualified: string) {
  return sql.id(...qualified.split('.'));
}
