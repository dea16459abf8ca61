import type { Kysely, Transaction } from 'kysely';
import { foldEvents, type RollupDelta } from '../rollups/fold.js';
import type { BackendHooks } from './backend.js';
import { fromRow, type EventRow } from './event-row.js';
import { applyDelta } from './rollup-writer.js';
import type { Database } from './schema.js';

/** The rollups that gained the minute grain in migration 0009. */
const GAINED = new Set(['model', 'agent', 'tool']);
const PAGE = 5_000;

/**
 * Migration 0009: writes the minute rows of the model, agent and tool rollups for the events
 * stored before those rollups had a minute grain, so that the planner may read minutes of them
 * anywhere. The same fold as ingest, keeping only the new rows; other rows are left untouched.
 * A fresh database has no events and does nothing here.
 */
export async function backfillMinuteGrains(
  db: Kysely<unknown>,
  hooks: BackendHooks,
): Promise<void> {
  const trx = db as unknown as Transaction<Database>;
  let after: { ts: number; seq: number } | null = null;
  for (;;) {
    let q = trx.selectFrom('events').selectAll();
    if (after) {
      const { ts, seq } = after;
      q = q.where((eb) =>
        eb.or([eb('ts', '>', ts), eb.and([eb('ts', '=', ts), eb('seq', '>', seq)])]),
      );
    }
    const rows = (await q.orderBy('ts').orderBy('seq').limit(PAGE).execute()) as EventRow[];
    if (rows.length === 0) return;
    await applyDelta(trx, hooks, onlyGained(foldEvents(rows.map((r) => fromRow(r, hooks)))));
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1]!;
    after = { ts: Number(last.ts), seq: Number(last.seq) };
  }
}

function onlyGained(delta: RollupDelta): RollupDelta {
  const rows = new Map(
    [...delta.rows].filter(([, r]) => GAINED.has(r.def.name) && r.grain === 'minute'),
  );
  return { rows, userDays: new Map(), retracted: false };
}
