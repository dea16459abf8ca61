import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKey, type Role } from '../../src/auth/api-key.js';
import type { Engine } from '../../src/engine.js';
import { QUERY_CATALOGUE } from '../../src/query-catalogue.js';
import { createApp } from '../../src/server/app.js';
import { openTestEngine, postgresAvailable, type BackendName } from '../support/databases.js';
import { NOW, items } from '../support/events.js';

/**
 * Adversarial workspace isolation: two tenants, keys of every role, and requests that try to
 * reach the other tenant through parameters, ids, filters, SQL-like strings, bad and revoked keys.
 */
const backends: BackendName[] = ['sqlite', 'pglite'];
if (await postgresAvailable()) backends.push('postgres');

const A_EVENTS = 7;
const B_EVENTS = 5;

function tenantEvents(ws: string, n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `shared-id-${i}`, // the same ids in both workspaces: ids are only unique per workspace
    type: i % 2 === 0 ? 'llm_call' : 'tool_call',
    workspace: ws,
    timestamp: NOW - (i + 1) * 60_000,
    duration_ms: 100 + i,
    user_id: `${ws}-user-${i % 3}`,
    session_id: `${ws}-session`,
    trace_id: `${ws}-trace`,
    model: 'gpt-4o-mini',
    tool: i % 2 === 0 ? null : `${ws}-tool`,
    usage: { input_tokens: 10 * (i + 1), output_tokens: i + 1 },
  }));
}

describe.each(backends)('workspace isolation on %s', (kind) => {
  let engine: Engine;
  let app: ReturnType<typeof createApp>;
  const keys: Record<string, string> = {};

  async function addKey(name: string, workspace: string, role: Role, revoked = false) {
    const k = generateKey();
    await engine.store.keys.create({
      id: k.id,
      workspace,
      role,
      name,
      secret_hash: k.hash,
      created_at: NOW,
      revoked_at: revoked ? NOW : null,
    });
    keys[name] = k.token;
  }

  const get = (path: string, key?: string) =>
    app.request(path, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  const post = (path: string, body: unknown, key: string) =>
    app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify(body),
    });
  const range = `from=${NOW - 86_400_000}&to=${NOW + 60_000}`;

  beforeAll(async () => {
    engine = await openTestEngine(kind);
    await engine.ingest(
      items(...tenantEvents('acme', A_EVENTS), ...tenantEvents('globex', B_EVENTS)),
      NOW,
    );
    await addKey('a-read', 'acme', 'read');
    await addKey('a-ingest', 'acme', 'ingest');
    await addKey('a-admin', 'acme', 'admin');
    await addKey('a-revoked', 'acme', 'admin', true);
    app = createApp(engine);
  });
  afterAll(() => engine.close());

  it('refuses requests without a valid key once keys exist, the same way for every bad key', async () => {
    const valid = keys['a-read']!;
    const [, id] = /^cairn_([0-9a-f]{16})_/.exec(valid)!;
    const bad = [
      undefined,
      'not-a-key',
      `cairn_${id}_${'A'.repeat(43)}`, // right id, wrong secret
      `cairn_${'0'.repeat(16)}_${valid.slice(-43)}`, // unknown id
      keys['a-revoked']!,
      `${valid}' OR '1'='1`,
    ];
    for (const key of bad) {
      const r = await get(`/v1/summary?${range}`, key);
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const body = (await r.json()) as { error: { code: string } };
      expect(body.error.code).toBe('unauthorized');
    }
    expect((await get('/healthz')).status).toBe(200);
    expect((await get('/v1/openapi.json')).status).toBe(200);
  });

  it("answers a read key with its own workspace's numbers only", async () => {
    const r = await get(`/v1/summary?${range}`, keys['a-read']);
    expect(r.status).toBe(200);
    const body = (await r.json()) as { rows: Array<{ requests: number; input_tokens: number }> };
    const own = tenantEvents('acme', A_EVENTS);
    expect(body.rows[0]!.requests).toBe(own.length);
    const tokens = own.reduce((s, e) => s + (e.usage as { input_tokens: number }).input_tokens, 0);
    expect(body.rows[0]!.input_tokens).toBe(tokens);
  });

  it('refuses parameters that name another workspace, SQL-like ones included', async () => {
    for (const ws of ['globex', "acme' OR '1'='1", 'acme%', '*', 'ACME', '']) {
      const r = await get(
        `/v1/summary?${range}&workspace=${encodeURIComponent(ws)}`,
        keys['a-read'],
      );
      expect(r.status, ws).toBe(403);
    }
    const ok = await get(`/v1/summary?${range}&workspace=acme`, keys['a-read']);
    expect(ok.status).toBe(200);
  });

  it("never shows another workspace's rows through any query, even by its ids", async () => {
    const probes: Record<string, string> = {
      session: `session_id=globex-session&${range}`,
      trace: `trace_id=globex-trace&${range}`,
      sessions: `${range}&user_id=globex-user-0`,
    };
    for (const name of Object.keys(QUERY_CATALOGUE)) {
      let query = probes[name] ?? range;
      let r = await get(`/v1/${name}?${query}`, keys['a-read']);
      if (r.status === 400) {
        // A query without from/to (a seed service call): ask it with its defaults instead.
        query = '';
        r = await get(`/v1/${name}`, keys['a-read']);
      }
      // The probe's own ids may be echoed back; nothing else of globex may appear.
      let text = await r.text();
      for (const v of new URLSearchParams(query).values()) text = text.replaceAll(v, '');
      expect(text, name).not.toContain('globex');
      if (r.status !== 200) expect([400, 403, 404], `${name}: ${text}`).toContain(r.status);
    }
  });

  it('holds ingest to the key workspace and rejects items naming another', async () => {
    const before = await engine.store.countEvents('globex');
    const r = await post(
      '/v1/events',
      {
        events: [
          { id: 'shared-id-0', type: 'llm_call', timestamp: NOW, workspace: 'globex' },
          { id: 'a-new-1', type: 'llm_call', timestamp: NOW },
          { id: 'shared-id-1', type: 'llm_call', timestamp: NOW, revision: 9 },
        ],
      },
      keys['a-ingest']!,
    );
    expect(r.status).toBe(207);
    const body = (await r.json()) as { accepted: number; updated: number; rejected: unknown[] };
    expect(body.rejected).toEqual([
      expect.objectContaining({ index: 0, code: 'workspace_not_allowed' }),
    ]);
    expect(body.accepted + body.updated).toBe(2);
    expect(await engine.store.countEvents('globex')).toBe(before);
    // The revision replaced acme's shared-id-1, never globex's.
    expect((await engine.store.getEvent('globex', 'shared-id-1'))?.revision).toBe(0);
    expect((await engine.store.getEvent('acme', 'shared-id-1'))?.revision).toBe(9);
    expect((await engine.store.getEvent('acme', 'a-new-1'))?.workspace).toBe('acme');
  });

  it('enforces roles', async () => {
    const event = { events: [{ id: 'role-1', type: 'llm_call', timestamp: NOW }] };
    expect((await post('/v1/events', event, keys['a-read']!)).status).toBe(403);
    expect((await get(`/v1/summary?${range}`, keys['a-ingest'])).status).toBe(403);
    expect((await get(`/v1/summary?${range}`, keys['a-admin'])).status).toBe(200);
    expect((await post('/v1/events', event, keys['a-admin']!)).status).toBe(200);
  });

  it('confines a scoped store: its methods refuse another workspace', async () => {
    const scoped = engine.forWorkspace('acme');
    await expect(scoped.store.getEvent('globex', 'shared-id-0')).rejects.toMatchObject({
      code: 'workspace_not_allowed',
    });
    expect(await scoped.store.listWorkspaces()).toEqual(['acme']);
    expect(() => scoped.forWorkspace('globex')).toThrow(/confined/);
  });

  it.runIf(kind !== 'sqlite')(
    'hides other workspaces in the database itself (row-level security)',
    async () => {
      const scoped = engine.forWorkspace('acme').store;
      // Raw SQL with no workspace filter at all: only the policy can hold it to acme.
      const counts = await scoped.readScoped(async (s) => {
        const events = await sql<{ n: number }>`select count(*)::int as n from events`.execute(
          s.reader,
        );
        const rollups = await sql<{
          n: string;
        }>`select count(distinct workspace)::int as n from rollup_total`.execute(s.reader);
        return { events: events.rows[0]!.n, workspaces: Number(rollups.rows[0]!.n) };
      });
      expect(counts.events).toBe(await engine.store.countEvents('acme'));
      expect(counts.workspaces).toBe(1);
    },
  );
});
