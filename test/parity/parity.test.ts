import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import { verifyRollups } from '../../src/maintenance/verify.js';
import { type BackendName, openTestEngine, postgresAvailable } from '../support/databases.js';
import { QUERIES } from './queries.js';
import { END, finalState, loadWithUpdates, START, updatesOf, workload } from './workload.js';

/**
 * Parity: the same seeded workload — with redeliveries, late events and updates that move events
 * across buckets, models and statuses — gives identical answers on every backend, and every
 * answer served from rollups equals the same answer recomputed from raw events.
 */
const events = workload();
const updates = updatesOf(events);
const backends: BackendName[] = [
  'sqlite',
  'pglite',
  ...((await postgresAvailable()) ? (['postgres'] as const) : []),
];
const engines = new Map<BackendName, Engine>();

beforeAll(async () => {
  await Promise.all(
    backends.map(async (b) => {
      const engine = await openTestEngine(b);
      await loadWithUpdates(engine, events, updates);
      engines.set(b, engine);
    }),
  );
}, 240_000);
afterAll(async () => {
  for (const e of engines.values()) await e.close();
});

const strip = (r: unknown) => {
  const { plan: _plan, ...rest } = r as Record<string, unknown>;
  return rest;
};

describe.each(backends)('parity on %s', (backend) => {
  it.each(QUERIES.map((q) => [`${q.name} ${JSON.stringify(q.params)}`, q] as const))(
    'rollups = raw: %s',
    async (_label, q) => {
      const engine = engines.get(backend)!;
      const fromRollups = await engine.query(q.name, q.params);
      const fromRaw = await engine.query(q.name, { ...q.params, source: 'raw' });
      expect(strip(fromRollups)).toEqual(strip(fromRaw));
    },
  );

  it('verify finds no differences', async () => {
    const r = await verifyRollups(engines.get(backend)!.store, {
      from: START - 86_400_000,
      to: END + 86_400_000,
    });
    expect(r.rowsChecked).toBeGreaterThan(1_000);
    expect(r.differences).toEqual([]);
  });
});

describe('every backend gives the same answers', () => {
  it.each(QUERIES.map((q) => [`${q.name} ${JSON.stringify(q.params)}`, q] as const))(
    '%s',
    async (_label, q) => {
      const answers = await Promise.all(
        backends.map((b) => engines.get(b)!.query(q.name, q.params)),
      );
      for (const a of answers.slice(1)) expect(a).toEqual(answers[0]);
    },
  );
});

describe('answers against an independent computation from the generated stream', () => {
  /** What the store holds: the latest revision of each (workspace, id). */
  const inRange = finalState(events, updates);

  it('totals: requests, errors and every token kind', async () => {
    const total = (await engines
      .get('sqlite')!
      .query('summary', { from: String(START - 86_400_000), to: String(END + 86_400_000) })) as {
      rows: Array<Record<string, number>>;
    };
    const usage = (e: Record<string, unknown>, k: string) =>
      (e.usage as Record<string, number> | undefined)?.[k] ?? 0;
    const sum = (k: string) => inRange.reduce((s, e) => s + usage(e, k), 0);
    expect(total.rows[0]).toMatchObject({
      requests: inRange.length,
      errors: inRange.filter((e) => e.status === 'error' || e.status === 'timeout').length,
      input_tokens: sum('input_tokens'),
      output_tokens: sum('output_tokens'),
      cache_read_tokens: sum('cache_read_tokens'),
      cache_write_tokens: sum('cache_write_tokens'),
      reasoning_tokens: sum('reasoning_tokens'),
    });
  });

  it('latency quantiles per model are within 1 % of the exact ones', async () => {
    const r = (await engines.get('sqlite')!.query('summary', {
      from: String(START - 86_400_000),
      to: String(END + 86_400_000),
      by: 'model',
      type: 'llm_call',
    })) as {
      rows: Array<{ key: string; duration_ms: Record<string, number> }>;
    };
    expect(r.rows.length).toBeGreaterThan(2);
    for (const row of r.rows) {
      const durations = inRange
        .filter(
          (e) => e.type === 'llm_call' && e.model === row.key && typeof e.duration_ms === 'number',
        )
        .map((e) => e.duration_ms as number)
        .sort((a, b) => a - b);
      for (const [name, q] of [
        ['p50', 0.5],
        ['p95', 0.95],
        ['p99', 0.99],
      ] as const) {
        const exact = durations[Math.floor(q * (durations.length - 1))]!;
        expect(
          Math.abs(row.duration_ms[name]! - exact) / exact,
          `${row.key} ${name}`,
        ).toBeLessThanOrEqual(0.01);
      }
      expect(row.duration_ms.max).toBeCloseTo(durations[durations.length - 1]!, 3);
    }
  });
});
