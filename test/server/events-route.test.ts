import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { createApp } from '../../src/server/app.js';
import type { Engine } from '../../src/engine.js';
import { openTestEngine } from '../support/databases.js';
import { wire } from '../support/events.js';

let engine: Engine;
let app: Hono;

beforeAll(async () => {
  engine = await openTestEngine('sqlite', {
    server: { maxBodyBytes: 64 * 1024 },
    ingest: { maxBatchEvents: 100 },
  });
  app = createApp(engine);
});
afterAll(() => engine.close());

function post(
  body: string | Uint8Array,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) {
  return app.request('/v1/events', { method: 'POST', body, headers });
}

const now = () => Date.now() - 1_000;

describe('POST /v1/events', () => {
  it('200 when every item is stored, and a resend changes nothing', async () => {
    const batch = JSON.stringify({
      events: [wire({ id: 'h1', timestamp: now() }), wire({ id: 'h2', timestamp: now() })],
    });
    const first = await post(batch);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ accepted: 2, updated: 0, duplicates: 0, rejected: [] });
    const again = await post(batch);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ accepted: 0, updated: 0, duplicates: 2, rejected: [] });
    expect(await engine.store.countEvents()).toBe(2);
  });

  it('207 with per-item rejections; the good items are stored', async () => {
    const ts = now();
    const res = await post(
      JSON.stringify({
        events: [
          wire({ id: 'g1', timestamp: ts }),
          { id: 'b1', type: 'llm_call' },
          wire({ id: 'g1', timestamp: ts, model: 'gpt-4o' }),
        ],
      }),
    );
    expect(res.status).toBe(207);
    const body = (await res.json()) as {
      accepted: number;
      rejected: Array<{ index: number; id: string; code: string; message: string }>;
    };
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => [r.index, r.id, r.code])).toEqual([
      [1, 'b1', 'missing_field'],
      [2, 'g1', 'duplicate_in_batch'],
    ]);
    expect(await engine.store.getEvent('default', 'g1')).toMatchObject({ model: 'gpt-4o-mini' });
  });

  it('an identical repeat within a batch is a duplicate, not an error, whatever its key order', async () => {
    const event = wire({ id: 'rep', timestamp: now(), attributes: { a: 1, b: 2 } });
    const reordered = Object.fromEntries(
      Object.entries({ ...event, attributes: { b: 2, a: 1 } }).reverse(),
    );
    const res = await post(JSON.stringify([event, reordered]));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 1, updated: 0, duplicates: 1, rejected: [] });
  });

  it('NDJSON, gzip-compressed, with one malformed line', async () => {
    const lines = [
      JSON.stringify(wire({ id: 'n1', timestamp: now() })),
      '{not json',
      JSON.stringify(wire({ id: 'n2', timestamp: now() })),
    ];
    const res = await post(gzipSync(lines.join('\n')), {
      'content-type': 'application/x-ndjson',
      'content-encoding': 'gzip',
    });
    expect(res.status).toBe(207);
    expect(await res.json()).toMatchObject({
      accepted: 2,
      rejected: [{ index: 1, id: null, code: 'malformed_json' }],
    });
  });

  it('400 for a malformed body, with a catalogue code', async () => {
    const res = await post('{"events": [');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'malformed_body' } });
    expect((await post(Buffer.from([0x7b, 0xff]))).status).toBe(400);
  });

  it('413 for an oversized body, a gzip bomb, or too many events', async () => {
    const big = await post(
      JSON.stringify({ events: [wire({ attributes: { pad: 'x'.repeat(70 * 1024) } })] }),
    );
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { code: 'body_too_large' } });
    const bomb = await post(gzipSync('['.padEnd(200_000, ' ') + ']'), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(bomb.status).toBe(413);
    const many = await post(JSON.stringify(Array.from({ length: 101 }, () => ({}))));
    expect(many.status).toBe(413);
    expect(await many.json()).toMatchObject({ error: { code: 'too_many_events' } });
  });

  it('415 for a wrong content type or encoding', async () => {
    const res = await post('{}', { 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({
      error: { code: 'unsupported_media_type', message: expect.stringContaining('text/plain') },
    });
    expect(
      (await post('{}', { 'content-type': 'application/json', 'content-encoding': 'br' })).status,
    ).toBe(415);
  });
});

describe('other routes', () => {
  it('GET /healthz answers with the backend', async () => {
    const res = await app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', backend: 'sqlite' });
  });

  it('unknown routes get a JSON not_found', async () => {
    const res = await app.request('/v1/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('while draining, /v1 refuses new work with 503 and healthz says so', async () => {
    const draining = createApp(engine, { isDraining: () => true });
    const res = await draining.request('/v1/events', {
      method: 'POST',
      body: '[]',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'shutting_down' } });
    expect((await draining.request('/healthz')).status).toBe(503);
  });
});
