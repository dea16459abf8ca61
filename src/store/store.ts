import type { Insertable, Kysely, Migration, Transaction } from 'kysely';
import { CairnError } from '../core/errors.js';
import type { CairnEvent } from '../core/event.js';
import type { PriceOverride } from '../pricing/price-override.js';
import { ApiKeyStore } from './api-key-store.js';
import { SeedRecordStore } from './seed-record-store.js';
import type { Backend, BackendKind } from './backend.js';
import { fromRow, toRow } from './event-row.js';
import { ROLLUPS, tableOf, type RollupDef } from '../rollups/definitions.js';
import { foldEvents, type RollupDelta } from '../rollups/fold.js';
import { applyDelta } from './rollup-writer.js';
import { insertRecords } from './bulk-insert.js';
import { repairExtremes, replaceNewerRevisions, type Replacement } from './revisions.js';
import { migrateToLatest } from './migrations.js';
import { paramRows, singleRowSql } from './run-each.js';
import { readRollup, type GroupRow, type RollupRead } from './rollup-reader.js';
import type { Database, EventsTable, RollupTables } from './schema.js';

export interface InsertResult {
  /** The events that were new, in input order. */
  inserted: CairnEvent[];
  /** How many replaced a stored event of a lower revision. */
  updated: number;
  /** How many were already stored (same workspace and id) and changed nothing. */
  duplicates: number;
}

export interface ScanQuery {
  from: number;
  to: number;
  workspace?: string | undefined;
  type?: string | undefined;
}

export interface EventQuery {
  workspace: string;
  from?: number;
  to?: number;
  limit?: number;
}

/**
 * The one store, written once over a Backend. Every method is backend-neutral Kysely; engines
 * differ only in the backend's hooks.
 */
export class Store {
  readonly kind: BackendKind;
  private readonly db: Kysely<Database>;
  private insertSql: string | undefined;

  /** API keys (src/auth). */
  readonly keys: ApiKeyStore;
  /** The seed systems' reference rows (src/seeds). */
  readonly seedRecords: SeedRecordStore;
  private rowSecurity = false;
  private extraMigrations: Record<string, Migration> = {};
  /** The one workspace this store may touch (an API key's), or null for all. */
  private scope: string | null = null;
  /** True on the store inside readScoped's transaction. */
  private inScopedTransaction = false;

  constructor(private readonly backend: Backend) {
    this.kind = backend.kind;
    this.db = backend.db;
    this.keys = new ApiKeyStore(backend.db);
    this.seedRecords = new SeedRecordStore(backend.db, backend.hooks, (w) => this.allow(w));
  }

  /**
   * Installs the backend's row-level security, where it has one (PostgreSQL); run at start after
   * migrations and views. Returns whether reads of scoped requests are now confined by it.
   */
  async enableRowSecurity(): Promise<boolean> {
    const install = this.backend.hooks.installRowSecurity;
    this.rowSecurity = install ? await install(this.db as Kysely<unknown>) : false;
    return this.rowSecurity;
  }

  /**
   * This store confined to one workspace (an API key's): its methods refuse rows and keys of any
   * other workspace with workspace_not_allowed, and maintenance over all data is refused.
   */
  forWorkspace(workspace: string): Store {
    const scoped = new Store(this.backend);
    scoped.rowSecurity = this.rowSecurity;
    scoped.scope = workspace;
    return scoped;
  }

  /** The workspace this store is confined to, or null. */
  get workspaceScope(): string | null {
    return this.scope;
  }

  /**
   * Runs read-only work. On a scoped store with row-level security the work runs in one
   * transaction under the scoped role, so the database itself hides every other workspace's
   * rows whatever SQL the work builds; without it (SQLite) the query layer's forced workspace
   * filter is the guard.
   */
  async readScoped<T>(work: (store: Store) => Promise<T>): Promise<T> {
    const scopeTransaction = this.backend.hooks.scopeTransaction;
    const scope = this.scope;
    if (scope === null || this.inScopedTransaction || !this.rowSecurity || !scopeTransaction)
      return work(this);
    return this.db.transaction().execute(async (trx) => {
      await scopeTransaction(trx as Transaction<unknown>, scope);
      const scoped = new Store({ ...this.backend, db: trx });
      scoped.scope = scope;
      scoped.rowSecurity = true;
      scoped.inScopedTransaction = true;
      return work(scoped);
    });
  }

  /** Throws workspace_not_allowed unless this store may touch `workspace`. */
  private allow(workspace: string | undefined | null): void {
    if (this.scope === null || workspace === this.scope) return;
    throw new CairnError(
      'workspace_not_allowed',
      `workspace: ${JSON.stringify(workspace ?? null)} is not this API key's workspace (${JSON.stringify(this.scope)})`,
    );
  }

  private unscopedOnly(what: string): void {
    if (this.scope !== null)
      throw new CairnError('forbidden', `${what} runs over every workspace; use an unscoped store`);
  }

  /**
   * The database for read-only query modules (src/query/*) that build their own Kysely queries.
   * Writes go through the methods of this class, which keep raw events and rollups in step.
   */
  get reader(): Kysely<Database> {
    return this.db;
  }

  /** The backend's hooks (JSON decoding, histogram expansion) for query modules. */
  get hooks(): Backend['hooks'] {
    return this.backend.hooks;
  }

  /**
   * Runs pending migrations, the store's and `extra` (other modules' tables, remembered for later
   * calls: once applied, a migration must always be known). Safe at every start.
   */
  migrate(extra?: Record<string, Migration>): Promise<void> {
    if (extra) this.extraMigrations = { ...this.extraMigrations, ...extra };
    return migrateToLatest(this.db as Kysely<unknown>, this.backend.hooks, this.extraMigrations);
  }

  /**
   * The connection for modules that own tables of their own (alerts, retention), typed by them.
   * Never for events or rollups: those are written only by this class, which keeps them in step.
   */
  moduleDb<T>(): Kysely<T> {
    return this.db as unknown as Kysely<T>;
  }

  /**
   * Inserts events in one transaction, skipping any whose (workspace, id) is already stored, and
   * adds exactly the new ones to the rollups in the same transaction. The caller must have
   * removed duplicates within the batch. Resolves only after commit.
   */
  insertEvents(events: readonly CairnEvent[], receivedAt: number): Promise<InsertResult> {
    for (const e of events) this.allow(e.workspace);
    if (events.length === 0) return Promise.resolve({ inserted: [], updated: 0, duplicates: 0 });
    return this.db.transaction().execute((trx) => this.insertIn(trx, events, receivedAt));
  }

  private async insertIn(
    trx: Transaction<Database>,
    events: readonly CairnEvent[],
    receivedAt: number,
  ): Promise<InsertResult> {
    await this.backend.hooks.lockWrites(trx);
    // Concurrent batches take unique-index locks in key order, so overlapping batches wait for
    // each other instead of deadlocking (PostgreSQL aborts one of two crossed transactions).
    const ordered = [...events].sort(byKey);
    const rows = ordered.map((e) => toRow(e, receivedAt));
    const isNew = this.backend.hooks.runEach
      ? this.insertEach(trx, rows)
      : await this.insertChunked(trx, rows);
    const inserted = ordered.filter((_, i) => isNew[i]);
    const conflicts = ordered.filter((_, i) => !isNew[i]);
    const replaced = await replaceNewerRevisions(trx, this.backend.hooks, conflicts, receivedAt);
    const delta = foldEvents(inserted);
    foldEvents(
      replaced.map((r) => r.old),
      -1,
      delta,
    );
    foldEvents(
      replaced.map((r) => r.next),
      1,
      delta,
    );
    await applyDelta(trx, this.backend.hooks, delta);
    if (delta.retracted) await repairExtremes(trx, delta);
    return { inserted, updated: replaced.length, duplicates: conflicts.length - replaced.length };
  }

  /** One prepared single-row insert per event; a row that changed nothing was a duplicate. */
  private insertEach(trx: Transaction<Database>, rows: Insertable<EventsTable>[]): boolean[] {
    const columns = Object.keys(rows[0]!);
    this.insertSql ??= singleRowSql(columns, (sample) =>
      trx
        .insertInto('events')
        .values(sample as Insertable<EventsTable>)
        .onConflict((oc) => oc.columns(['workspace', 'id']).doNothing()),
    );
    return this.backend.hooks.runEach!(this.insertSql, paramRows(rows, columns)).map(
      (changes) => changes > 0,
    );
  }

  /** Multi-row (or column-array) inserts; RETURNING names the rows that were new. */
  private async insertChunked(
    trx: Transaction<Database>,
    rows: Insertable<EventsTable>[],
  ): Promise<boolean[]> {
    const returned = await insertRecords<{ workspace: string; id: string }>(
      trx,
      this.backend.hooks,
      'events',
      rows,
      (q) =>
        q
          .onConflict((oc) => oc.columns(['workspace', 'id']).doNothing())
          .returning(['workspace', 'id']),
    );
    const stored = new Set(returned.map((r) => keyOf(r.workspace, r.id)));
    return rows.map((r) => stored.has(keyOf(r.workspace, r.id)));
  }

  async getEvent(workspace: string, id: string): Promise<CairnEvent | null> {
    this.allow(workspace);
    const row = await this.db
      .selectFrom('events')
      .selectAll()
      .where('workspace', '=', workspace)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? fromRow(row, this.backend.hooks) : null;
  }

  /** Events of one workspace in time order (then by arrival), optionally within [from, to). */
  async listEvents(q: EventQuery): Promise<CairnEvent[]> {
    this.allow(q.workspace);
    let query = this.db.selectFrom('events').selectAll().where('workspace', '=', q.workspace);
    if (q.from !== undefined) query = query.where('ts', '>=', q.from);
    if (q.to !== undefined) query = query.where('ts', '<', q.to);
    const rows = await query
      .orderBy('ts')
      .orderBy('seq')
      .limit(q.limit ?? 1000)
      .execute();
    return rows.map((r) => fromRow(r, this.backend.hooks));
  }

  /** Merged rollup rows (see rollup-reader.ts). */
  readRollup(q: RollupRead): Promise<GroupRow[]> {
    return readRollup(this.db as unknown as Kysely<RollupTables>, this.backend.hooks, q);
  }

  /**
   * Raw events in [from, to), optionally of one workspace and type, in pages of `pageSize` (keyset
   * on time and arrival, so pages stay cheap however deep the scan goes). Pass a transaction as
   * `db` to read inside it.
   */
  async *scanEvents(
    q: ScanQuery,
    pageSize = 5_000,
    db: Kysely<Database> = this.db,
  ): AsyncGenerator<CairnEvent[]> {
    let after: { ts: number; seq: number } | null = null;
    for (;;) {
      let query = db
        .selectFrom('events')
        .selectAll()
        .where('ts', '>=', q.from)
        .where('ts', '<', q.to);
      if (q.workspace !== undefined) query = query.where('workspace', '=', q.workspace);
      if (q.type !== undefined) query = query.where('type', '=', q.type);
      if (after) {
        const { ts, seq } = after;
        query = query.where((eb) =>
          eb.or([eb('ts', '>', ts), eb.and([eb('ts', '=', ts), eb('seq', '>', seq)])]),
        );
      }
      const rows = await query.orderBy('ts').orderBy('seq').limit(pageSize).execute();
      if (rows.length === 0) return;
      yield rows.map((r) => fromRow(r, this.backend.hooks));
      if (rows.length < pageSize) return;
      const last = rows[rows.length - 1]!;
      after = { ts: last.ts, seq: last.seq };
    }
  }

  /** Every stored row of one rollup with bucket in [from, to), as plain records. */
  async rollupRows(
    def: RollupDef,
    from: number,
    to: number,
    workspace?: string,
  ): Promise<Record<string, unknown>[]> {
    let q = (this.db as unknown as Kysely<RollupTables>)
      .selectFrom(tableOf(def))
      .selectAll()
      .where('bucket', '>=', from)
      .where('bucket', '<', to);
    if (workspace !== undefined) q = q.where('workspace', '=', workspace);
    return q.execute();
  }

  /** Every stored user-day row with day in [from, to). */
  async userDayRows(
    from: number,
    to: number,
    workspace?: string,
  ): Promise<Record<string, unknown>[]> {
    let q = this.db
      .selectFrom('user_days')
      .selectAll()
      .where('day', '>=', from)
      .where('day', '<', to);
    if (workspace !== undefined) q = q.where('workspace', '=', workspace);
    return q.execute();
  }

  /**
   * Replaces the rollups of [from, to) (whole UTC days) with `delta`, in one transaction that
   * holds the write lock, so no batch lands between the delete and the insert.
   */
  async replaceRollups(
    from: number,
    to: number,
    workspace: string | undefined,
    delta: (trx: Transaction<Database>) => Promise<RollupDelta>,
  ): Promise<void> {
    this.unscopedOnly('rebuilding rollups');
    await this.db.transaction().execute(async (trx) => {
      await this.backend.hooks.lockWrites(trx);
      const rollups = trx as unknown as Kysely<RollupTables>;
      for (const def of ROLLUPS) {
        let q = rollups
          .deleteFrom(tableOf(def))
          .where('bucket', '>=', from)
          .where('bucket', '<', to);
        if (workspace !== undefined) q = q.where('workspace', '=', workspace);
        await q.execute();
      }
      let days = trx.deleteFrom('user_days').where('day', '>=', from).where('day', '<', to);
      if (workspace !== undefined) days = days.where('workspace', '=', workspace);
      await days.execute();
      await applyDelta(trx, this.backend.hooks, await delta(trx));
    });
  }

  /**
   * Rewrites stored events in one transaction holding the write lock: `change` reads what it
   * needs through the transaction and returns replacements, whose raw rows are updated and whose
   * rollup contributions are swapped (old retracted, new added). Used by reprice.
   */
  async rewriteEvents(
    change: (trx: Transaction<Database>) => Promise<Replacement[]>,
    receivedAt: number,
  ): Promise<number> {
    this.unscopedOnly('rewriting events');
    return this.db.transaction().execute(async (trx) => {
      await this.backend.hooks.lockWrites(trx);
      const replacements = await change(trx);
      for (const { next } of replacements) {
        await trx
          .updateTable('events')
          .set(toRow(next, receivedAt))
          .where('workspace', '=', next.workspace)
          .where('id', '=', next.id)
          .execute();
      }
      const delta = foldEvents(
        replacements.map((r) => r.old),
        -1,
      );
      foldEvents(
        replacements.map((r) => r.next),
        1,
        delta,
      );
      await applyDelta(trx, this.backend.hooks, delta);
      if (delta.retracted) await repairExtremes(trx, delta);
      return replacements.length;
    });
  }

  /** The times of the oldest and newest stored events, or nulls when there are none. */
  async eventTimeRange(
    workspace: string | undefined = this.scope ?? undefined,
  ): Promise<{ first: number | null; last: number | null }> {
    this.allow(workspace);
    let q = this.db
      .selectFrom('events')
      .select((eb) => [eb.fn.min('ts').as('first'), eb.fn.max('ts').as('last')]);
    if (workspace !== undefined) q = q.where('workspace', '=', workspace);
    const row = await q.executeTakeFirst();
    return {
      first: row?.first == null ? null : Number(row.first),
      last: row?.last == null ? null : Number(row.last),
    };
  }

  /** Event counts per workspace. */
  async countEvents(workspace: string | undefined = this.scope ?? undefined): Promise<number> {
    this.allow(workspace);
    let query = this.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n'));
    if (workspace !== undefined) query = query.where('workspace', '=', workspace);
    const row = await query.executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Workspaces that hold events (a scoped store sees at most its own). */
  async listWorkspaces(): Promise<string[]> {
    let q = this.db.selectFrom('events').select('workspace').distinct();
    if (this.scope !== null) q = q.where('workspace', '=', this.scope);
    const rows = await q.orderBy('workspace').execute();
    return rows.map((r) => r.workspace);
  }

  async listPriceOverrides(workspace: string): Promise<PriceOverride[]> {
    this.allow(workspace);
    const rows = await this.db
      .selectFrom('price_overrides')
      .selectAll()
      .where('workspace', '=', workspace)
      .orderBy('effective_from')
      .execute();
    return rows.map(({ created_at: _c, ...o }) => o);
  }

  async putPriceOverride(o: PriceOverride, now: number): Promise<void> {
    this.allow(o.workspace);
    await this.db
      .insertInto('price_overrides')
      .values({ ...o, created_at: now })
      .onConflict((oc) => oc.column('id').doUpdateSet({ ...o }))
      .execute();
  }

  async deletePriceOverride(workspace: string, id: string): Promise<boolean> {
    this.allow(workspace);
    const r = await this.db
      .deleteFrom('price_overrides')
      .where('workspace', '=', workspace)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** A trivial query, for health checks. */
  async ping(): Promise<void> {
    await this.db.selectFrom('events').select('seq').limit(1).execute();
  }

  close(): Promise<void> {
    return this.backend.close();
  }
}

function byKey(a: CairnEvent, b: CairnEvent): number {
  if (a.workspace !== b.workspace) return a.workspace < b.workspace ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function keyOf(workspace: string, id: string): string {
  return `${workspace}\u0000${id}`;
}
