import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AlertStore } from '../../src/alerts/alert-store.js';
import { SIGNATURE_HEADER, verifyWebhookSignature } from '../../src/alerts/channels/webhook.js';
import { readSeries } from '../../src/alerts/metric-source.js';
import { ruleInput, type RuleInput } from '../../src/alerts/rule.js';
import { evaluateAll, sendTest } from '../../src/alerts/run-rules.js';
import { startAlertScheduler } from '../../src/alerts/scheduler.js';
import type { Engine } from '../../src/engine.js';
import { openTestEngine, type BackendName } from '../support/databases.js';
import { items, NOW, wire } from '../support/events.js';
import { startHttpReceiver, type HttpReceiver } from './receivers.js';

/**
 * Rules evaluated over real ingested events (through the query layer), with notifications
 * delivered to a local HTTP server. Two backends: the metric sources build SQL of their own.
 */
const SECRET = 'webhook-secret-0123456789';
const MIN = 60_000;

const toolCall = (tool: string, failed: boolean, code?: string | number) =>
  wire({
    type: 'tool_call',
    workspace: 'acme',
    tool,
    usage: undefined,
    model: undefined,
    provider: undefined,
    ...(failed ? { status: 'error', error: { type: 'rpc', code: code ?? -32603 } } : {}),
  });
const spend = (user: string, usd: number) =>
  wire({ workspace: 'acme', user_id: user, cost_usd: usd });

describe.each<BackendName>(['sqlite', 'pglite'])('alert evaluation on %s', (backend) => {
  let engine: Engine;
  let alerts: AlertStore;
  let hook: HttpReceiver;
  const create = (input: Omit<RuleInput, 'workspace' | 'channels'>) =>
    alerts.createRule(
      ruleInput.parse({
        workspace: 'acme',
        channels: [{ type: 'webhook', url: hook.url, secret: SECRET }],
        ...input,
      }),
      NOW,
    );

  beforeAll(async () => {
    engine = await openTestEngine(backend);
    alerts = new AlertStore(engine.store);
    hook = await startHttpReceiver();
    const events = [
      ...[true, true, true, false].map((f) => toolCall('search', f)),
      ...[false, false, false, false].map((f) => toolCall('fetch', f)),
      toolCall('fetch', true, 429), // an HTTP status, not a JSON-RPC code
      toolCall('fetch', true, 'E_TIMEOUT'),
      spend('u1', 1.5),
      spend('u2', 0.85),
      spend('u3', 0.1),
      wire({ workspace: 'other', user_id: 'u1', cost_usd: 50 }), // another tenant's spend
    ];
    await engine.ingest(items(...events), NOW);
  });
  afterEach(async () => {
    for (const r of await alerts.listRules()) await alerts.deleteRule(r.id);
    hook.received.length = 0;
    hook.status = 200;
  });
  afterAll(async () => {
    await hook.close();
    await engine.close();
  });

  it('reads each metric per group from the query layer, scoped to the workspace', async () => {
    const series = async (input: Omit<RuleInput, 'workspace' | 'channels'>) =>
      readSeries(engine.store, await create(input), NOW);
    expect(
      await series({ name: 'e', metric: 'tool_error_rate', critical: 0.5, group_by: 'tool' }),
    ).toEqual(
      expect.arrayContaining([
        { group: 'search', value: 0.75 },
        { group: 'fetch', value: 2 / 6 },
      ]),
    );
    // search had 4 calls and fetch 6: below 5 calls, search's rate is no data.
    expect(
      await series({
        name: 'e',
        metric: 'tool_error_rate',
        critical: 0.5,
        group_by: 'tool',
        min_requests: 5,
      }),
    ).toEqual(
      expect.arrayContaining([
        { group: 'search', value: null },
        { group: 'fetch', value: 2 / 6 },
      ]),
    );
    expect(await series({ name: 'j', metric: 'jsonrpc_errors', critical: 1 })).toEqual([
      { group: '', value: 3 },
    ]);
    expect(
      await series({ name: 'j', metric: 'jsonrpc_errors', critical: 1, group_by: 'tool' }),
    ).toEqual([{ group: 'search', value: 3 }]);
    const budget = await series({
      name: 'b',
      metric: 'cost_budget',
      budget_usd: 1,
      group_by: 'user',
      window: '30d',
    });
    expect(Object.fromEntries(budget.map((o) => [o.group, o.value]))).toEqual({
      u1: 1.5,
      u2: 0.85,
      u3: 0.1,
    });
    expect(await series({ name: 'w', metric: 'cost_usd', critical: 1, window: '1h' })).toEqual([
      { group: '', value: 2.45 },
    ]);
    expect(await series({ name: 'v', metric: 'requests', critical: 1, window: '30s' })).toEqual([
      { group: '', value: 0 }, // the events are a minute old
    ]);
  });

  it('fires per group, delivers signed webhooks and records the history', async () => {
    const rule = await create({
      name: 'tool errors',
      metric: 'tool_error_rate',
      warning: 0.2,
      critical: 0.5,
      group_by: 'tool',
    });
    const report = await evaluateAll(engine, NOW);
    const mine = report.rules.find((r) => r.rule_id === rule.id)!;
    expect(mine.notifications.map((h) => [h.group, h.kind, h.severity, h.delivery_status])).toEqual(
      expect.arrayContaining([
        ['search', 'firing', 'critical', 'sent'],
        ['fetch', 'firing', 'warning', 'sent'],
      ]),
    );
    expect(hook.received).toHaveLength(2);
    for (const req of hook.received)
      expect(
        verifyWebhookSignature({
          secret: SECRET,
          body: req.body,
          timestamp: req.headers['x-cairn-timestamp'] as string,
          signature: req.headers[SIGNATURE_HEADER] as string,
          now: NOW,
        }),
      ).toBe(true);
    const payload = JSON.parse(hook.received[0]!.body) as {
      history_id: string;
      rule: { id: string };
    };
    expect(payload.rule.id).toBe(rule.id);
    expect(await alerts.getHistory(payload.history_id)).toMatchObject({ rule_id: rule.id });
    // The next minute changes nothing and sends nothing.
    await evaluateAll(engine, NOW + 1_000);
    expect(hook.received).toHaveLength(2);
  });

  it('resolves once the window no longer holds the failures (no-data policy ok)', async () => {
    const rule = await create({
      name: 'jsonrpc',
      metric: 'jsonrpc_errors',
      critical: 2,
      no_data: 'ok',
    });
    await evaluateAll(engine, NOW);
    await evaluateAll(engine, NOW + 10 * MIN);
    await evaluateAll(engine, NOW + 11 * MIN);
    const history = await alerts.listHistory({ rule_id: rule.id, limit: 10 });
    expect(history.map((h) => [h.kind, h.value])).toEqual([
      ['resolved', 0],
      ['firing', 3],
    ]);
    expect(await alerts.states(rule.id)).toEqual([]);
  });

  it('records a failed delivery and retries it at the next evaluation', async () => {
    const rule = await create({
      name: 'budget',
      metric: 'cost_budget',
      budget_usd: 1,
      group_by: 'user',
      window: '30d',
    });
    hook.status = 500;
    const first = await evaluateAll(engine, NOW);
    const sent = first.rules[0]!.notifications;
    expect(sent.map((h) => [h.group, h.severity, h.delivery_status])).toEqual(
      expect.arrayContaining([
        ['u1', 'critical', 'failed'],
        ['u2', 'warning', 'failed'],
      ]),
    );
    expect(sent[0]!.deliveries[0]).toMatchObject({ ok: false, attempts: 1, error: 'HTTP 500: ok' });
    hook.status = 200;
    const second = await evaluateAll(engine, NOW + MIN);
    expect(second.retried).toBe(2);
    const history = await alerts.listHistory({ rule_id: rule.id, limit: 10 });
    expect(history.map((h) => [h.delivery_status, h.deliveries[0]!.attempts])).toEqual([
      ['sent', 2],
      ['sent', 2],
    ]);
    expect(hook.received).toHaveLength(4);
  });

  it('a rule that cannot be evaluated is reported and does not stop the others', async () => {
    const ok = await create({ name: 'ok', metric: 'requests', critical: 1 });
    const broken = await create({ name: 'broken', metric: 'requests', critical: 1, window: '1h' });
    // A rule whose stored definition names a metric this version does not know.
    const db = engine.store.reader as unknown as Kysely<{
      alert_rules: { id: string; definition: string };
    }>;
    await db
      .updateTable('alert_rules')
      .set({ definition: JSON.stringify({ ...broken, metric: 'retired_metric' }) })
      .where('id', '=', broken.id)
      .execute();
    const report = await evaluateAll(engine, NOW);
    expect(report.rules.find((r) => r.rule_id === broken.id)!.error).toBe(
      'unknown metric "retired_metric"',
    );
    expect(report.rules.find((r) => r.rule_id === ok.id)!.notifications).toHaveLength(1);
  });

  it('sends a test notification with the current worst value, changing no state', async () => {
    const rule = await create({
      name: 't',
      metric: 'tool_error_rate',
      critical: 0.5,
      group_by: 'tool',
    });
    const { notification, deliveries } = await sendTest(engine, rule, NOW);
    expect(notification).toMatchObject({
      kind: 'test',
      group: 'search',
      value: 0.75,
      severity: 'critical',
      history_id: null,
    });
    expect(deliveries).toMatchObject([{ ok: true, attempts: 1 }]);
    expect(await alerts.states(rule.id)).toEqual([]);
    expect(await alerts.listHistory({ rule_id: rule.id, limit: 10 })).toEqual([]);
  });

  it('evaluations in one process never overlap: one incident, one notification', async () => {
    const rule = await create({ name: 'dup', metric: 'requests', critical: 1, window: '400d' });
    // The scheduler, POST /v1/alerts/evaluate and `cairn alerts evaluate` at the same moment.
    const reports = await Promise.all([1, 2, 3].map(() => evaluateAll(engine, NOW)));
    expect(reports.flatMap((r) => r.rules.map((x) => x.error))).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    const history = await alerts.listHistory({ rule_id: rule.id, limit: 10 });
    expect(history.map((h) => h.kind)).toEqual(['firing']);
    expect(hook.received).toHaveLength(1);
    expect(await alerts.states(rule.id)).toMatchObject([{ state: 'firing' }]);
  });

  it('the scheduler evaluates on its own timer and stops cleanly', async () => {
    await create({ name: 'volume', metric: 'requests', critical: 1, window: '400d' });
    const scheduler = startAlertScheduler(engine, 20);
    for (let i = 0; i < 250 && hook.received.length === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    await scheduler.stop();
    expect(hook.received.length).toBe(1);
  });
});
