import Database from 'better-sqlite3';
import { createEngine, type Engine } from '../src/engine.js';
import { toRow } from '../src/store/event-row.js';
import type { Metric } from './report.js';
import { batches, canonicalBatch, wAgentEvents } from './workload.js';

export interface BareInsertResult {
  metrics: Metric[];
  notes: string[];
  eventsPerSecond: number;
}

/**
 * The bare limit: the same rows Cairn stores, inserted by one prepared statement in transactions
 * of 500 rows into the very `events` table (same columns and indexes; created by Cairn's
 * migrations in a fresh file) with nothing else — no rollups, no Kysely, no HTTP. Only the
 * transactions are timed; validating and pricing the rows beforehand is not.
 */
export async function bareInsert(
  file: string,
  stream: { events: number; end: number },
): Promise<BareInsertResult> {
  await (await createEngine({ db: file })).close();
  const scratch = await createEngine({ db: ':memory:' });
  const db = openLikeCairn(file);
  try {
    const { ms, offered, stored } = await insertStream(db, scratch, stream);
    const rate = offered / (ms / 1000);
    const metrics: Metric[] = [
      {
        name: 'bare_insert.sqlite.events_per_s',
        value: rate,
        unit: 'ev/s',
        note: 'offered events / time inside the insert transactions',
      },
    ];
    const notes = [
      `bare insert: ${offered} events offered (${stored} new), ${(ms / 1000).toFixed(1)} s in transactions; INSERT … ON CONFLICT (workspace, id) DO NOTHING, 500 rows per transaction, WAL, synchronous=NORMAL, the same pragmas as Cairn.`,
    ];
    return { metrics, notes, eventsPerSecond: rate };
  } finally {
    db.close();
    await scratch.close();
  }
}

/** A connection with the pragmas of Cairn's SQLite backend. */
function openLikeCairn(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -65536');
  return db;
}

async function insertStream(
  db: Database.Database,
  scratch: Engine,
  stream: { events: number; end: number },
): Promise<{ ms: number; offered: number; stored: number }> {
  let insert: ((rows: unknown[][]) => number) | undefined;
  let ms = 0;
  let offered = 0;
  let stored = 0;
  const now = Date.now();
  for (const batch of batches(wAgentEvents(stream.events, stream.end))) {
    const rows = (await canonicalBatch(scratch, batch, now)).map((e) => toRow(e, now));
    insert ??= prepareInsert(db, Object.keys(rows[0]!));
    const params = rows.map((r) => Object.values(r).map((v) => v ?? null));
    const t0 = performance.now();
    stored += insert(params);
    ms += performance.now() - t0;
    offered += batch.length;
  }
  return { ms, offered, stored };
}

function prepareInsert(db: Database.Database, columns: string[]): (rows: unknown[][]) => number {
  const st = db.prepare(
    `INSERT INTO events (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ` +
      'ON CONFLICT (workspace, id) DO NOTHING',
  );
  return db.transaction((rows: unknown[][]) => {
    let changes = 0;
    for (const r of rows) changes += st.run(r).changes;
    return changes;
  });
}
