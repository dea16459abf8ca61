import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import { generateWAgent } from '../../src/generator/w-agent.js';
import {
  activeUsers,
  activeUsersParams,
  runActiveUsers,
  type ActiveUsersResult,
} from '../../src/query/active-users.js';
import { activeDays, type Days, type Wire } from '../support/active-days.js';
import { type BackendName, openTestEngine, postgresAvailable } from '../support/databases.js';
import { items, NOW, wire } from '../support/events.js';
import { END, load } from '../parity/workload.js';

/**
 * DAU/WAU/MAU, new and returning users, checked against a plain-JS computation from the very
 * events sent (sets of active UTC days per user), on every backend.
 */
const DAY = 86_400_000;
const backends: BackendName[] = [
  'sqlite',
  'pglite',
  ...((await postgresAvailable()) ? (['postgres'] as const) : []),
];

/** 45 days of ~85 users over 3 workspaces (~9k events), with redeliveries and late events. */
const stream = [
  ...generateWAgent({
    seed: 'active-users',
    start: END - 45 * DAY,
    end: END,
    sessionsPerDay: 6,
    workspaces: 3,
    usersPerMonth: 60,
  }),
] as unknown as Wire[];

/** The answer straight from the definitions, one user and one day at a time. */
function expected(days: Days, from: number, to: number): ActiveUsersResult {
  const users = [...days.values()];
  const activeIn = (s: Set<number>, lo: number, hi: number) =>
    [...s].some((d) => d >= lo && d < hi);
  const firstDay = (s: Set<number>) => Math.min(...s);
  const start = Math.floor(from / DAY) * DAY;
  const end = Math.floor((to - 1) / DAY) * DAY + DAY;
  const points = [];
  for (let d = start; d < end; d += DAY) {
    const dau = users.filter((s) => s.has(d)).length;
    const fresh = users.filter((s) => firstDay(s) === d).length;
    points.push({
      day: new Date(d).toISOString().slice(0, 10),
      dau,
      wau: users.filter((s) => activeIn(s, d - 6 * DAY, d + DAY)).length,
      mau: users.filter((s) => activeIn(s, d - 29 * DAY, d + DAY)).length,
      new_users: fresh,
      returning_users: dau - fresh,
    });
  }
  const active = users.filter((s) => activeIn(s, start, end));
  const fresh = active.filter((s) => firstDay(s) >= start).length;
  const dauSum = points.reduce((s, p) => s + p.dau, 0);
  return {
    points,
    totals: {
      users: active.length,
      new_users: fresh,
      returning_users: active.length - fresh,
      dau_avg: dauSum / points.length,
    },
  };
}

function expectMatches(actual: ActiveUsersResult, wanted: ActiveUsersResult): void {
  expect(actual.points).toEqual(wanted.points);
  const { dau_avg, ...totals } = actual.totals;
  const { dau_avg: wantedAvg, ...wantedTotals } = wanted.totals;
  expect(totals).toEqual(wantedTotals);
  expect(dau_avg).toBeCloseTo(wantedAvg, 9);
}

const RANGES: Array<{ label: string; from: number; to: number; workspace?: string }> = [
  { label: 'the whole stream and a day either side', from: END - 46 * DAY, to: END + DAY },
  { label: 'ragged edges', from: END - 20 * DAY + 5 * 3_600_000, to: END - 3 * DAY - 7 * 60_000 },
  { label: 'one day', from: END - 10 * DAY, to: END - 9 * DAY },
  { label: 'ws-01', from: END - 30 * DAY, to: END, workspace: 'ws-01' },
  { label: 'ws-02', from: END - 30 * DAY, to: END, workspace: 'ws-02' },
  { label: 'ws-03 after the stream', from: END - 5 * DAY, to: END + 40 * DAY, workspace: 'ws-03' },
  { label: 'no activity at all', from: END + 60 * DAY, to: END + 70 * DAY },
  { label: 'an unknown workspace', from: END - 30 * DAY, to: END, workspace: 'nobody' },
];

describe('active users of a generated stream', () => {
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

  it('has users on several days, redeliveries, and earlier days that arrive late', () => {
    const days = [...activeDays(stream).values()];
    expect(days.length).toBeGreaterThan(50);
    expect(days.filter((s) => s.size >= 5).length).toBeGreaterThan(5);
    expect(
      new Set(stream.map((e) => `${e.workspace as string}/${e.id as string}`)).size,
    ).toBeLessThan(stream.length);
    // A user's day that arrives after a later day of theirs (delivery order = ingest order).
    const latest = new Map<string, number>();
    let lateDays = 0;
    for (const e of stream) {
      const user = `${e.workspace as string}/${e.user_id as string}`;
      const day = Math.floor((e.timestamp as number) / DAY);
      if (day < (latest.get(user) ?? -Infinity)) lateDays++;
      latest.set(user, Math.max(day, latest.get(user) ?? -Infinity));
    }
    expect(lateDays).toBeGreaterThan(0);
  });

  describe.each(backends)('on %s', (backend) => {
    it.each(RANGES.map((r) => [r.label, r] as const))(
      'equals the definitions: %s',
      async (_, r) => {
        const got = await activeUsers(engines.get(backend)!.store, r);
        expectMatches(got, expected(activeDays(stream, r.workspace), r.from, r.to));
      },
    );
  });

  it.each(RANGES.map((r) => [r.label, r] as const))('every backend agrees: %s', async (_, r) => {
    const answers = await Promise.all(backends.map((b) => activeUsers(engines.get(b)!.store, r)));
    for (const a of answers.slice(1)) expect(a).toEqual(answers[0]);
  });
});

const at = (iso: string) => Date.parse(iso);
const ev = (workspace: string, user_id: string | undefined, timestamp: number, more: Wire = {}) =>
  wire({ workspace, user_id, timestamp, ...more });

async function send(engine: Engine, events: Wire[]): Promise<void> {
  const r = await engine.ingest(items(...events), NOW);
  expect(r.rejected).toEqual([]);
}

const point = (r: ActiveUsersResult, day: string) => r.points.find((p) => p.day === day);

describe.each(backends)('active users of hand-written events on %s', (backend) => {
  let engine: Engine;
  const sent: Wire[] = [];
  const query = async (from: string, to: string, workspace?: string) => {
    const r = await activeUsers(engine.store, { from: at(from), to: at(to), workspace });
    expectMatches(r, expected(activeDays(sent, workspace), at(from), at(to)));
    return r;
  };
  const sendAll = async (events: Wire[]) => {
    await send(engine, events);
    sent.push(...events);
  };

  beforeAll(async () => {
    engine = await openTestEngine(backend);
  });
  afterAll(async () => {
    await engine.close();
  });

  it('counts users once a day, over rolling 7- and 30-day windows', async () => {
    await sendAll([
      ev('a', 'u1', at('2026-03-01T08:00:00Z')),
      ev('a', 'u1', at('2026-03-01T20:00:00Z')),
      ev('a', 'u1', at('2026-03-02T00:00:00Z')),
      ev('a', 'u2', at('2026-03-02T23:59:59.999Z')),
      ev('a', undefined, at('2026-03-03T12:00:00Z')),
      ev('a', 'u3', at('2026-03-08T23:59:59.999Z')),
      ev('a', 'u3', at('2026-03-09T00:00:00Z')),
      ev('a', 'u1', at('2026-03-09T10:00:00Z')),
      ev('a', 'u2', at('2026-04-05T10:00:00Z')),
    ]);
    const r = await query('2026-03-01T00:00:00Z', '2026-04-06T00:00:00Z', 'a');
    expect(r.points).toHaveLength(36);
    const p = (day: string) => point(r, day);
    expect(p('2026-03-01')).toEqual({
      day: '2026-03-01',
      dau: 1,
      wau: 1,
      mau: 1,
      new_users: 1,
      returning_users: 0,
    });
    expect(p('2026-03-02')).toMatchObject({ dau: 2, wau: 2, new_users: 1, returning_users: 1 });
    expect(p('2026-03-03')).toMatchObject({ dau: 0, wau: 2, mau: 2 });
    expect(p('2026-03-08')).toMatchObject({ dau: 1, wau: 3, mau: 3, new_users: 1 });
    // u2's 2 March leaves the 7-day window on 9 March, and u1 and u3 stay in it to the 15th.
    expect(p('2026-03-09')).toMatchObject({ dau: 2, wau: 2, mau: 3, returning_users: 2 });
    expect(p('2026-03-15')).toMatchObject({ wau: 2 });
    expect(p('2026-03-16')).toMatchObject({ wau: 0, mau: 3 });
    expect(p('2026-03-31')).toMatchObject({ mau: 3 });
    expect(p('2026-04-01')).toMatchObject({ mau: 2 });
    expect(p('2026-04-05')).toMatchObject({ dau: 1, wau: 1, mau: 3, returning_users: 1 });
    expect(r.totals).toMatchObject({ users: 3, new_users: 3, returning_users: 0 });
    expect(r.totals.dau_avg).toBeCloseTo(7 / 36, 9);
  });

  it('takes a range to whole UTC days: the day of `from` through the day before `to`', async () => {
    const days = async (from: string, to: string) =>
      (await query(from, to, 'a')).points.map((x) => x.day);
    expect(await days('2026-03-01T12:00:00Z', '2026-03-03T00:00:00Z')).toEqual([
      '2026-03-01',
      '2026-03-02',
    ]);
    expect(await days('2026-03-01T12:00:00Z', '2026-03-03T00:00:00.001Z')).toHaveLength(3);
  });

  it('moves a first day earlier when an older event arrives late', async () => {
    const range = ['2026-06-01T00:00:00Z', '2026-06-20T00:00:00Z'] as const;
    await sendAll([
      ev('late', 'u', at('2026-06-10T09:00:00Z')),
      ev('late', 'u', at('2026-06-12T09:00:00Z')),
    ]);
    let r = await query(...range, 'late');
    expect(point(r, '2026-06-10')).toMatchObject({ dau: 1, new_users: 1 });
    expect(point(r, '2026-06-05')).toMatchObject({ mau: 0 });
    await sendAll([ev('late', 'u', at('2026-06-04T09:00:00Z'))]);
    r = await query(...range, 'late');
    expect(point(r, '2026-06-04')).toMatchObject({ dau: 1, new_users: 1, wau: 1 });
    expect(point(r, '2026-06-05')).toMatchObject({ dau: 0, wau: 1, mau: 1 });
    expect(point(r, '2026-06-10')).toMatchObject({ new_users: 0, returning_users: 1 });
    expect(r.totals).toMatchObject({ users: 1, new_users: 1 });
  });

  it('knows users first seen long before the range, or just before it', async () => {
    await sendAll([
      ev('before', 'long-ago', at('2026-01-15T09:00:00Z')),
      ev('before', 'long-ago', at('2026-06-15T09:00:00Z')),
      // Last seen before the 30 days the range reads behind its start, then back in it.
      ev('before', 'gap-33', at('2026-04-30T09:00:00Z')),
      ev('before', 'gap-33', at('2026-06-02T09:00:00Z')),
      ev('before', 'gap-24', at('2026-05-10T09:00:00Z')),
      ev('before', 'gap-24', at('2026-06-03T09:00:00Z')),
      ev('before', 'only-may', at('2026-05-20T23:00:00Z')),
    ]);
    const r = await query('2026-06-01T00:00:00Z', '2026-06-20T00:00:00Z', 'before');
    expect(r.totals).toMatchObject({ users: 3, new_users: 0, returning_users: 3 });
    expect(point(r, '2026-06-01')).toMatchObject({ dau: 0, wau: 0, mau: 2 });
    expect(point(r, '2026-06-18')).toMatchObject({ mau: 4 });
    expect(point(r, '2026-06-19')).toMatchObject({ mau: 3 });
  });

  it('counts a user id once per workspace, and filters by workspace', async () => {
    await sendAll([
      ev('w1', 'same', at('2026-08-03T10:00:00Z')),
      ev('w2', 'same', at('2026-08-03T11:00:00Z')),
      ev('w2', 'same', at('2026-07-20T11:00:00Z')),
      ev('w1', 'only1', at('2026-08-04T10:00:00Z')),
    ]);
    const range = ['2026-08-01T00:00:00Z', '2026-08-10T00:00:00Z'] as const;
    const all = await query(...range);
    expect(point(all, '2026-08-03')).toMatchObject({ dau: 2, new_users: 1, returning_users: 1 });
    expect(all.totals).toMatchObject({ users: 3, new_users: 2 });
    expect((await query(...range, 'w1')).totals).toMatchObject({ users: 2, new_users: 2 });
    expect((await query(...range, 'w2')).totals).toMatchObject({ users: 1, new_users: 0 });
  });

  it('does not count resent events twice, nor a resend that changed its time', async () => {
    const batch = [
      ev('dup', 'd1', at('2026-10-01T10:00:00Z'), { id: 'dup-1' }),
      ev('dup', 'd2', at('2026-10-02T10:00:00Z'), { id: 'dup-2' }),
    ];
    await sendAll(batch);
    const range = ['2026-09-28T00:00:00Z', '2026-10-05T00:00:00Z'] as const;
    const before = await query(...range, 'dup');
    const r = await engine.ingest(items(...batch), NOW);
    expect(r).toMatchObject({ accepted: 0, duplicates: 2 });
    // Same id and revision, another day: a duplicate, so nothing moves.
    await sendAll([ev('dup', 'd1', at('2026-09-29T10:00:00Z'), { id: 'dup-1' })]);
    expect(await query(...range, 'dup')).toEqual(before);
    expect(before.totals).toMatchObject({ users: 2, new_users: 2 });
  });

  it('follows an update that moves an event to another day', async () => {
    await sendAll([ev('upd', 'mover', at('2026-10-20T10:00:00Z'), { id: 'upd-1' })]);
    const range = ['2026-10-15T00:00:00Z', '2026-10-25T00:00:00Z'] as const;
    expect(point(await query(...range, 'upd'), '2026-10-20')).toMatchObject({ new_users: 1 });
    const moved = ev('upd', 'mover', at('2026-10-17T10:00:00Z'), { id: 'upd-1', revision: 1 });
    expect(await engine.ingest(items(moved), NOW)).toMatchObject({ updated: 1 });
    const r = await activeUsers(engine.store, {
      from: at(range[0]),
      to: at(range[1]),
      workspace: 'upd',
    });
    expect(point(r, '2026-10-17')).toMatchObject({ dau: 1, new_users: 1 });
    expect(point(r, '2026-10-20')).toMatchObject({ dau: 0, wau: 1 });
  });

  it('answers zeros for a range without activity', async () => {
    const r = await activeUsers(engine.store, {
      from: at('2020-01-01T00:00:00Z'),
      to: at('2020-01-04T00:00:00Z'),
    });
    expect(r).toEqual({
      points: ['2020-01-01', '2020-01-02', '2020-01-03'].map((day) => ({
        day,
        dau: 0,
        wau: 0,
        mau: 0,
        new_users: 0,
        returning_users: 0,
      })),
      totals: { users: 0, new_users: 0, returning_users: 0, dau_avg: 0 },
    });
  });

  it('runs as a named query: defaults, ISO and epoch times, bad ranges', async () => {
    const now = at('2026-03-10T15:00:00Z');
    const r = await runActiveUsers(engine.store, activeUsersParams.parse({ workspace: 'a' }), now);
    expect(r.points).toHaveLength(31);
    expect(r.points[0]!.day).toBe('2026-02-08');
    expect(r.points.at(-1)).toMatchObject({ day: '2026-03-10', dau: 0, wau: 2, mau: 3 });
    const parsed = activeUsersParams.parse({
      from: '2026-03-01T00:00:00Z',
      to: String(at('2026-03-03T00:00:00Z')),
    });
    expect(parsed).toEqual({ from: at('2026-03-01T00:00:00Z'), to: at('2026-03-03T00:00:00Z') });
    expect((await runActiveUsers(engine.store, parsed, now)).points).toHaveLength(2);
    expect(activeUsersParams.safeParse({ from: 'yesterday' }).success).toBe(false);
    await expect(
      runActiveUsers(engine.store, { from: at('2026-03-03T00:00:00Z'), to: parsed.to }, now),
    ).rejects.toThrow(RangeError);
  });
});
