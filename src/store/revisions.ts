import type { Kysely, Transaction } from 'kysely';
import type { CairnEvent } from '../core/event.js';
import { DIMENSION_COLUMNS, ROLLUP_GRAINS, tableOf } from '../rollups/definitions.js';
import type { RollupDelta } from '../rollups/fold.js';
import { toMicros } from '../rollups/stats.js';
import type { BackendHooks } from './backend.js';
import { fromRow, toRow } from './event-row.js';
import type { Database, RollupTables } from './schema.js';

export interface Replacement {
  old: CairnEvent;
  next: CairnEvent;
}

/**
 * Events whose (workspace, id) was already stored replace the stored event when their revision
 * is higher (a message archived, a run finished, a late response closing a pending call). The
 * raw row is updated in place; the caller retracts `old` from the rollups and adds `next`.
 */
export async function replaceNewerRevisions(
  trx: Transaction<Database>,
  hooks: BackendHooks,
  conflicts: readonly CairnEvent[],
  receivedAt: number,
): Promise<Replacement[]> {
  const versioned = conflicts.filter((e) => e.revision > 0);
  if (versioned.length === 0) return [];
  const stored = await loadStored(trx, hooks, versioned);
  const out: Replacement[] = [];
  for (const next of versioned) {
    const old = stored.get(`${next.workspace}\u0000${next.id}`);
    if (!old || next.revision <= old.revision) continue;
    await trx
      .updateTable('events')
      .set(toRow(next, receivedAt))
      .where('workspace', '=', next.workspace)
      .where('id', '=', next.id)
      .execute();
    out.push({ old, next });
  }
  return out;
}

async function loadStored(
  trx: Transaction<Database>,
  hooks: BackendHooks,
  events: readonly CairnEvent[],
): Promise<Map<string, CairnEvent>> {
  const byWorkspace = new Map<string, string[]>();
  for (const e of events)
    byWorkspace.set(e.workspace, [...(byWorkspace.get(e.workspace) ?? []), e.id]);
  const out = new Map<string, CairnEvent>();
  for (const [workspace, ids] of byWorkspace) {
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await trx
        .selectFrom('events')
        .selectAll()
        .where('workspace', '=', workspace)
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const r of rows) out.set(`${r.workspace}\u0000${r.id}`, fromRow(r, hooks));
    }
  }
  return out;
}

/**
 * A retraction can remove a row's minimum or maximum, which sums cannot undo: those rows get
 * their extremes recomputed from the raw events of their bucket (rare: only updated events).
 */
export async function repairExtremes(
  trx: Transaction<Database>,
  delta: RollupDelta,
): Promise<void> {
  const rollups = trx as unknown as Kysely<RollupTables>;
  for (const row of delta.rows.values()) {
    if (!row.retracted) continue;
    let raw = trx
      .selectFrom('events')
      .select((eb) => [
        eb.fn.min('duration_ms').as('dmin'),
        eb.fn.max('duration_ms').as('dmax'),
        eb.fn.min('ts').as('first'),
        eb.fn.max('ts').as('last'),
      ])
      .where('workspace', '=', row.workspace)
      .where('type', '=', row.type)
      .where('ts', '>=', row.bucket)
      .where('ts', '<', row.bucket + ROLLUP_GRAINS[row.grain]);
    row.def.dimensions.forEach((d, i) => {
      const column = DIMENSION_COLUMNS[d];
      raw =
        row.values[i] === ''
          ? raw.where(column, 'is', null)
          : raw.where(column, '=', row.values[i]!);
    });
    const x = await raw.executeTakeFirst();
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    let update = rollups
      .updateTable(tableOf(row.def))
      .set({
        duration_min_us: x?.dmin == null ? null : toMicros(Number(x.dmin)),
        duration_max_us: x?.dmax == null ? null : toMicros(Number(x.dmax)),
        first_seen: num(x?.first),
        last_seen: num(x?.last),
      })
      .where('grain', '=', row.grain)
      .where('workspace', '=', row.workspace)
      .where('bucket', '=', row.bucket)
      .where('type', '=', row.type);
    row.def.dimensions.forEach((d, i) => (update = update.where(d, '=', row.values[i])));
    await update.execute();
  }
}
