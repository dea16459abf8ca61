import type { Kysely, Transaction } from 'kysely';
import type { CairnEvent } from '../core/event.js';
import type { PriceOverride } from '../pricing/price-override.js';
import type { Backend, BackendKind } from './backend.js';
import { fromRow, toRow } from './event-row.js';
import { migrateToLatest } from './migrations.js';
import type { Database } from './schema.js';

/** Columns per event row, used to keep one INSERT under the backend's parameter limit. */
const EVENT_COLUMNS = 39;

export interface InsertResult {
  /** The events that were new, in input order. */
  inserted: CairnEvent[];
  /** How many were already stored (same workspace and id). */
  duplicates: number;
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

  constructor(private readonly backend: Backend) {
    this.kind = backend.kind;
    this.db = backend.db;
  }

  /** Runs pending migrations. Safe to call at every start. */
  migrate(): Promise<void> {
    return migrateToLatest(this.db as Kysely<unknown>, this.backend.hooks);
  }

  /**
   * Inserts events in one transaction, skipping any whose (workspace, id) is already stored.
   * The caller must have removed duplicates within the batch. Resolves only after commit.
   */
  insertEvents(events: readonly CairnEvent[], receivedAt: number): Promise<InsertResult> {
    if (events.length === 0) return Promise.resolve({ inserted: [], duplicates: 0 });
    return this.db.transaction().execute((trx) => this.insertIn(trx, events, receivedAt));
  }

  private async insertIn(
    trx: Transaction<Database>,
    events: readonly CairnEvent[],
    receivedAt: number,
  ): Promise<InsertResult> {
    const stored = new Set<string>();
    const chunk = Math.max(1, Math.floor(this.backend.hooks.maxParams / EVENT_COLUMNS));
    // Concurrent batches take unique-index locks in key order, so overlapping batches wait for
    // each other instead of deadlocking (PostgreSQL aborts one of two crossed transactions).
    const ordered = [...events].sort(byKey);
    for (let i = 0; i < ordered.length; i += chunk) {
      const rows = ordered.slice(i, i + chunk).map((e) => toRow(e, receivedAt));
      const returned = await trx
        .insertInto('events')
        .values(rows)
        .onConflict((oc) => oc.columns(['workspace', 'id']).doNothing())
        .returning(['workspace', 'id'])
        .execute();
      for (const r of returned) stored.add(keyOf(r.workspace, r.id));
    }
    const inserted = events.filter((e) => stored.has(keyOf(e.workspace, e.id)));
    return { inserted, duplicates: events.length - inserted.length };
  }

  async getEvent(workspace: string, id: string): Promise<CairnEvent | null> {
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

  /** Event counts per workspace. */
  async countEvents(workspace?: string): Promise<number> {
    let query = this.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n'));
    if (workspace !== undefined) query = query.where('workspace', '=', workspace);
    const row = await query.executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async listWorkspaces(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('events')
      .select('workspace')
      .distinct()
      .orderBy('workspace')
      .execute();
    return rows.map((r) => r.workspace);
  }

  async listPriceOverrides(workspace: string): Promise<PriceOverride[]> {
    const rows = await this.db
      .selectFrom('price_overrides')
      .selectAll()
      .where('workspace', '=', workspace)
      .orderBy('effective_from')
      .execute();
    return rows.map(({ created_at: _c, ...o }) => o);
  }

  async putPriceOverride(o: PriceOverride, now: number): Promise<void> {
    await this.db
      .insertInto('price_overrides')
      .values({ ...o, created_at: now })
      .onConflict((oc) => oc.column('id').doUpdateSet({ ...o }))
      .execute();
  }

  async deletePriceOverride(workspace: string, id: string): Promise<boolean> {
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
