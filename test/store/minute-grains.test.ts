import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine.js';
import { verifyRollups } from '../../src/maintenance/verify.js';
import { createTestDatabase, postgresAvailable, type BackendName } from '../support/databases.js';
import { NOW, items } from '../support/events.js';

const backends: BackendName[] = ['sqlite'];
if (await postgresAvailable()) backends.push('postgres');

const MINUTE = 60_000;

/**
 * Migration 0009 gave the model, agent and tool rollups a minute grain. A database written before
 * it has no such rows; the migration must fill them from the raw events, exactly.
 */
describe.each(backends)('migration 0009 (minute grains) on %s', (kind) => {
  it('fills the new minute rows of an older database from its raw events', async () => {
    const database = await createTestDatabase(kind);
    try {
      const events = Array.from({ length: 300 }, (_, i) => ({
        id: `e-${i}`,
        type: i % 3 === 0 ? 'tool_call' : 'llm_call',
        timestamp: NOW - 5 * 3_600_000 + i * 61_000,
        duration_ms: 50 + (i % 17) * 13,
        model: i % 3 === 0 ? null : ['gpt-4o-mini', 'claude-sonnet-4-5'][i % 2],
        tool: i % 3 === 0 ? `tool-${i % 4}` : null,
        agent: `agent-${i % 2}`,
        usage: i % 3 === 0 ? null : { input_tokens: 100 + i, output_tokens: i },
      }));
      const first = await createEngine({ db: database.url });
      await first.ingest(items(...events), NOW);
      const minuteRows = async (e: typeof first) => {
        let n = 0;
        for (const t of ['rollup_model', 'rollup_agent', 'rollup_tool']) {
          const r = await sql<{
            n: number;
          }>`select count(*) as n from ${sql.table(t)} where grain = 'minute'`.execute(
            e.store.reader,
          );
          n += Number(r.rows[0]!.n);
        }
        return n;
      };
      const written = await minuteRows(first);
      expect(written).toBeGreaterThan(0);
      // Make it the database of an older Cairn: no minute rows there, migration 0009 not run.
      for (const t of ['rollup_model', 'rollup_agent', 'rollup_tool'])
        await sql`delete from ${sql.table(t)} where grain = 'minute'`.execute(first.store.reader);
      await sql`delete from kysely_migration where name = '0009_minute_grains'`.execute(
        first.store.reader,
      );
      const gap = await verifyRollups(first.store, { from: NOW - 6 * 3_600_000, to: NOW });
      expect(gap.differences.length).toBe(written); // verify sees every missing row
      await first.close();

      const upgraded = await createEngine({ db: database.url });
      try {
        expect(await minuteRows(upgraded)).toBe(written);
        const r = await verifyRollups(upgraded.store, { from: NOW - 6 * 3_600_000, to: NOW });
        expect(r.differences).toEqual([]);
        // And a query whose edges fall inside hours now reads minutes of the model rollup.
        const q = (await upgraded.query('summary', {
          from: String(NOW - 3 * 3_600_000 + 7 * MINUTE),
          to: String(NOW - 3_600_000 + 3 * MINUTE),
          by: 'model',
        })) as { plan: { segments: Array<{ source: string }> } };
        expect(q.plan.segments.map((s) => s.source)).toContain('minute');
      } finally {
        await upgraded.close();
      }
    } finally {
      await database.drop();
    }
  });
});
