import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine.js';
import type { SeedImportResult } from '../../../src/seeds/adapter.js';
import { openTestEngine, postgresAvailable, type BackendName } from '../../support/databases.js';
import { readView, expectRows, close } from './compare.js';
import * as want from './expected.js';
import * as wantUsers from './expected-users.js';
import { buildFixture, DAY, type Row } from './fixture.js';

const BACKENDS: BackendName[] = [
  'sqlite',
  'pglite',
  ...((await postgresAvailable()) ? ['postgres' as const] : []),
];
const now = Date.now();
const fixture = buildFixture(now);
const asItems = (rows: readonly Row[]) => rows.map((value) => ({ ok: true as const, value }));

/** The runs as they stand after `rows` were imported in order: a later revision replaces. */
function current(...batches: Row[][]): want.Run[] {
  const byId = new Map<string, Row>();
  for (const r of batches.flat()) {
    const old = byId.get(r['id'] as string);
    if (!old || (old['status'] === 'running' && r['status'] !== 'running'))
      byId.set(r['id'] as string, r);
  }
  return [...byId.values()].map(want.toRun);
}

describe.each(BACKENDS)('agent-platform views on %s', (backend) => {
  let engine: Engine;
  let first: SeedImportResult;
  const acts = fixture.activity.map(want.toAct);

  beforeAll(async () => {
    engine = await openTestEngine(backend);
    first = await engine.importRows(
      'agent-platform',
      asItems([...fixture.reference, ...fixture.activity, ...fixture.runs]),
      { now },
    );
  }, 60_000);
  afterAll(() => engine?.close());

  it('imports every row: events for activity and runs (ratings apart), records for the rest', () => {
    const ratings = fixture.runs.filter((r) => r['rating'] != null).length;
    expect(first.rejected).toEqual([]);
    expect(first.accepted).toBe(fixture.activity.length + fixture.runs.length + ratings);
    expect(first.records).toBe(fixture.reference.length);
    expect(fixture.updates.length).toBeGreaterThan(10);
  });

  it('counts a running run in total_runs only, until its update replaces it', async () => {
    const runs = current(fixture.runs);
    expectRows(await readView(engine, 'daily_metrics'), want.dailyMetrics(runs, acts), [
      'workspace_id',
      'metric_date',
    ]);
    const r = await engine.importRows('agent-platform', asItems(fixture.updates), { now });
    expect(r.updated).toBe(fixture.updates.length);
    expect(r.accepted).toBe(fixture.updates.filter((u) => u['rating'] != null).length);
  });

  describe('after the updates', () => {
    const runs = current(fixture.runs, fixture.updates);
    const names = new Map(
      fixture.reference
        .filter((r) => r.table === 'agents')
        .map((a) => [a['id'] as string, a['name'] as string]),
    );

    it('daily_metrics', async () => {
      const rows = await readView(engine, 'daily_metrics');
      expectRows(rows, want.dailyMetrics(runs, acts), ['workspace_id', 'metric_date']);
      // Sanity of the data set itself: every status, bounces and several models appear.
      expect(rows.some((r) => (r['bounce_rate'] as number) > 0)).toBe(true);
      expect(runs.some((r) => r.status === 'running')).toBe(true);
    });

    it('hourly_metrics', async () => {
      expectRows(await readView(engine, 'hourly_metrics'), want.hourlyMetrics(runs, acts), [
        'workspace_id',
        'metric_hour',
      ]);
    });

    it('agent_performance', async () => {
      expectRows(await readView(engine, 'agent_performance'), want.agentPerformance(runs), [
        'workspace_id',
        'agent_id',
        'metric_date',
      ]);
    });

    it('mv_top_agents, busiest first', async () => {
      const rows = await readView(engine, 'mv_top_agents');
      expectRows(rows, want.topAgents(runs, names, Date.now()), ['workspace_id', 'agent_id']);
      const totals = rows.map((r) => r['total_runs_30d'] as number);
      expect(totals).toEqual([...totals].sort((a, b) => b - a));
    });

    it('mv_workspace_summary, including a workspace with no runs', async () => {
      const rows = await readView(engine, 'mv_workspace_summary');
      expectRows(rows, want.workspaceSummary(fixture.reference, runs, Date.now()), [
        'workspace_id',
      ]);
      expect(rows.find((r) => r['workspace_id'] === 'ws-c')?.['total_runs_30d']).toBe(0);
    });

    it('mv_active_users agrees with the rows and with the active_users query', async () => {
      const rows = await readView(engine, 'mv_active_users');
      expectRows(rows, wantUsers.activeUsers(runs, acts), ['workspace_id', 'activity_date']);
      const daily = await readView(engine, 'daily_metrics');
      for (const ws of ['ws-a', 'ws-b']) {
        const q = (await engine.query('active_users', {
          workspace: ws,
          from: String(now - 41 * DAY),
          to: String(now),
        })) as {
          points: Array<{ day: string; dau: number; wau: number; mau: number; new_users: number }>;
        };
        for (const p of q.points) {
          const row = rows.find((r) => r['workspace_id'] === ws && r['activity_date'] === p.day);
          const day = daily.find((r) => r['workspace_id'] === ws && r['metric_date'] === p.day);
          if (p.dau === 0) continue;
          expect([
            row?.['daily_active_users'],
            row?.['weekly_active_users'],
            row?.['monthly_active_users'],
          ]).toEqual([p.dau, p.wau, p.mau]);
          expect([day?.['active_users'], day?.['new_users']]).toEqual([p.dau, p.new_users]);
        }
      }
    });

    it('user_cohorts agrees with the rows and with the retention query', async () => {
      const rows = await readView(engine, 'user_cohorts');
      expectRows(rows, wantUsers.cohorts(runs, acts, Date.now()), [
        'workspace_id',
        'cohort_period',
        'cohort_date',
      ]);
      const q = (await engine.query('retention', {
        workspace: 'ws-a',
        period: 'week',
        periods: 4,
        from: String(now - 60 * DAY),
        to: String(now),
      })) as {
        cohorts: Array<{ cohort: string; users: number; rates: Array<number | null> }>;
      };
      const weekly = rows.filter(
        (r) => r['workspace_id'] === 'ws-a' && r['cohort_period'] === 'weekly',
      );
      for (const c of q.cohorts.filter((x) => x.users > 0)) {
        const row = weekly.find((r) => r['cohort_date'] === c.cohort)!;
        expect(row['initial_users']).toBe(c.users);
        const data = row['retention_data'] as Record<string, number | null>;
        c.rates
          .slice(1)
          .forEach((rate, i) => expect(close(data[`week_${i + 1}`], rate! * 100)).toBe(true));
      }
    });

    it('re-importing everything is all duplicates and changes no view', async () => {
      const before = await Promise.all(
        ['daily_metrics', 'agent_performance', 'user_cohorts'].map((v) => readView(engine, v)),
      );
      const all = [...fixture.reference, ...fixture.activity, ...fixture.runs, ...fixture.updates];
      const r = await engine.importRows('agent-platform', asItems(all), { now });
      expect([r.accepted, r.updated, r.rejected.length]).toEqual([0, 0, 0]);
      expect(r.duplicates).toBeGreaterThan(fixture.activity.length + fixture.runs.length);
      const after = await Promise.all(
        ['daily_metrics', 'agent_performance', 'user_cohorts'].map((v) => readView(engine, v)),
      );
      expect(close(after, before)).toBe(true);
    });
  });
});
