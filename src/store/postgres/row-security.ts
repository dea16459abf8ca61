import { sql, type Kysely, type Transaction } from 'kysely';

/**
 * Workspace isolation by PostgreSQL row-level security (seed 004). Every table and view with a
 * `workspace` column gets a policy admitting only rows of the workspace named by the
 * transaction-local setting `cairn.workspace`. Policies bind only the role `cairn_scoped`: the
 * owner (Cairn's own connection) is not subject to them, so maintenance and ingest are unchanged,
 * and a key-scoped request runs its reads in a transaction under that role (scopeTransaction).
 */
export const SCOPED_ROLE = 'cairn_scoped';

/**
 * Creates the role, grants and policies; idempotent, run at every start after the views are
 * (re)created, because re-created views lose their grants. Returns false, changing nothing,
 * when the connecting user may not create roles: isolation then rests on the query layer alone.
 */
export async function installRowSecurity(db: Kysely<unknown>): Promise<boolean> {
  try {
    await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('cairn.row_security'))`.execute(trx);
      await createRole(trx);
      for (const schema of await schemasOf(trx)) await grant(trx, schema);
      for (const t of await workspaceTables(trx)) await protect(trx, t.schema, t.name);
    });
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === '42501') return false; // insufficient_privilege
    throw err;
  }
}

/** Switches the current transaction to the scoped role, confined to one workspace. */
export async function scopeTransaction(
  trx: Transaction<unknown>,
  workspace: string,
): Promise<void> {
  await sql`select set_config('cairn.workspace', ${workspace}, true)`.execute(trx);
  await sql`set local role ${sql.id(SCOPED_ROLE)}`.execute(trx);
}

async function createRole(trx: Transaction<unknown>): Promise<void> {
  // Roles are cluster-wide: another database on the same server may have made it already.
  await sql`do $$ begin
      create role ${sql.raw(SCOPED_ROLE)} nologin;
    exception when duplicate_object then null;
    end $$`.execute(trx);
  await sql`grant ${sql.id(SCOPED_ROLE)} to current_user`.execute(trx);
}

async function schemasOf(trx: Transaction<unknown>): Promise<string[]> {
  const r = await sql<{ nspname: string }>`
    select nspname from pg_namespace
    where nspname = 'public' or nspname in (select schemaname from pg_views where viewowner = current_user)
  `.execute(trx);
  return r.rows.map((x) => x.nspname);
}

async function grant(trx: Transaction<unknown>, schema: string): Promise<void> {
  await sql`grant usage on schema ${sql.id(schema)} to ${sql.id(SCOPED_ROLE)}`.execute(trx);
  await sql`grant select on all tables in schema ${sql.id(schema)} to ${sql.id(SCOPED_ROLE)}`.execute(
    trx,
  );
}

/** Base tables (not views) of the current user's schemas that have a workspace column. */
async function workspaceTables(
  trx: Transaction<unknown>,
): Promise<Array<{ schema: string; name: string }>> {
  const r = await sql<{ schema: string; name: string }>`
    select c.table_schema as schema, c.table_name as name
    from information_schema.columns c
    join information_schema.tables t
      on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.column_name = 'workspace' and t.table_type = 'BASE TABLE'
      and c.table_schema not in ('pg_catalog', 'information_schema')
  `.execute(trx);
  return r.rows;
}

/** Enables the policy on one table, unless it is in place already (ALTER TABLE locks it). */
async function protect(trx: Transaction<unknown>, schema: string, name: string): Promise<void> {
  const done = await sql<{ n: number }>`
    select count(*)::int as n from pg_policies
    where schemaname = ${schema} and tablename = ${name} and policyname = 'cairn_workspace'
  `.execute(trx);
  if (done.rows[0]!.n > 0) return;
  const table = sql.id(schema, name);
  await sql`alter table ${table} enable row level security`.execute(trx);
  await sql`create policy cairn_workspace on ${table} to ${sql.id(SCOPED_ROLE)}
    using (workspace = current_setting('cairn.workspace', true))`.execute(trx);
}
