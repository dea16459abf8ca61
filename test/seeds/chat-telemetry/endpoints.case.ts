import { expect, it } from 'vitest';
import { openApiDocument } from '../../../src/server/openapi.js';
import { expectRowClose, expectRowsClose } from './compare.js';
import { expectedDomainSummary, expectedModelSummary, expectedTrend } from './dataset.js';
import type { SuiteContext } from './suite.js';

type Row = Record<string, unknown>;
const HOUR = 3_600_000;

/** The three service calls through HTTP, against the oracle. */
export function endpointCases(ctx: SuiteContext): void {
  const get = async (path: string) => {
    const res = await ctx.app.request(path);
    return { status: res.status, body: (await res.json()) as unknown };
  };

  it('fetchDomainSummary: every domain, equal to a recomputation', async () => {
    const { rows } = ctx;
    const { status, body } = await get('/v1/chat-telemetry/domain_summary');
    expect(status).toBe(200);
    const expected = expectedDomainSummary(rows, Date.now());
    expectRowsClose(body as Row[], expected, (r) => `${String(r.workspace)}|${String(r.domain)}`);
  });

  it('fetchDomainSummary(domain): one row, 404 for none, 400 when two workspaces have it', async () => {
    const { rows } = ctx;
    const one = await get(
      '/v1/chat-telemetry/domain_summary?domain=docs.example.org&workspace=default',
    );
    expect(one.status).toBe(200);
    const expected = expectedDomainSummary(rows, Date.now()).get('default|docs.example.org')!;
    expectRowClose(one.body as Row, expected, 'docs.example.org');
    const shared = rows.find((r) => r.workspace === 'tenant-b')!.domain;
    const both = await get(`/v1/chat-telemetry/domain_summary?domain=${shared}`);
    expect(both.status).toBe(400);
    expect(both.body).toMatchObject({ error: { code: 'invalid_parameter' } });
    const none = await get('/v1/chat-telemetry/domain_summary?domain=nowhere.example');
    expect(none.status).toBe(404);
    expect(none.body).toMatchObject({ error: { code: 'not_found' } });
    const bad = await get('/v1/chat-telemetry/domain_summary?domian=x');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'invalid_parameter' } });
  });

  it('fetchModelSummary: every model, and one model of one workspace', async () => {
    const { rows } = ctx;
    const all = await get('/v1/chat-telemetry/model_summary');
    expect(all.status).toBe(200);
    const expected = expectedModelSummary(rows, Date.now());
    expectRowsClose(
      all.body as Row[],
      expected,
      (r) => `${String(r.workspace)}|${String(r.model)}`,
    );
    const one = await get('/v1/chat-telemetry/model_summary?model=gpt-4o&workspace=default');
    expect(one.status).toBe(200);
    expectRowClose(one.body as Row, expected.get('default|gpt-4o')!, 'gpt-4o');
  });

  it('getTrendFromRollups: hourly rows since startDate, over every workspace', async () => {
    const { rows } = ctx;
    // A start inside an hour: that hour began before it, so (as in the seed) it is left out.
    const start = Date.now() - 3 * 24 * HOUR - 30 * 60_000;
    const { status, body } = await get(
      `/v1/chat-telemetry/trend?startDate=${new Date(start).toISOString()}`,
    );
    expect(status).toBe(200);
    const expected = expectedTrend(rows, start, Date.now());
    expect(expected.length).toBeGreaterThan(10);
    expect(body as Row[]).toHaveLength(expected.length);
    (body as Row[]).forEach((r, i) => expectRowClose(r, expected[i]!, String(r.bucket_start)));
  });

  it('getTrendFromRollups(startDate, domain): one domain of one workspace', async () => {
    const { rows } = ctx;
    const start = Math.floor((Date.now() - 10 * 24 * HOUR) / HOUR) * HOUR;
    const path = `/v1/chat-telemetry/trend?startDate=${start}&domain=help.example.net&workspace=default`;
    const { status, body } = await get(path);
    expect(status).toBe(200);
    const mine = rows.filter((r) => r.workspace === 'default');
    const expected = expectedTrend(mine, start, Date.now(), 'help.example.net');
    expect(body as Row[]).toHaveLength(expected.length);
    (body as Row[]).forEach((r, i) => expectRowClose(r, expected[i]!, String(r.bucket_start)));
  });

  it('refuses a trend without startDate, naming it', async () => {
    const { status, body } = await get('/v1/chat-telemetry/trend');
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: { code: 'invalid_parameter' } });
    expect((body as { error: { message: string } }).error.message).toMatch(/^startDate:/);
  });

  it('lists the three service calls in the OpenAPI document', () => {
    const doc = openApiDocument() as {
      paths: Record<string, { get: { parameters: Array<{ name: string; required: boolean }> } }>;
    };
    for (const name of ['domain_summary', 'model_summary', 'trend'])
      expect(doc.paths).toHaveProperty([`/v1/chat-telemetry/${name}`]);
    const trend = doc.paths['/v1/chat-telemetry/trend']!.get.parameters;
    expect(trend.find((p) => p.name === 'startDate')).toMatchObject({ required: true });
  });
}
