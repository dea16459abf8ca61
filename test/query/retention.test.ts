import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import { generateWAgent } from '../../src/generator/w-agent.js';
import {
  retention,
  retentionParams,
  runRetention,
  type Period,
  type RetentionParams,
  type RetentionResult,
} from '../../src/query/retention.js';
import { activeDays, type Days, type Wire } from '../support/active-days.js';
import { type BackendName, openTestEngine, postgresAvailable } from '../support/databases.js';
import { items, NOW, wire } from '../support/events.js';
import { END, load } from '../parity/workload.js';

/**
 * Weekly and monthly cohort retention, checked against a plain-JS computation from the very
 * events sent (each user's active UTC days, their first day, calendar periods), on every backend.
 */
const DAY = 86_400_000;
const backends: BackendName[] = [
  'sqlite',
  'pglite',
  ...((await postgresAvailable()) ? (['postgres'] as const) : []),
];

/** 70 days of ~100 users over 3 workspaces (~9k events), with redeliveries and late events. */
const stream = [
  ...generateWAgent({
    seed: 'retention',
    start: END - 70 * DAY,
    end: END,
    sessionsPerDay: 4,
    workspaces: 3,
    usersPerMonth: 50,
  }),
] as unknown as Wire[];

/** Calendar arithmetic of its own: Monday-based weeks from getUTCDay, months from Date.UTC. */
function startOf(t: number, period: Period): number {
  const d = new Date(t);
  if (period === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
}
function after(start: number, k: number, period: Period): number {
  const d = new Date(start);
  return Date.UTC(
    d.getUTCFullYear(),
    d.getUTCMonth() + (period === 'month' ? k : 0),
    d.getUTCDate() + (period === 'week' ? 7 * k : 0),
  );
}

/** The answer straight from the definitions, one cohort and one period at a time. */
function expected(days: Days, p: RetentionParams): RetentionResult {
  const users = [...days.values()];
  let c = startOf(p.from, p.period);
  if (c < p.from) c = after(c, 1, p.period);
  const cohorts = [];
  for (; c < p.to; c = after(c, 1, p.period)) {
    const members = users.filter((s) => startOf(Math.min(...s), p.period) === c);
    const retained = [];
    for (let k = 0; k <= p.periods && after(c, k, p.period) < p.to; k++) {
      const [lo, hi] = [after(c, k, p.period), after(c, k + 1, p.period)];
      retained.push(members.filter((s) => [...s].some((d) => d >= lo && d < hi)).length);
    }
    cohorts.push({
      cohort: new Date(c).toISOString().slice(0, 10),
      users: members.length,
      retained,
      rates: retained.map((n) => (members.length === 0 ? null : n / members.length)),
    });
  }
  return { period: p.period, cohorts };
}

const CASES: Array<{ label: string; p: RetentionParams }> = [
  {
    label: 'weekly, the whole stream',
    p: { from: END - 71 * DAY, to: END + DAY, period: 'week', periods: 8 },
  },
  {
    label: 'weekly, cut short by `to`, from mid-week',
    p: { from: END - 60 * DAY - 5 * 3_600_000, to: END - 12 * DAY, period: 'week', periods: 3 },
  },
  {
    label: 'weekly, one period, ws-02',
    p: { from: END - 50 * DAY, to: END, period: 'week', periods: 1, workspace: 'ws-02' },
  },
  {
    label: 'monthly, the whole stream',
    p: { from: END - 100 * DAY, to: END + 40 * DAY, period: 'month', periods: 3 },
  },
  {
    label: 'monthly, ws-01',
    p: { from: END - 80 * DAY, to: END, period: 'month', periods: 2, workspace: 'ws-01' },
  },
  {
    label: 'weeks after the stream',
    p: { from: END + 30 * DAY, to: END + 60 * DAY, period: 'week', periods: 4 },
  },
];

describe('retention of a generated stream', () => {
  const engines = new Map<BackendName, Engine>();
  beforeAll(async () => {
    await Promise.all(
      backends.map(async (b) => {
        const engine = await openTestEngine(b);
        await load(engine, stream);
        engines.set(b, engine);
      }),
    );
  }, 120_000);
  afterAll(async () => {
    for (const e of engines.values()) await e.close();
  });

  it('has cohorts that come back', () => {
    const r = expected(activeDays(stream), CASES[0]!.p);
    expect(r.cohorts.length).toBeGreaterThanOrEqual(10);
    expect(r.cohorts.filter((c) => (c.retained[2] ?? 0) > 0).length).toBeGreaterThan(3);
  });

  describe.each(backends)('on %s', (backend) => {
    it.each(CASES.map((c) => [c.label, c.p] as const))(
      'equals the definitions: %s',
      async (_, p) => {
        const got = await retention(engines.get(backend)!.store, p);
        expect(got).toEqual(expected(activeDays(stream, p.workspace), p));
      },
    );
  });

  it.each(CASES.map((c) => [c.label, c.p] as const))('every backend agrees: %s', async (_, p) => {
    const answers = await Promise.all(backends.map((b) => retention(engines.get(b)!.store, p)));
    for (const a of answers.slice(1)) expect(a).toEqual(answers[0]);
  });
});

const at = (iso: string) => Date.parse(iso);
const ev = (workspace: string, user_id: string, iso: string, more: Wire = {}) =>
  wire({ workspace, user_id, timestamp: at(iso), ...more });

describe.each(backends)('retention of hand-written events on %s', (backend) => {
  let engine: Engine;
  const sent: Wire[] = [];
  const sendAll = async (events: Wire[]) => {
    const r = await engine.ingest(items(...events), NOW);
    expect(r.rejected).toEqual([]);
    sent.push(...events);
  };
  const query = async (p: RetentionParams) => {
    const r = await retention(engine.store, p);
    expect(r).toEqual(expected(activeDays(sent, p.workspace), p));
    return r;
  };

  beforeAll(async () => {
    engine = await openTestEngine(backend);
  });
  afterAll(async () => {
    await engine.close();
  });

  it('puts Sunday 23:59 UTC in the week before Monday 00:00, and months likewise', async () => {
    await sendAll([
      ev('edges', 'sun', '2026-03-08T23:59:59.999Z'),
      ev('edges', 'mon', '2026-03-09T00:00:00Z'),
      ev('edges', 'sun', '2026-03-09T08:00:00Z'),
      ev('edges', 'sun', '2026-03-31T23:59:59.999Z'),
      ev('edges', 'mon', '2026-04-01T00:00:00Z'),
    ]);
    const weeks = await query({
      from: at('2026-03-02T00:00:00Z'),
      to: at('2026-03-16T00:00:00Z'),
      period: 'week',
      periods: 2,
      workspace: 'edges',
    });
    expect(weeks.cohorts).toEqual([
      { cohort: '2026-03-02', users: 1, retained: [1, 1], rates: [1, 1] },
      { cohort: '2026-03-09', users: 1, retained: [1], rates: [1] },
    ]);
    const months = await query({
      from: at('2026-03-01T00:00:00Z'),
      to: at('2026-05-01T00:00:00Z'),
      period: 'month',
      periods: 1,
      workspace: 'edges',
    });
    expect(months.cohorts).toEqual([
      { cohort: '2026-03-01', users: 2, retained: [2, 1], rates: [1, 0.5] },
      { cohort: '2026-04-01', users: 0, retained: [0], rates: [null] },
    ]);
  });

  it('moves a user to an earlier cohort when an older event arrives late', async () => {
    const p: RetentionParams = {
      from: at('2026-06-01T00:00:00Z'),
      to: at('2026-07-06T00:00:00Z'),
      period: 'week',
      periods: 4,
      workspace: 'late',
    };
    await sendAll([
      ev('late', 'u', '2026-06-16T10:00:00Z'),
      ev('late', 'u', '2026-06-24T10:00:00Z'),
      ev('late', 'v', '2026-06-17T10:00:00Z'),
    ]);
    const cohortOf = (r: RetentionResult, day: string) => r.cohorts.find((c) => c.cohort === day);
    let r = await query(p);
    expect(cohortOf(r, '2026-06-15')).toMatchObject({ users: 2, retained: [2, 1, 0] });
    await sendAll([ev('late', 'u', '2026-06-03T10:00:00Z')]);
    r = await query(p);
    expect(cohortOf(r, '2026-06-01')).toMatchObject({ users: 1, retained: [1, 0, 1, 1, 0] });
    expect(cohortOf(r, '2026-06-15')).toMatchObject({ users: 1, retained: [1, 0, 0] });
    expect(cohortOf(r, '2026-06-22')).toMatchObject({ users: 0, rates: [null, null] });
  });

  it('leaves out a cohort that starts before `from`, and a user first seen long before', async () => {
    await sendAll([
      ev('from', 'early', '2026-01-05T10:00:00Z'),
      ev('from', 'early', '2026-08-04T10:00:00Z'),
      ev('from', 'tue', '2026-08-04T10:00:00Z'),
      ev('from', 'next', '2026-08-10T10:00:00Z'),
      ev('from', 'tue', '2026-08-11T10:00:00Z'),
    ]);
    const r = await query({
      from: at('2026-08-04T00:00:00Z'),
      to: at('2026-08-17T00:00:00Z'),
      period: 'week',
      periods: 8,
      workspace: 'from',
    });
    expect(r.cohorts).toEqual([{ cohort: '2026-08-10', users: 1, retained: [1], rates: [1] }]);
  });

  it('counts a user id once per workspace, and filters by workspace', async () => {
    await sendAll([
      ev('w1', 'same', '2026-09-07T10:00:00Z'),
      ev('w2', 'same', '2026-09-08T10:00:00Z'),
      ev('w2', 'same', '2026-09-15T10:00:00Z'),
    ]);
    const p = (workspace?: string): RetentionParams => ({
      from: at('2026-09-07T00:00:00Z'),
      to: at('2026-09-21T00:00:00Z'),
      period: 'week',
      periods: 1,
      workspace,
    });
    expect((await query(p())).cohorts[0]).toMatchObject({ users: 2, retained: [2, 1] });
    expect((await query(p('w1'))).cohorts[0]).toMatchObject({ users: 1, retained: [1, 0] });
    expect((await query(p('w2'))).cohorts[0]).toMatchObject({ users: 1, retained: [1, 1] });
  });

  it('does not count resent events twice', async () => {
    const batch = [
      ev('dup', 'a', '2026-10-05T10:00:00Z', { id: 'r-dup-1' }),
      ev('dup', 'a', '2026-10-12T10:00:00Z', { id: 'r-dup-2' }),
    ];
    await sendAll(batch);
    const p: RetentionParams = {
      from: at('2026-10-05T00:00:00Z'),
      to: at('2026-10-19T00:00:00Z'),
      period: 'week',
      periods: 2,
      workspace: 'dup',
    };
    const before = await query(p);
    await sendAll(batch);
    await sendAll([ev('dup', 'a', '2026-09-28T10:00:00Z', { id: 'r-dup-2' })]);
    expect(await query(p)).toEqual(before);
    expect(before.cohorts[0]).toMatchObject({ users: 1, retained: [1, 1] });
  });

  it('runs as a named query: defaults give `periods` + 1 cohorts up to now', async () => {
    const parsed = retentionParams.parse({ workspace: 'late' });
    expect(parsed).toEqual({ workspace: 'late', period: 'week', periods: 8 });
    const now = at('2026-07-01T12:00:00Z');
    const r = await runRetention(engine.store, parsed, now);
    expect(r.cohorts.map((c) => c.cohort)).toEqual([
      '2026-05-04',
      '2026-05-11',
      '2026-05-18',
      '2026-05-25',
      '2026-06-01',
      '2026-06-08',
      '2026-06-15',
      '2026-06-22',
      '2026-06-29',
    ]);
    expect(r.cohorts[0]!.retained).toHaveLength(9);
    expect(r.cohorts.at(-1)!.retained).toHaveLength(1);
    const monthly = retentionParams.parse({ period: 'month', periods: '2', workspace: 'late' });
    const m = await runRetention(engine.store, monthly, now);
    expect(m.cohorts.map((c) => c.cohort)).toEqual(['2026-05-01', '2026-06-01', '2026-07-01']);
    expect(m.cohorts[1]).toMatchObject({ users: 2, retained: [2, 0] });
    for (const bad of [{ periods: '0' }, { periods: '53' }, { period: 'day' }, { to: 'soon' }])
      expect(retentionParams.safeParse(bad).success).toBe(false);
  });
});
