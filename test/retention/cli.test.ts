import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { retentionCommand } from '../../src/cli/commands/retention.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { cutoffOf } from '../../src/maintenance/retention-policy.js';
import { startRetentionScheduler } from '../../src/maintenance/retention-scheduler.js';
import { healthRoutes } from '../../src/server/routes/health.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { itemsOf, NOW, workload } from './workload.js';

const SENT = workload(300);
let database: TestDatabase;

/** Runs `cairn retention ARGS` in this process and returns what it printed. */
async function retention(...args: string[]): Promise<string> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  try {
    const cmd = retentionCommand();
    // Throw instead of exiting the test process on a bad option.
    for (const c of [cmd, ...cmd.commands])
      c.exitOverride().configureOutput({ writeErr: () => {} });
    await cmd.parseAsync([...args, '--db', database.url], { from: 'user' });
  } finally {
    log.mockRestore();
  }
  return lines.join('\n');
}

async function withDb<T>(run: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await createEngine({ db: database.url });
  try {
    return await run(engine);
  } finally {
    await engine.close();
  }
}

const older = (ws: string, days: number) =>
  SENT.filter((e) => e.workspace === ws && e.timestamp < cutoffOf(days, Date.now())!).length;

beforeAll(async () => {
  database = await createTestDatabase('sqlite');
  await withDb((e) => e.ingest(itemsOf(SENT), NOW));
});
afterAll(async () => {
  process.exitCode = 0;
  await database.drop();
});

describe('cairn retention', () => {
  it('set and show: a workspace policy over the defaults', async () => {
    expect(
      await retention('set', '--workspace', 'globex', '--raw-days', '60', '--day-days', 'keep'),
    ).toBe('retention for globex: raw 60, content 90, minute 7, hour 30, day keep');
    const shown = (await retention('show')).split('\n');
    expect(shown[0]).toMatch(/^workspace +raw +content +minute +hour +day +raw deleted before$/);
    expect(shown).toContainEqual(expect.stringMatching(/^\* +90 +90 +7 +30 +keep +-$/));
    expect(shown).toContainEqual(expect.stringMatching(/^globex +60 +90 +7 +30 +keep +-$/));
    await expect(retention('set', '--workspace', 'x', '--raw-days', '0')).rejects.toThrow(
      /whole number of days/,
    );
  });

  it('apply --dry-run prints what would go; apply deletes it', async () => {
    const dry = await retention('apply', '--dry-run');
    const rawLine = (ws: string, n: number) =>
      expect.stringMatching(
        new RegExp(`^${ws} +raw +events +${n.toLocaleString('en-US')} +\\d{4}-`),
      );
    expect(dry.split('\n')).toContainEqual(rawLine('acme', older('acme', 90)));
    expect(dry.split('\n')).toContainEqual(rawLine('globex', older('globex', 60)));
    expect(dry).toMatch(/^retention: would delete [\d,]+ rows \(content rows/m);
    expect(await withDb((e) => e.store.countEvents())).toBe(SENT.length);
    const applied = await retention('apply', '--workspace', 'globex');
    expect(applied).toMatch(/^retention: deleted [\d,]+ rows in \d+ batches/m);
    expect(applied).not.toMatch(/^acme/m);
    expect(await withDb((e) => e.store.countEvents('globex'))).toBe(
      SENT.filter((e) => e.workspace === 'globex').length - older('globex', 60),
    );
    expect(await retention('show')).toMatch(/^globex .* \d{4}-\d{2}-\d{2}$/m);
  });

  it('the server scheduler applies the policies and stops cleanly', async () => {
    await withDb(async (engine) => {
      const log: string[] = [];
      const scheduler = startRetentionScheduler(engine, { firstRunMs: 0, log: (l) => log.push(l) });
      await vi.waitFor(() => expect(log.join('\n')).toMatch(/retention deleted [\d,]+ rows/), {
        timeout: 10_000,
      });
      await scheduler.stop();
      expect(await engine.store.countEvents('acme')).toBe(
        SENT.filter((e) => e.workspace === 'acme').length - older('acme', 90),
      );
    });
  });

  it('GET /healthz/disk gives the numbers; /healthz stays quiet while the disk is fine', async () => {
    await withDb(async (engine) => {
      const app = healthRoutes(engine, () => false);
      const disk = (await (await app.request('/disk')).json()) as Record<string, number>;
      expect(disk['database_bytes']).toBeGreaterThanOrEqual(statSync(database.url).size);
      expect(disk['free_bytes']).toBeGreaterThan(0);
      expect(disk['total_bytes']).toBeGreaterThan(disk['free_bytes']!);
      const health = (await (await app.request('/')).json()) as Record<string, unknown>;
      if (disk['status'] === ('ok' as never))
        expect(health).toEqual({ status: 'ok', backend: 'sqlite' });
      else expect(health['disk']).toMatchObject({ status: 'warn' });
    });
  });
});
