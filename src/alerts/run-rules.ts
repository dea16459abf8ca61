import type { Engine } from '../engine.js';
import type { Store } from '../store/store.js';
import {
  AlertStore,
  type Delivery,
  type DeliveryStatus,
  type HistoryEntry,
} from './alert-store.js';
import { deliver } from './channels/index.js';
import { evaluate, severityOf, type EvalRule, type GroupState } from './evaluate.js';
import { readSeries, WHOLE } from './metric-source.js';
import { ALERT_METRICS } from './metrics.js';
import { notificationOf, type AlertNotification } from './notification.js';
import type { AlertRule } from './rule.js';

/** A channel that has failed this many times is given up on for that notification. */
export const MAX_DELIVERY_ATTEMPTS = 10;
/** Undelivered notifications retried per evaluation, oldest first. */
const RETRY_BATCH = 100;

export interface RuleReport {
  rule_id: string;
  /** Groups not ok after this evaluation. */
  states: GroupState[];
  /** Notifications this evaluation sent (or tried to). */
  notifications: HistoryEntry[];
  /** Why the rule could not be evaluated (it is tried again next time). */
  error?: string;
}

export interface EvaluationReport {
  at: number;
  rules: RuleReport[];
  /** Earlier notifications whose failed deliveries were retried. */
  retried: number;
}

/**
 * The tail of the evaluation passes of this process. The scheduler, POST /v1/alerts/evaluate
 * and `cairn alerts evaluate` may ask at once; passes run one after another, never overlapping,
 * so a transition is not seen (and notified) twice. Several processes on one database each
 * evaluate on their own (docs/alerts.md).
 */
let lastPass: Promise<unknown> = Promise.resolve();

/**
 * One evaluation pass: retry failed deliveries, then evaluate every enabled rule of every
 * workspace at `now`. A failing rule or channel is reported and never stops the others — this
 * runs inside the server process and must not crash it. Waits for a pass in progress first.
 */
export function evaluateAll(engine: Engine, now?: number): Promise<EvaluationReport> {
  const pass = lastPass.then(() => evaluatePass(engine, now ?? Date.now()));
  lastPass = pass.catch(() => undefined);
  return pass;
}

async function evaluatePass(engine: Engine, now: number): Promise<EvaluationReport> {
  const alerts = new AlertStore(engine.store);
  const retried = await retryUndelivered(alerts, now);
  const rules: RuleReport[] = [];
  for (const rule of await alerts.listRules({ enabled: true }))
    rules.push(
      await evaluateRule(engine.store, alerts, rule, now).catch((err: unknown) =>
        failed(rule, err),
      ),
    );
  return { at: now, rules, retried };
}

function failed(rule: AlertRule, err: unknown): RuleReport {
  const error = err instanceof Error ? err.message : String(err);
  console.error(`cairn: alert rule ${rule.id} (${rule.name}) failed to evaluate: ${error}`);
  return { rule_id: rule.id, states: [], notifications: [], error };
}

/** What the pure evaluator needs of a stored rule. */
export function evalRuleOf(rule: AlertRule): EvalRule {
  return {
    condition: rule.condition,
    warning: rule.warning,
    critical: rule.critical,
    for_ms: rule.for_ms,
    renotify_ms: rule.renotify_ms,
    no_data: rule.no_data,
    absent_is_zero: ALERT_METRICS[rule.metric].sum,
  };
}

/** Reads, evaluates, stores the new states, records and delivers the notifications. */
export async function evaluateRule(
  store: Store,
  alerts: AlertStore,
  rule: AlertRule,
  now: number,
): Promise<RuleReport> {
  const series = await readSeries(store, rule, now);
  const result = evaluate(evalRuleOf(rule), series, await alerts.states(rule.id), now);
  await alerts.saveStates(rule.id, result);
  const notifications: HistoryEntry[] = [];
  for (const event of result.events) {
    const entry = await alerts.addHistory(rule, event);
    notifications.push(await deliverEntry(alerts, rule, entry, now));
  }
  return { rule_id: rule.id, states: result.states, notifications };
}

/** Sends an entry to every channel that has not yet accepted it, and records the outcome. */
async function deliverEntry(
  alerts: AlertStore,
  rule: AlertRule,
  entry: HistoryEntry,
  now: number,
): Promise<HistoryEntry> {
  const n = notificationOf(rule, entry);
  const deliveries = await Promise.all(
    rule.channels.map((channel, i) => {
      const before = entry.deliveries.find((d) => d.channel === i);
      if (before && (before.ok || before.attempts >= MAX_DELIVERY_ATTEMPTS)) return before;
      return attempt(rule, i, n, now, before?.attempts ?? 0);
    }),
  );
  const status = statusOf(deliveries);
  await alerts.setDeliveries(entry.id, deliveries, status);
  return { ...entry, deliveries, delivery_status: status };
}

async function attempt(
  rule: AlertRule,
  i: number,
  n: AlertNotification,
  now: number,
  attempts: number,
): Promise<Delivery> {
  const channel = rule.channels[i]!;
  const base = { channel: i, type: channel.type, attempts: attempts + 1, at: now };
  try {
    await deliver(channel, n, now);
    return { ...base, ok: true };
  } catch (err) {
    return { ...base, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** gave_up: some channel failed MAX_DELIVERY_ATTEMPTS times (or the rule is gone). */
function statusOf(deliveries: readonly Delivery[]): DeliveryStatus {
  if (deliveries.length === 0) return 'none';
  const ok = deliveries.filter((d) => d.ok).length;
  if (ok === deliveries.length) return 'sent';
  if (deliveries.every((d) => d.ok || d.attempts >= MAX_DELIVERY_ATTEMPTS)) return 'gave_up';
  return ok === 0 ? 'failed' : 'partial';
}

async function retryUndelivered(alerts: AlertStore, now: number): Promise<number> {
  const pending = await alerts.undelivered(RETRY_BATCH);
  for (const entry of pending) {
    const rule = await alerts.getRule(entry.rule_id);
    if (rule) await deliverEntry(alerts, rule, entry, now);
    else await alerts.setDeliveries(entry.id, entry.deliveries, 'gave_up');
  }
  return pending.length;
}

/**
 * Sends a test notification to every channel of a rule, with the metric's current value (the
 * worst group's for a grouped rule). Changes no state and records no history.
 */
export async function sendTest(engine: Engine, rule: AlertRule, now = Date.now()) {
  const series = await readSeries(engine.store, rule, now);
  const worst = worstOf(rule, series);
  const severity = worst.value === null ? null : severityOf(evalRuleOf(rule), worst.value);
  const n = notificationOf(
    rule,
    {
      id: null,
      kind: 'firing',
      group: worst.group,
      state: severity ? 'firing' : 'ok',
      severity,
      value: worst.value,
      threshold: rule.critical ?? rule.warning,
      at: now,
    },
    'test',
  );
  const deliveries = await Promise.all(rule.channels.map((_, i) => attempt(rule, i, n, now, 0)));
  return { notification: n, deliveries };
}

function worstOf(rule: AlertRule, series: ReadonlyArray<{ group: string; value: number | null }>) {
  const sign = rule.condition === 'above' ? 1 : -1;
  let worst: { group: string; value: number | null } = { group: WHOLE, value: null };
  for (const o of series)
    if (o.value !== null && (worst.value === null || sign * (o.value - worst.value) > 0)) worst = o;
  return worst;
}
