import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import { tableOf, type RollupDef } from '../rollups/definitions.js';
import type { RollupDelta, RollupRowDelta, UserDayDelta } from '../rollups/fold.js';
import { encodeBins } from '../rollups/sketch.js';
import { MAX_FIELDS, MIN_FIELDS, SUM_FIELDS } from '../rollups/stats.js';
import type { BackendHooks } from './backend.js';
import { insertRecords, type AnyInsert } from './bulk-insert.js';
import { paramRows, singleRowSql } from './run-each.js';
import type { Database, RollupTables } from './schema.js';

const USER_DAY_KEY = ['workspace', 'day', 'user_id'] as const;
const USER_DAY_SUMS = ['events', 'errors', 'cost_nanos', 'input_tokens', 'output_tokens'] as const;

/**
 * Applies a pre-aggregated delta inside the caller's transaction: one upsert per touched row.
 * Sums add, histograms merge bin by bin (cairn_hist_merge), minima and maxima combine.
 */
export async function applyDelta(
  trx: Transaction<Database>,
  hooks: BackendHooks,
  delta: RollupDelta,
): Promise<void> {
  const byTable = new Map<RollupDef, RollupRowDelta[]>();
  for (const row of delta.rows.values()) {
    const list = byTable.get(row.def);
    if (list) list.push(row);
    else byTable.set(row.def, [row]);
  }
  for (const [def, rows] of byTable)
    await upsertRollupRows(trx as unknown as Kysely<RollupTables>, hooks, def, rows);
  await upsertUserDays(trx, hooks, [...delta.userDays.values()]);
  if (delta.retracted) await dropEmptyRows(trx, delta);
}

/** The stored form of one touched row. */
export function rollupRecord(row: RollupRowDelta): Record<string, unknown> {
  const rec: Record<string, unknown> = {
    grain: row.grain,
    workspace: row.workspace,
    bucket: row.bucket,
    type: row.type,
  };
  row.def.dimensions.forEach((d, i) => (rec[d] = row.values[i]));
  Object.assign(rec, row.stats);
  rec.hist = encodeBins(row.bins);
  return rec;
}

async function upsertRollupRows(
  db: Kysely<RollupTables>,
  hooks: BackendHooks,
  def: RollupDef,
  rows: RollupRowDelta[],
): Promise<void> {
  const table = tableOf(def);
  const key = ['grain', 'workspace', 'bucket', 'type', ...def.dimensions];
  const records = rows.map(rollupRecord);
  const onConflict = <Q extends AnyInsert>(q: Q) =>
    q.onConflict((oc) => oc.columns(key).doUpdateSet((eb) => mergeSet(eb as unknown as Eb, table)));
  if (hooks.runEach) {
    const columns = Object.keys(records[0]!);
    hooks.runEach(
      singleRowSql(columns, (sample) => onConflict(db.insertInto(table).values(sample))),
      paramRows(records, columns),
    );
    return;
  }
  await insertRecords(db, hooks, table, records, onConflict);
}

type Eb = ExpressionBuilder<Record<string, Record<string, unknown>>, string>;

function mergeSet(eb: Eb, table: string): Record<string, unknown> {
  const set: Record<string, unknown> = {};
  for (const f of SUM_FIELDS) set[f] = eb(eb.ref(`${table}.${f}`), '+', eb.ref(`excluded.${f}`));
  for (const f of MIN_FIELDS) set[f] = extreme(eb, table, f, '<');
  for (const f of MAX_FIELDS) set[f] = extreme(eb, table, f, '>');
  set.hist = sql`cairn_hist_merge(${sql.ref(`${table}.hist`)}, excluded.hist)`;
  return set;
}

/** LEAST/GREATEST that ignore nulls, written as CASE so it means the same on every backend. */
function extreme(eb: Eb, table: string, f: string, op: '<' | '>') {
  const old = eb.ref(`${table}.${f}`);
  const added = eb.ref(`excluded.${f}`);
  return eb
    .case()
    .when(added, 'is', null)
    .then(old)
    .when(old, 'is', null)
    .then(added)
    .when(added, op, old)
    .then(added)
    .else(old)
    .end();
}

async function upsertUserDays(
  trx: Transaction<Database>,
  hooks: BackendHooks,
  rows: UserDayDelta[],
): Promise<void> {
  await insertRecords(trx, hooks, 'user_days', rows as unknown as Record<string, unknown>[], (q) =>
    q.onConflict((oc) =>
      oc.columns(USER_DAY_KEY).doUpdateSet((eb) => {
        const set: Record<string, unknown> = {};
        for (const f of USER_DAY_SUMS)
          set[f] = eb(eb.ref(`user_days.${f}`), '+', eb.ref(`excluded.${f}`));
        return set;
      }),
    ),
  );
}

/** After a retraction, touched rows whose count fell to zero describe nothing and are removed. */
async function dropEmptyRows(trx: Transaction<Database>, delta: RollupDelta): Promise<void> {
  const db = trx as unknown as Kysely<RollupTables>;
  for (const row of delta.rows.values()) {
    if (row.stats.count >= 0) continue;
    let q = db
      .deleteFrom(tableOf(row.def))
      .where('count', '=', 0)
      .where('grain', '=', row.grain)
      .where('workspace', '=', row.workspace);
    q = q.where('bucket', '=', row.bucket).where('type', '=', row.type);
    row.def.dimensions.forEach((d, i) => (q = q.where(d, '=', row.values[i])));
    await q.execute();
  }
  for (const u of delta.userDays.values()) {
    if (u.events >= 0) continue;
    await trx
      .deleteFrom('user_days')
      .where('events', '=', 0)
      .where('workspace', '=', u.workspace)
      .where('day', '=', u.day)
      .where('user_id', '=', u.user_id)
      .execute();
  }
}
