import type { Insertable } from 'kysely';
import type { CairnEvent } from '../src/core/event.js';
import { createEngine, type Engine } from '../src/engine.js';
import { toRow } from '../src/store/event-row.js';
import { replaceNewerRevisions } from '../src/store/revisions.js';
import { paramRows, singleRowSql } from '../src/store/run-each.js';
import type { EventsTable } from '../src/store/schema.js';
import type { Store } from '../src/store/store.js';
import { targetIf, type Metric } from './report.js';
import { batches, canonicalBatch, rawItems, wAgentEvents } from './workload.js';

export interface RollupOverheadResult {
  metrics: Metric[];
  notes: string[];
}

/**
 * Rollup maintenance overhead, in process on SQLite: the same W-agent batches go to two fresh
 * databases, batch by batch (alternating which goes first, so drift in machine load hits both
 * alike). One gets `engine.ingest` (validate, drop repeats, price, insert raw rows, fold, upsert
 * rollups, one transaction). The other gets the same pipeline with the rollup steps left out:
 * validate, drop repeats, price, then the store's raw path — the same prepared single-row
 * INSERT … ON CONFLICT DO NOTHING through the backend's runEach, and the revision check, in one
 * transaction. Generation is not timed.
 */
export async function rollupOverhead(
  files: { withRollups: string; rawOnly: string },
  events: number,
  end: number,
  targets: boolean,
): Promise<RollupOverheadResult> {
  const a = await createEngine({ db: files.withRollups });
  const b = await createEngine({ db: files.rawOnly });
  try {
    const t = await compare(a, b, events, end);
    const overhead = t.withMs / t.rawMs - 1;
    return {
      metrics: [
        {
          name: 'rollup_overhead.sqlite.with_rollups_events_per_s',
          value: events / (t.withMs / 1000),
          unit: 'ev/s',
          note: 'engine.ingest in process',
        },
        {
          name: 'rollup_overhead.sqlite.raw_only_events_per_s',
          value: events / (t.rawMs / 1000),
          unit: 'ev/s',
          note: 'same pipeline, no fold and no rollup upserts',
        },
        {
          name: 'rollup_overhead.sqlite.overhead',
          value: overhead * 100,
          unit: '%',
          ...targetIf(targets, '<=', 20),
          note: 'time with rollups / time without − 1',
        },
      ],
      notes: [
        `rollup overhead: ${events} W-agent events in batches of 500, ${(t.withMs / 1000).toFixed(1)} s with rollups vs ${(t.rawMs / 1000).toFixed(1)} s raw only (validation and pricing timed on both sides).`,
      ],
    };
  } finally {
    await a.close();
    await b.close();
  }
}

async function compare(
  a: Engine,
  b: Engine,
  events: number,
  end: number,
): Promise<{ withMs: number; rawMs: number }> {
  const now = end + 86_400_000;
  const raw = new RawInserter(b.store);
  let withMs = 0;
  let rawMs = 0;
  let i = 0;
  for (const batch of batches(wAgentEvents(events, end))) {
    const runWith = async () => (withMs += await timed(() => a.ingest(rawItems(batch), now)));
    const runRaw = async () =>
      (rawMs += await timed(async () => raw.insert(await canonicalBatch(b, batch, now), now)));
    if (i++ % 2 === 0) await runWith().then(runRaw);
    else await runRaw().then(runWith);
  }
  return { withMs, rawMs };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** The store's raw insert path (Store.insertIn without the fold and rollup upserts). */
class RawInserter {
  private sql: string | undefined;

  constructor(private readonly store: Store) {}

  async insert(events: CairnEvent[], receivedAt: number): Promise<void> {
    if (events.length === 0) return;
    const ordered = [...events].sort(byKey);
    const rows = ordered.map((e) => toRow(e, receivedAt));
    const columns = Object.keys(rows[0]!);
    const db = this.store.reader;
    this.sql ??= singleRowSql(columns, (sample) =>
      db
        .insertInto('events')
        .values(sample as Insertable<EventsTable>)
        .onConflict((oc) => oc.columns(['workspace', 'id']).doNothing()),
    );
    const sql = this.sql;
    await db.transaction().execute(async (trx) => {
      const changes = this.store.hooks.runEach!(sql, paramRows(rows, columns));
      const conflicts = ordered.filter((_, i) => changes[i] === 0);
      await replaceNewerRevisions(trx, this.store.hooks, conflicts, receivedAt);
    });
  }
}

function byKey(a: CairnEvent, b: CairnEvent): number {
  if (a.workspace !== b.workspace) return a.workspace < b.workspace ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
