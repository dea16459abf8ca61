import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createApp } from '../../../src/server/app.js';
import { openTestEngine, postgresAvailable } from '../../support/databases.js';
import { items } from '../../support/events.js';
import { buildRows, importLine } from './dataset.js';
import { endpointCases } from './endpoints.case.js';
import type { SuiteContext } from './suite.js';
import { viewCases } from './views.case.js';

const backends = [
  'sqlite',
  'pglite',
  ...((await postgresAvailable()) ? (['postgres'] as const) : []),
] as const;

// One engine per backend for both case files: opening PGlite is most of this file's time.
describe.each(backends)('chat-telemetry on %s', (kind) => {
  const ctx = { kind } as SuiteContext;

  beforeAll(async () => {
    ctx.engine = await openTestEngine(kind);
    ctx.app = createApp(ctx.engine);
    ctx.rows = buildRows(Date.now());
    // The default workspace's rows through POST /v1/import, the other tenant's through the engine.
    const ndjson = ctx.rows
      .filter((r) => r.workspace === 'default')
      .map((r) => JSON.stringify(importLine(r)))
      .join('\n');
    const res = await ctx.app.request('/v1/import/chat-telemetry', {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: ndjson,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ rows: 72, accepted: 72, duplicates: 0, rejected: [] });
    const other = ctx.rows.filter((r) => r.workspace === 'tenant-b').map(importLine);
    const b = await ctx.engine.importRows('chat-telemetry', items(...other), {
      workspace: 'tenant-b',
    });
    expect(b).toMatchObject({ rows: 6, accepted: 6, duplicates: 0, rejected: [] });
  });
  afterAll(() => ctx.engine.close());

  endpointCases(ctx);
  viewCases(ctx);
});
