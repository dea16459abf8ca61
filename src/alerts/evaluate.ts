import type { NoDataPolicy } from './rule.js';

/**
 * Alert evaluation as a pure function: a rule, the metric's values at one instant (per group),
 * the groups' previous states and the time in; the next states and the notifications out. No I/O
 * and no clock, so tests drive it with tables of series and expected transitions.
 *
 * States: ok (stored as the absence of a row), pending (breaching, waiting out the for-duration),
 * firing, resolved (was firing or no_data, now ok; becomes ok at the next ok evaluation) and
 * no_data (the no-data policy `no_data` met a missing value). A firing episode interrupted by
 * no_data goes on when the data comes back in breach: back to firing, with no new `firing`.
 */
export const ALERT_STATES = ['ok', 'pending', 'firing', 'resolved', 'no_data'] as const;
export type AlertState = (typeof ALERT_STATES)[number];
export type Severity = 'warning' | 'critical';

/** What the evaluator needs of a rule. */
export interface EvalRule {
  condition: 'above' | 'below';
  warning: number | null;
  critical: number | null;
  for_ms: number;
  /** 0: notify once per firing. */
  renotify_ms: number;
  no_data: NoDataPolicy;
  /** Sums are 0 for a group the query no longer returns; ratios and quantiles have no data. */
  absent_is_zero: boolean;
}

/** One group's value at this evaluation; null when the metric is undefined (no events). */
export interface Observation {
  group: string;
  value: number | null;
}

/**
 * A group's remembered state (every state but ok is stored). `severity`: for no_data, that of
 * the firing episode it interrupted (null when the group was not firing); for resolved, the last.
 */
export interface GroupState {
  group: string;
  state: Exclude<AlertState, 'ok'>;
  severity: Severity | null;
  value: number | null;
  /**
   * When the group entered this state (pending: when the breach began; firing: when it reached
   * its current severity, so an acknowledgement is of one severity).
   */
  since: number;
  last_notified_at: number | null;
  /** Silences re-notification until the state or severity changes. */
  acknowledged: boolean;
}

export const NOTIFICATION_KINDS = [
  'firing',
  'severity',
  'renotify',
  'resolved',
  'no_data',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Something to tell the rule's channels about. */
export interface AlertEvent {
  group: string;
  kind: NotificationKind;
  state: AlertState;
  severity: Severity | null;
  value: number | null;
  threshold: number | null;
  at: number;
}

export interface Evaluation {
  /** Every group's state after this evaluation, ok ones left out. */
  states: GroupState[];
  /** Groups that had a stored state and are now ok. */
  cleared: string[];
  events: AlertEvent[];
}

/** Evaluates every group seen now or remembered from before. */
export function evaluate(
  rule: EvalRule,
  series: readonly Observation[],
  previous: readonly GroupState[],
  now: number,
): Evaluation {
  const values = new Map(series.map((o) => [o.group, o.value]));
  const before = new Map(previous.map((s) => [s.group, s]));
  const out: Evaluation = { states: [], cleared: [], events: [] };
  for (const group of new Set([...values.keys(), ...before.keys()])) {
    const prev = before.get(group);
    // A group that vanished while ok or resolved is simply forgotten: per-user rules must not
    // keep (or alert on) every user who was ever seen.
    if (!values.has(group) && prev?.state === 'resolved') {
      out.cleared.push(group);
      continue;
    }
    const value = values.has(group) ? values.get(group)! : rule.absent_is_zero ? 0 : null;
    const { next, event } = step(rule, prev, group, value, now);
    if (next) out.states.push(next);
    else if (prev) out.cleared.push(group);
    if (event) out.events.push(event);
  }
  return out;
}

/** The severity a value breaches, if any. */
export function severityOf(rule: EvalRule, value: number): Severity | null {
  const breaches = (t: number | null) =>
    t !== null && (rule.condition === 'above' ? value > t : value < t);
  if (breaches(rule.critical)) return 'critical';
  return breaches(rule.warning) ? 'warning' : null;
}

type Signal = { severity: Severity | null } | 'keep' | 'no_data';

/** A value becomes a severity; a missing one goes through the no-data policy. */
function signalOf(rule: EvalRule, value: number | null): Signal {
  if (value !== null) return { severity: severityOf(rule, value) };
  if (rule.no_data === 'keep' || rule.no_data === 'no_data') return rule.no_data;
  return { severity: rule.no_data === 'alerting' ? 'critical' : null };
}

interface Step {
  next: GroupState | null;
  event: AlertEvent | null;
}

function step(
  rule: EvalRule,
  prev: GroupState | undefined,
  group: string,
  value: number | null,
  now: number,
): Step {
  const signal = signalOf(rule, value);
  if (signal === 'keep') return { next: prev ?? null, event: null };
  const enter = (state: GroupState['state'], severity: Severity | null): GroupState => ({
    group,
    state,
    severity,
    value,
    since: now,
    last_notified_at: prev?.last_notified_at ?? null,
    acknowledged: false,
  });
  if (signal === 'no_data') {
    if (prev?.state === 'no_data') return { next: { ...prev, value }, event: null };
    // The no_data state keeps the severity of the firing episode it interrupted (null when the
    // group was not firing), so the episode can go on when the data comes back.
    return notify(rule, enter('no_data', firingSeverity(prev)), 'no_data', now);
  }
  const { severity } = signal;
  if (severity === null) {
    if (prev?.state === 'firing' || prev?.state === 'no_data')
      return notify(rule, { ...enter('resolved', null), severity: prev.severity }, 'resolved', now);
    return { next: null, event: null };
  }
  if (prev?.state === 'firing') return whileFiring(rule, prev, severity, value, now);
  if (prev?.state === 'no_data' && prev.severity !== null) {
    // Back in breach from a firing episode: the same incident, already announced. It fires again
    // at once, telling only of a severity change; reminders count from the last notification.
    const next = enter('firing', severity);
    return severity === prev.severity ? { next, event: null } : notify(rule, next, 'severity', now);
  }
  if (prev?.state === 'pending') {
    if (now - prev.since >= rule.for_ms)
      return notify(rule, enter('firing', severity), 'firing', now);
    return { next: { ...prev, severity, value }, event: null };
  }
  if (rule.for_ms === 0) return notify(rule, enter('firing', severity), 'firing', now);
  return { next: enter('pending', severity), event: null };
}

/** Still breaching: tell of a severity change, or remind when the re-notify interval is up. */
function whileFiring(
  rule: EvalRule,
  prev: GroupState,
  severity: Severity,
  value: number | null,
  now: number,
): Step {
  const next = { ...prev, severity, value };
  // A severity change starts a new episode for acknowledgement: `since` moves to now, so an
  // acknowledgement of a notification sent before it no longer matches (alert-store.ts).
  if (severity !== prev.severity)
    return notify(rule, { ...next, since: now, acknowledged: false }, 'severity', now);
  const due =
    rule.renotify_ms > 0 &&
    !prev.acknowledged &&
    now - (prev.last_notified_at ?? prev.since) >= rule.renotify_ms;
  return due ? notify(rule, next, 'renotify', now) : { next, event: null };
}

/** The severity a group is firing at; null when it is not firing. */
function firingSeverity(prev: GroupState | undefined): Severity | null {
  return prev?.state === 'firing' ? prev.severity : null;
}

function notify(rule: EvalRule, next: GroupState, kind: NotificationKind, now: number): Step {
  // A no_data notification has no severity or threshold (its state remembers the episode's).
  const severity = next.state === 'no_data' ? null : next.severity;
  return {
    next: { ...next, last_notified_at: now },
    event: {
      group: next.group,
      kind,
      state: next.state,
      severity,
      value: next.value,
      threshold: thresholdOf(rule, severity),
      at: now,
    },
  };
}

function thresholdOf(rule: EvalRule, severity: Severity | null): number | null {
  if (severity === 'critical') return rule.critical;
  return severity === 'warning' ? rule.warning : null;
}
