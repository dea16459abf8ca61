import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertStore } from '../../src/alerts/alert-store.js';
import {
  evaluate,
  type AlertEvent,
  type EvalRule,
  type GroupState,
} from '../../src/alerts/evaluate.js';
import { ruleInput, type AlertRule } from '../../src/alerts/rule.js';
import type { Engine } from '../../src/engine.js';
import { openTestEngine, postgresAvailable, type BackendName } from '../support/databases.js';

/** The alert store on every backend, against a real database each. */
const backends: BackendName[] = ['sqlite', 'pglite'];
if (await postgresAvailable()) backends.push('postgres');

const T = Date.parse('2026-11-20T12:00:00Z');
const spec = (over: Record<string, unknown> = {}) =>
  ruleInput.parse({
    workspace: 'acme',
    name: 'errors',
    metric: 'error_rate',
    critical: 0.1,
    group_by: 'tool',
    channels: [{ type: 'webhook', url: 'http://127.0.0.1:9/x', secret: 's'.repeat(16) }],
    ...over,
  });

const firing = (group: string, since: number): GroupState => ({
  group,
  state: 'firing',
  severity: 'critical',
  value: 0.25,
  since,
  last_notified_at: since,
  acknowledged: false,
});

const event = (group: string, at: number): AlertEvent => ({
  group,
  kind: 'firing',
  state: 'firing',
  severity: 'critical',
  value: 0.25,
  threshold: 0.1,
  at,
});

describe.each(backends)('alert store on %s', (backend) => {
  let engine: Engine;
  let alerts: AlertStore;
  let rule: AlertRule;
  beforeAll(async () => {
    engine = await openTestEngine(backend);
    alerts = new AlertStore(engine.store);
    rule = await alerts.createRule(spec(), T);
  });
  afterAll(() => engine.close());

  it('stores a rule and reads it back whole', async () => {
    expect(await alerts.getRule(rule.id)).toEqual(rule);
    expect(rule).toMatchObject({
      window_ms: 300_000,
      for_ms: 0,
      no_data: 'no_data',
      enabled: true,
    });
    expect(await alerts.getRule('nope')).toBeNull();
  });

  it('lists by workspace and enabled flag', async () => {
    const other = await alerts.createRule(spec({ workspace: 'other', name: 'b' }), T);
    await alerts.updateRule(other, { ...other, enabled: false }, T + 1);
    expect((await alerts.listRules({ workspace: 'acme' })).map((r) => r.id)).toEqual([rule.id]);
    expect((await alerts.listRules({ enabled: true })).map((r) => r.id)).toEqual([rule.id]);
    expect(await alerts.listRules({ enabled: false })).toMatchObject([
      { id: other.id, enabled: false, updated_at: T + 1 },
    ]);
  });

  it('replaces states: upserts the given groups and clears the ok ones', async () => {
    await alerts.saveStates(rule.id, { states: [firing('a', T), firing('b', T)], cleared: [] });
    await alerts.saveStates(rule.id, {
      states: [{ ...firing('b', T), state: 'resolved', value: null, severity: null }],
      cleared: ['a'],
    });
    expect(await alerts.states(rule.id)).toEqual([
      { ...firing('b', T), state: 'resolved', value: null, severity: null },
    ]);
  });

  it('saves states as an upsert: concurrent saves of one group do not collide', async () => {
    const save = (value: number) =>
      alerts.saveStates(rule.id, { states: [{ ...firing('z', T), value }], cleared: [] });
    await Promise.all([save(1), save(2), save(3), save(4)]);
    const z = (await alerts.states(rule.id)).filter((s) => s.group === 'z');
    expect(z).toHaveLength(1);
    await alerts.saveStates(rule.id, { states: [], cleared: ['z'] });
  });

  it('records history, deliveries, and lists newest first', async () => {
    const h1 = await alerts.addHistory(rule, event('a', T));
    const h2 = await alerts.addHistory(rule, event('b', T + 60_000));
    expect(h1.delivery_status).toBe('failed'); // nothing delivered yet
    const deliveries = [{ channel: 0, type: 'webhook' as const, ok: true, attempts: 1, at: T }];
    await alerts.setDeliveries(h1.id, deliveries, 'sent');
    expect(await alerts.getHistory(h1.id)).toMatchObject({ deliveries, delivery_status: 'sent' });
    const listed = await alerts.listHistory({ workspace: 'acme', limit: 10 });
    expect(listed.map((h) => h.id)).toEqual([h2.id, h1.id]);
    expect(listed[1]).toMatchObject({ group: 'a', value: 0.25, threshold: 0.1, at: T });
    expect((await alerts.undelivered(10)).map((h) => h.id)).toEqual([h2.id]);
    expect(await alerts.listHistory({ workspace: 'other', limit: 10 })).toEqual([]);
  });

  it('acknowledges an entry and silences the state of the same episode only', async () => {
    await alerts.saveStates(rule.id, {
      states: [firing('c', T), firing('d', T + 120_000)],
      cleared: [],
    });
    const hc = await alerts.addHistory(rule, event('c', T));
    const stale = await alerts.addHistory(rule, event('d', T)); // before d's current episode
    const acked = await alerts.acknowledge(hc.id, 'ann', 'looking', T + 5);
    expect(acked).toMatchObject({
      acknowledged_at: T + 5,
      acknowledged_by: 'ann',
      note: 'looking',
    });
    await alerts.acknowledge(stale.id, null, null, T + 6);
    const states = Object.fromEntries((await alerts.states(rule.id)).map((s) => [s.group, s]));
    expect(states.c!.acknowledged).toBe(true);
    expect(states.d!.acknowledged).toBe(false);
    expect(await alerts.acknowledge('missing', null, null, T)).toBeNull();
  });

  it('an acknowledgement applies only to the severity it acknowledged', async () => {
    const MIN = 60_000;
    const evalRule: EvalRule = {
      condition: 'above',
      warning: 0.05,
      critical: 0.1,
      for_ms: 0,
      renotify_ms: 10 * MIN,
      no_data: 'no_data',
      absent_is_zero: false,
    };
    /** One evaluation of group e, stored and recorded like run-rules does. */
    const step = async (at: number, value: number) => {
      const before = (await alerts.states(rule.id)).filter((s) => s.group === 'e');
      const e = evaluate(evalRule, [{ group: 'e', value }], before, at);
      await alerts.saveStates(rule.id, e);
      return Promise.all(e.events.map((ev) => alerts.addHistory(rule, ev)));
    };
    const [warning] = await step(T, 0.07);
    const [critical] = await step(T + MIN, 0.2);
    expect([warning!.kind, critical!.kind]).toEqual(['firing', 'severity']);
    // Acknowledging the earlier warning does not silence the critical episode's reminders.
    await alerts.acknowledge(warning!.id, 'ann', null, T + 2 * MIN);
    expect((await step(T + 11 * MIN, 0.2)).map((h) => [h.kind, h.severity])).toEqual([
      ['renotify', 'critical'],
    ]);
    // Acknowledging the critical one does.
    await alerts.acknowledge(critical!.id, 'ann', null, T + 12 * MIN);
    expect(await step(T + 30 * MIN, 0.2)).toEqual([]);
  });

  it('deletes a rule with its states and keeps its history', async () => {
    expect(await alerts.deleteRule(rule.id)).toBe(true);
    expect(await alerts.deleteRule(rule.id)).toBe(false);
    expect(await alerts.states(rule.id)).toEqual([]);
    expect((await alerts.listHistory({ rule_id: rule.id, limit: 10 })).length).toBe(7);
  });
});
