import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import { applyRetention } from '../../src/maintenance/retention-apply.js';
import { cutoffOf } from '../../src/maintenance/retention-policy.js';
import { ROLLUPS } from '../../src/rollups/definitions.js';
import { openTestEngine, postgresAvailable, type BackendName } from '../support/databases.js';
import { D, itemsOf, NOW, workload } from './workload.js';

const BACKENDS: BackendName[] = ['sqlite', 'pglite'];
if (await postgresAvailable()) BACKENDS.push('postgres');

/** 3,000 events, all older than the raw limit, and 60 recent ones ingested while apply runs. */
const OLD = workload(3_000, 30, 'old').map((e) => ({ ...e, timestamp: e.timestamp - 100 * D }));
const FRESH = workload(60, 1, 'new');
const BATCH = 100;

describe.each(BACKENDS)('retention batches on %s', (backend) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine(backend);
    expect((await engine.ingest(itemsOf(OLD), NOW)).accepted).toBe(OLD.length);
  });
  afterAll(() => engine.close());

  it('deletes in bounded batches while an ingest issued meanwhile completes', async () => {
    const rollupsBefore = await rollupTotals(engine);
    const batches: Array<{ table: string; rows: number }> = [];
    let ingest: Promise<unknown> | null = null;
    let ingestDoneAt: number | null = null;
    const report = await applyRetention(engine, NOW, {
      batchRows: BATCH,
      onBatch: (table, _ws, rows) => {
        batches.push({ table, rows });
        // Started during the first batch: it must finish long before the last one.
        ingest ??= engine.ingest(itemsOf(FRESH), NOW).then(() => (ingestDoneAt = batches.length));
      },
    });
    await ingest;
    const raw = batches.filter((b) => b.table === 'events');
    expect(raw.map((b) => b.rows)).toEqual(bounded(OLD.length));
    expect(ingestDoneAt).not.toBeNull();
    expect(ingestDoneAt!).toBeLessThan(raw.length);
    expect(report.batches).toBe(batches.length);
    // Only the fresh events are left, and raw deletion changed no rollup's totals.
    expect(await engine.store.countEvents()).toBe(FRESH.length);
    const after = await rollupTotals(engine);
    expect(after.day).toBe(rollupsBefore.day + FRESH.length);
    expect(after.hour).toBe(rollupsBefore.hour + FRESH.length);
  });

  it('a stop request ends the run between batches', async () => {
    // Other workspaces: the pruned ones now refuse events this old (before_retention).
    const again = OLD.map((e) => ({ ...e, id: `again-${e.id}`, workspace: `${e.workspace}-2` }));
    expect((await engine.ingest(itemsOf(again), NOW)).accepted).toBe(OLD.length);
    let seen = 0;
    const r = await applyRetention(engine, NOW, {
      batchRows: BATCH,
      onBatch: () => seen++,
      shouldStop: () => seen >= 3,
    });
    expect(r.stopped).toBe(true);
    expect(r.batches).toBe(3);
    expect(await engine.store.countEvents()).toBe(FRESH.length + OLD.length - 3 * BATCH);
  });
});

/** Batch sizes when `n` rows are deleted BATCH at a time. */
function bounded(n: number): number[] {
  const sizes = Array.from({ length: Math.floor(n / BATCH) }, () => BATCH);
  return n % BATCH === 0 ? sizes : [...sizes, n % BATCH];
}

/**
 * Events counted by rollup_total: over all its day rows, and over its hour rows of the last 30
 * days (older hour rows go under the default policy, so they are left out of the comparison).
 */
async function rollupTotals(engine: Engine): Promise<{ day: number; hour: number }> {
  const rows = await engine.store.rollupRows(ROLLUPS[0]!, 0, NOW + D);
  const sum = (grain: string, from: number) =>
    rows
      .filter((r) => r['grain'] === grain && Number(r['bucket']) >= from)
      .reduce((n, r) => n + Number(r['count']), 0);
  return { day: sum('day', 0), hour: sum('hour', cutoffOf(30, NOW)!) };
}
