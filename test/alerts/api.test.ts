import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { AlertStore } from '../../src/alerts/alert-store.js';
import { ruleInput } from '../../src/alerts/rule.js';
import { generateKey } from '../../src/auth/api-key.js';
import type { Engine } from '../../src/engine.js';
import { createApp } from '../../src/server/app.js';
import { openTestEngine } from '../support/databases.js';
import { items, wire } from '../support/events.js';
import { startHttpReceiver, type HttpReceiver } from './receivers.js';

/** /v1/alerts through app.request(), over a real SQLite database and a local webhook receiver. */
let engine: Engine;
let app: Hono;
let hook: HttpReceiver;
beforeAll(async () => {
  engine = await openTestEngine('sqlite');
  app = createApp(engine);
  hook = await startHttpReceiver();
  const failing = [1, 2, 3].map(() =>
    wire({ workspace: 'acme', timestamp: Date.now() - 60_000, status: 'error' }),
  );
  await engine.ingest(items(...failing));
});
afterAll(async () => {
  await hook.close();
  await engine.close();
});

const json = (method: string, path: string, body?: unknown) =>
  app.request(path, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

const rule = () => ({
  workspace: 'acme',
  name: 'errors',
  metric: 'errors',
  critical: 2,
  window: '1h',
  channels: [{ type: 'webhook', url: hook.url, secret: 'x'.repeat(20) }],
});

describe('/v1/alerts', () => {
  let id: string;

  it('creates a rule (201), with durations in ms and the secret masked', async () => {
    const res = await json('POST', '/v1/alerts', rule());
    expect(res.status).toBe(201);
    const body = (await res.json()) as { rule: Record<string, unknown> & { id: string } };
    expect(body.rule).toMatchObject({
      workspace: 'acme',
      window_ms: 3_600_000,
      for_ms: 0,
      warning: null,
      critical: 2,
      condition: 'above',
      no_data: 'no_data',
      channels: [{ type: 'webhook', secret: '********' }],
    });
    id = body.rule.id;
  });

  it.each([
    [{ metric: 'nope' }, /^metric: /],
    [{ critical: undefined }, /^critical: set warning or critical/],
    [{ warning: 5 }, /^warning: must be at most critical/],
    [{ window: '5 minutes' }, /^window: must be milliseconds or a duration/],
    [{ metric: 'cost_budget' }, /^budget_usd: cost_budget needs one/],
    [{ channels: [{ type: 'webhook', url: 'ftp://x' }] }, /^channels\.0\.url/],
    [{ colour: 'red' }, /colour/],
  ])('refuses %j with invalid_parameter naming the field', async (change, message) => {
    const res = await json('POST', '/v1/alerts', { ...rule(), ...change });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('invalid_parameter');
    expect(error.message).toMatch(message);
  });

  it('refuses a body that is not JSON', async () => {
    const res = await app.request('/v1/alerts', { method: 'POST', body: '{' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('malformed_body');
  });

  it('lists, reads and 404s', async () => {
    const list = (await (await app.request('/v1/alerts?workspace=acme')).json()) as {
      rules: Array<{ id: string }>;
    };
    expect(list.rules.map((r) => r.id)).toEqual([id]);
    expect(
      ((await (await app.request('/v1/alerts?workspace=zz')).json()) as { rules: [] }).rules,
    ).toEqual([]);
    const one = (await (await app.request(`/v1/alerts/${id}`)).json()) as { states: unknown[] };
    expect(one.states).toEqual([]);
    const missing = await app.request('/v1/alerts/nope');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('sends a test notification to the channels', async () => {
    const res = await json('POST', `/v1/alerts/${id}/test`);
    const body = (await res.json()) as {
      notification: { kind: string; value: number };
      deliveries: Array<{ ok: boolean }>;
    };
    expect(body.notification).toMatchObject({ kind: 'test', value: 3 });
    expect(body.deliveries).toMatchObject([{ ok: true }]);
    expect(JSON.parse(hook.received.at(-1)!.body)).toMatchObject({ kind: 'test' });
  });

  it('evaluates on demand, then lists and acknowledges the history', async () => {
    const report = (await (await json('POST', '/v1/alerts/evaluate')).json()) as {
      rules: Array<{ notifications: Array<{ id: string; kind: string }> }>;
    };
    const [fired] = report.rules[0]!.notifications;
    expect(fired).toMatchObject({ kind: 'firing', delivery_status: 'sent' });
    const history = (await (await app.request(`/v1/alerts/${id}/history`)).json()) as {
      history: Array<{ id: string }>;
    };
    expect(history.history.map((h) => h.id)).toEqual([fired!.id]);
    const all = (await (await app.request('/v1/alerts/history?workspace=acme&limit=5')).json()) as {
      history: unknown[];
    };
    expect(all.history).toHaveLength(1);
    const ack = await json('POST', `/v1/alerts/history/${fired!.id}/ack`, {
      by: 'ann',
      note: 'on it',
    });
    expect(((await ack.json()) as { entry: unknown }).entry).toMatchObject({
      acknowledged_by: 'ann',
      note: 'on it',
    });
    const state = (await (await app.request(`/v1/alerts/${id}`)).json()) as { states: unknown[] };
    expect(state.states).toMatchObject([{ state: 'firing', acknowledged: true }]);
    expect((await json('POST', '/v1/alerts/history/nope/ack', {})).status).toBe(404);
    expect((await app.request('/v1/alerts/history?limit=0')).status).toBe(400);
  });

  it('edits a rule: thresholds keep its states, a new metric drops them', async () => {
    const statesOf = async () =>
      ((await (await app.request(`/v1/alerts/${id}`)).json()) as { states: unknown[] }).states;
    const edited = await json('PATCH', `/v1/alerts/${id}`, { critical: 10, warning: 1 });
    expect(edited.status).toBe(200);
    expect(((await edited.json()) as { rule: unknown }).rule).toMatchObject({
      name: 'errors',
      warning: 1,
      critical: 10,
      window_ms: 3_600_000,
      channels: [{ type: 'webhook', secret: '********' }],
    });
    // The stored secret is the real one still, and the firing state survives the edit.
    const stored = await new AlertStore(engine.store).getRule(id);
    expect(stored!.channels).toEqual([{ type: 'webhook', url: hook.url, secret: 'x'.repeat(20) }]);
    expect(await statesOf()).toMatchObject([{ state: 'firing', severity: 'critical' }]);

    const refused = async (change: unknown, message: RegExp) => {
      const res = await json('PATCH', `/v1/alerts/${id}`, change);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
    };
    await refused({ warning: 50 }, /^warning: must be at most critical/);
    await refused({ workspace: 'other' }, /^workspace: a rule cannot move workspace/);
    await refused(
      { channels: [{ type: 'webhook', url: hook.url, secret: '********' }] },
      /^channels: holds a masked value/,
    );
    expect((await new AlertStore(engine.store).getRule(id))!.critical).toBe(10);

    const cleared = await json('PATCH', `/v1/alerts/${id}`, { warning: null, metric: 'requests' });
    expect(((await cleared.json()) as { rule: unknown }).rule).toMatchObject({
      metric: 'requests',
      warning: null,
      critical: 10,
    });
    expect(await statesOf()).toEqual([]);
  });

  it('disables (dropping states) and deletes', async () => {
    const patched = await json('PATCH', `/v1/alerts/${id}`, { enabled: false });
    expect(((await patched.json()) as { rule: { enabled: boolean } }).rule.enabled).toBe(false);
    expect(
      ((await (await app.request(`/v1/alerts/${id}`)).json()) as { states: [] }).states,
    ).toEqual([]);
    expect((await json('DELETE', `/v1/alerts/${id}`)).status).toBe(204);
    expect((await app.request(`/v1/alerts/${id}`)).status).toBe(404);
  });
});

describe('/v1/alerts with a read-only API key', () => {
  let keyed: Engine;
  let keyedApp: Hono;
  let token: string;
  let ruleId: string;
  const SLACK = 'https://hooks.slack.com/services/T0SECRET/B0SECRET/slacksecrettoken';
  const HOOK = 'https://cairn:hookpassword@ops.example/in?token=querysecret';
  beforeAll(async () => {
    keyed = await openTestEngine('sqlite');
    keyedApp = createApp(keyed);
    const k = generateKey();
    await keyed.store.keys.create({
      id: k.id,
      workspace: 'acme',
      role: 'read',
      name: 'reader',
      secret_hash: k.hash,
      created_at: Date.now(),
      revoked_at: null,
    });
    token = k.token;
    const spec = ruleInput.parse({
      workspace: 'acme',
      name: 'errors',
      metric: 'errors',
      critical: 2,
      channels: [
        { type: 'slack', url: SLACK },
        { type: 'webhook', url: HOOK, secret: 'x'.repeat(20) },
      ],
    });
    ruleId = (await new AlertStore(keyed.store).createRule(spec, Date.now())).id;
  });
  afterAll(() => keyed.close());

  const read = (path: string) =>
    keyedApp.request(path, { headers: { authorization: `Bearer ${token}` } });

  it('never shows Slack or webhook URL credentials, in the list or one rule', async () => {
    for (const path of ['/v1/alerts', `/v1/alerts/${ruleId}`]) {
      const res = await read(path);
      expect(res.status).toBe(200);
      const text = await res.text();
      for (const secret of ['T0SECRET', 'slacksecrettoken', 'hookpassword', 'querysecret'])
        expect(text, path).not.toContain(secret);
      expect(text).toContain('https://hooks.slack.com/services/********');
      expect(text).toContain('ops.example/in?token=********');
    }
  });
});
