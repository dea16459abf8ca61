import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { createApp } from '../../src/server/app.js';
import type { Engine } from '../../src/engine.js';
import { openTestEngine } from '../support/databases.js';
import { items, wire } from '../support/events.js';

let engine: Engine;
let app: Hono;
let events: Array<Record<string, unknown>>;
const t0 = Date.parse('2026-11-19T10:00:00Z');

beforeAll(async () => {
  engine = await openTestEngine('sqlite');
  app = createApp(engine);
  events = [
    wire({
      id: 'q1',
      user_id: 'u1',
      timestamp: t0,
      model: 'gpt-4o-mini',
      duration_ms: 100,
      cost_usd: 0.5,
      usage: { input_tokens: 10, output_tokens: 5 },
    }),
    wire({
      id: 'q2',
      user_id: 'u1',
      timestamp: t0 + 60_000,
      model: 'gpt-4o-mini',
      duration_ms: 300,
      cost_usd: 0.25,
      status: 'error',
    }),
    wire({
      id: 'q3',
      user_id: 'u2',
      timestamp: t0 + 3_600_000,
      model: 'claude-sonnet-4-5',
      provider: 'anthropic',
      duration_ms: 200,
      cost_usd: 1,
    }),
    wire({
      id: 'q4',
      timestamp: t0 + 120_000,
      type: 'tool_call',
      tool: 'search_docs',
      model: null,
      duration_ms: 50,
      usage: null,
    }),
  ];
  await engine.ingest(items(...events), t0 + 86_400_000);
});
afterAll(() => engine.close());

async function get(path: string) {
  const res = await app.request(path);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const range = `from=${new Date(t0 - 3_600_000).toISOString()}&to=${new Date(t0 + 7_200_000).toISOString()}`;

describe('GET /v1/summary', () => {
  it('one total row with key null when by is omitted', async () => {
    const { status, body } = await get(`/v1/summary?${range}`);
    expect(status).toBe(200);
    const usage = (k: string) =>
      events.reduce((sum, e) => sum + ((e.usage as Record<string, number> | null)?.[k] ?? 0), 0);
    expect(body.rows).toEqual([
      expect.objectContaining({
        key: null,
        requests: 4,
        errors: 1,
        success_rate: 0.75,
        input_tokens: usage('input_tokens'),
        output_tokens: usage('output_tokens'),
        cache_read_tokens: usage('cache_read_tokens'),
        cost_usd: 1.75,
        first_seen: new Date(t0).toISOString(),
        last_seen: new Date(t0 + 3_600_000).toISOString(),
      }),
    ]);
    const d = (body.rows as Array<{ duration_ms: Record<string, number> }>)[0]!.duration_ms;
    expect(d).toMatchObject({ avg: (100 + 300 + 200 + 50) / 4, max: 300 });
    // Ranks floor(q·(n−1)) of 50, 100, 200, 300: p50 → 100, p95 → 200, within 1 %.
    expect(Math.abs(d.p50! - 100) / 100).toBeLessThanOrEqual(0.01);
    expect(Math.abs(d.p95! - 200) / 200).toBeLessThanOrEqual(0.01);
  });

  it('by model, filtered by type, most requests first and the null key last', async () => {
    const { body } = await get(`/v1/summary?${range}&by=model`);
    expect(
      (body.rows as Array<{ key: string | null; requests: number }>).map((r) => [
        r.key,
        r.requests,
      ]),
    ).toEqual([
      ['gpt-4o-mini', 2],
      ['claude-sonnet-4-5', 1],
      [null, 1],
    ]);
    const typed = await get(`/v1/summary?${range}&by=tool&type=tool_call`);
    expect(typed.body.rows).toEqual([expect.objectContaining({ key: 'search_docs', requests: 1 })]);
  });

  it('400 invalid_parameter naming the parameter', async () => {
    for (const [query, param] of [
      ['by=colour', 'by'],
      ['from=yesterday', 'from'],
      ['type=llm', 'type'],
      [`from=${t0}&to=${t0 - 1}`, 'from'],
      ['from=2026-03-10T00:00:00', 'from'],
      ['from=2026-02-31T00:00:00Z', 'from'],
      ['from=100000000000000000000', 'from'],
      ['workpace=acme', 'parameters'],
    ] as const) {
      const { status, body } = await get(`/v1/summary?${query}`);
      expect(status, query).toBe(400);
      expect(body.error).toMatchObject({
        code: 'invalid_parameter',
        message: expect.stringMatching(new RegExp(`^${param}: `)),
      });
    }
  });
});

describe('every named query refuses unknown parameters', () => {
  it.each([
    'summary',
    'timeseries',
    'active_users',
    'retention',
    'sessions',
    'agent_runs',
    'tool_usage',
    'error_hotspots',
    'recent_errors',
  ])('%s', async (name) => {
    const { status, body } = await get(`/v1/${name}?bogus=1`);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({
      code: 'invalid_parameter',
      message: expect.stringContaining('bogus'),
    });
  });
});

describe('GET /v1/timeseries', () => {
  it('hourly points in a time zone, every bucket present', async () => {
    const { status, body } = await get(`/v1/timeseries?grain=hour&tz=Europe/Berlin&${range}`);
    expect(status).toBe(200);
    const points = (
      body.series as Array<{
        key: null;
        points: Array<{ t: string; requests: number; p95_ms: number | null }>;
      }>
    )[0]!.points;
    expect(points.map((p) => [p.t, p.requests])).toEqual([
      [new Date(t0 - 3_600_000).toISOString(), 0],
      [new Date(t0).toISOString(), 3],
      [new Date(t0 + 3_600_000).toISOString(), 1],
    ]);
    // Three calls in that hour (100, 300 and 50 ms): rank floor(0.95 × 2) = 1 is the 100 ms one.
    expect(Math.abs(points[1]!.p95_ms! - 100) / 100).toBeLessThanOrEqual(0.01);
  });

  it('lists the series without a value last, and refuses answers too large to build', async () => {
    const { body } = await get(`/v1/timeseries?grain=hour&${range}&by=model&limit=2`);
    expect((body.series as Array<{ key: string | null }>).map((s) => s.key)).toEqual([
      'gpt-4o-mini',
      'claude-sonnet-4-5',
    ]);
    const all = await get(`/v1/timeseries?grain=hour&${range}&by=model`);
    expect((all.body.series as Array<{ key: string | null }>).at(-1)!.key).toBeNull();
    const huge = await get(
      `/v1/timeseries?grain=hour&from=${t0 - 100 * 86_400_000}&to=${t0}&by=user&limit=100`,
    );
    expect(huge.status).toBe(400);
    expect(huge.body.error).toMatchObject({
      code: 'invalid_parameter',
      message: expect.stringMatching(/^limit: 100 series × [\d,]+ buckets/),
    });
  });

  it('rejects an unknown time zone or grain', async () => {
    expect((await get(`/v1/timeseries?tz=Mars/Base&${range}`)).body.error).toMatchObject({
      code: 'invalid_parameter',
      message: expect.stringContaining('Mars/Base'),
    });
    expect((await get(`/v1/timeseries?grain=fortnight&${range}`)).status).toBe(400);
  });
});

describe('GET /v1/openapi.json', () => {
  it('documents every route with the parameters the server validates', async () => {
    const { body } = await get('/v1/openapi.json');
    const paths = body.paths as Record<string, { get?: { parameters: Array<{ name: string }> } }>;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining(['/v1/events', '/v1/summary', '/v1/timeseries', '/healthz']),
    );
    expect(paths['/v1/summary']!.get!.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(['from', 'to', 'by', 'type', 'workspace', 'limit']),
    );
    expect(paths['/v1/timeseries']!.get!.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(['grain', 'tz']),
    );
  });

  it('lists every API route the app serves, with its method', async () => {
    const { body } = await get('/v1/openapi.json');
    const paths = body.paths as Record<string, Record<string, unknown>>;
    const served = app.routes
      .filter((r) => r.method !== 'ALL' && /^\/(v1|healthz)/.test(r.path))
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    const documented = Object.entries(paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    );
    expect(served.length).toBeGreaterThan(20);
    expect([...new Set(served)].filter((r) => !documented.includes(r))).toEqual([]);
  });
});

describe('GET /v1/active_users and /v1/retention', () => {
  it('serve the active-user set through the same named-query route', async () => {
    const day = new Date(t0).toISOString().slice(0, 10);
    const users = await get(`/v1/active_users?from=${day}T00:00:00Z&to=${day}T23:59:59Z`);
    expect(users.status).toBe(200);
    const distinct = new Set(events.map((e) => e.user_id).filter((u) => typeof u === 'string'))
      .size;
    expect(users.body.points).toEqual([
      expect.objectContaining({ day, dau: distinct, new_users: distinct }),
    ]);
    const cohorts = await get(
      `/v1/retention?period=week&from=${day}&to=${new Date(t0 + 7 * 86_400_000).toISOString()}`,
    );
    expect(cohorts.status).toBe(200);
    expect(cohorts.body).toMatchObject({ period: 'week' });
    expect((await get('/v1/retention?period=fortnight')).body.error).toMatchObject({
      code: 'invalid_parameter',
    });
  });
});

describe('summary extras', () => {
  it('trailing windows and the most used model per row', async () => {
    const to = t0 + 7_200_000;
    const { status, body } = await get(
      `/v1/summary?from=${t0 - 3_600_000}&to=${to}&by=provider&windows=true&most_used_model=true`,
    );
    expect(status).toBe(200);
    const rows = body.rows as Array<{
      key: string;
      last_24h: { requests: number; cost_usd: number };
      last_7d: { requests: number };
      most_used_model: string | null;
    }>;
    for (const row of rows) {
      const mine = events.filter(
        (e) => e.provider === row.key && (e.timestamp as number) >= to - 86_400_000,
      );
      expect(row.last_24h.requests, row.key).toBe(mine.length);
      expect(row.last_24h.cost_usd, row.key).toBeCloseTo(
        mine.reduce((s, e) => s + ((e.cost_usd as number | undefined) ?? 0), 0),
        9,
      );
      expect(row.last_7d.requests).toBe(mine.length);
      const counts = new Map<string, number>();
      for (const e of mine)
        if (typeof e.model === 'string') counts.set(e.model, (counts.get(e.model) ?? 0) + 1);
      const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? null;
      expect(row.most_used_model, row.key).toBe(top);
    }
    expect(rows.map((r) => r.key)).toEqual(['openai', 'anthropic']);
    expect(rows[0]!.most_used_model).toBe('gpt-4o-mini');
  });
});
