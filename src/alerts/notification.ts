import type { HistoryEntry } from './alert-store.js';
import type { AlertState, NotificationKind, Severity } from './evaluate.js';
import type { AlertRule } from './rule.js';

/**
 * What every channel is told: one shape for firing, severity changes, reminders, no data,
 * resolution and test sends (a discriminated `kind`, not one function per case). The webhook
 * channel sends it as JSON; Slack and email render it with `headline` and `detailLines`.
 */
export interface AlertNotification {
  kind: NotificationKind | 'test';
  rule: {
    id: string;
    name: string;
    workspace: string;
    metric: string;
    condition: 'above' | 'below';
    window_ms: number;
    group_by: string | null;
  };
  /** The group's key (a tool, user, model …); null for a rule without group_by. */
  group: string | null;
  state: AlertState;
  severity: Severity | null;
  value: number | null;
  threshold: number | null;
  /** ISO-8601, UTC. */
  at: string;
  /** The history entry to acknowledge; null for a test send. */
  history_id: string | null;
}

/** The notification for a history entry (or, without one, a test send with `probe`'s value). */
export function notificationOf(
  rule: AlertRule,
  entry: Pick<
    HistoryEntry,
    'kind' | 'group' | 'state' | 'severity' | 'value' | 'threshold' | 'at'
  > & {
    id: string | null;
  },
  kind: AlertNotification['kind'] = entry.kind,
): AlertNotification {
  return {
    kind,
    rule: {
      id: rule.id,
      name: rule.name,
      workspace: rule.workspace,
      metric: rule.metric,
      condition: rule.condition,
      window_ms: rule.window_ms,
      group_by: rule.group_by ?? null,
    },
    group: rule.group_by === undefined ? null : entry.group,
    state: entry.state,
    severity: entry.severity,
    value: entry.value,
    threshold: entry.threshold,
    at: new Date(entry.at).toISOString(),
    history_id: entry.id,
  };
}

const LABEL: Record<AlertNotification['kind'], string> = {
  firing: 'FIRING',
  severity: 'SEVERITY CHANGED',
  renotify: 'STILL FIRING',
  resolved: 'RESOLVED',
  no_data: 'NO DATA',
  test: 'TEST',
};

/** One line: `[FIRING critical] High error rate (tool=search)`. */
export function headline(n: AlertNotification): string {
  const sev = n.severity && n.kind !== 'resolved' ? ` ${n.severity}` : '';
  const group = n.group === null ? '' : ` (${n.rule.group_by}=${n.group})`;
  return `[${LABEL[n.kind]}${sev}] ${n.rule.name}${group}`;
}

/** The facts, one per line, for text channels. */
export function detailLines(n: AlertNotification): string[] {
  const op = n.rule.condition === 'above' ? '>' : '<';
  const value = n.value === null ? 'no data' : String(n.value);
  const vs = n.threshold === null ? '' : ` (threshold ${op} ${n.threshold})`;
  return [
    `${n.rule.metric} over ${formatDuration(n.rule.window_ms)}: ${value}${vs}`,
    `state: ${n.state}; workspace: ${n.rule.workspace}; at ${n.at}`,
    `rule ${n.rule.id}${n.history_id ? `; acknowledge: cairn alerts ack ${n.history_id}` : ''}`,
  ];
}

function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ] as const)
    if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}
