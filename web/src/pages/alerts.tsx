import type { AlertHistoryRow, AlertRuleRow } from '../api-types.js';
import { DataTable, type Column } from '../components/data-table.js';
import { Panel } from '../components/panel.js';
import { fmtInt, fmtText } from '../format.js';
import { useApi } from '../use-api.js';
import { useView } from '../view.js';

/**
 * Alerts: the workspace's rules and their notifications, newest first (docs/alerts.md). Rules
 * are created and acknowledged with `cairn alerts` or POST /v1/alerts; this page shows them.
 */
export function AlertsPage() {
  const ctx = useView();
  const scope = ctx.workspace === undefined ? {} : { workspace: ctx.workspace };
  const rules = useApi('alerts', scope);
  const history = useApi('alerts/history', { ...scope, limit: 200 });
  const names = new Map((rules.state === 'ok' ? rules.data.rules : []).map((r) => [r.id, r.name]));
  return (
    <div class="grid">
      <Panel id="alert-rules" title="Rules" loaded={rules} wide>
        {(d) =>
          d.rules.length === 0 ? (
            <p class="muted">
              No alert rules. Create one with <code>cairn alerts create</code>.
            </p>
          ) : (
            <DataTable id="alert-rules" columns={RULE_COLUMNS} rows={d.rules} />
          )
        }
      </Panel>
      <Panel id="alert-history" title="Notifications" loaded={history} wide>
        {(d) =>
          d.history.length === 0 ? (
            <p class="muted">Nothing has fired.</p>
          ) : (
            <DataTable id="alert-history" columns={historyColumns(names)} rows={d.history} />
          )
        }
      </Panel>
    </div>
  );
}

const RULE_COLUMNS: Column<AlertRuleRow>[] = [
  { id: 'name', label: 'Rule', value: (r) => r.name },
  { id: 'metric', label: 'Metric', value: (r) => r.metric + (r.type ? ` (${r.type})` : '') },
  {
    id: 'thresholds',
    label: 'Warning / critical',
    value: (r) => r.critical ?? r.warning,
    text: (r) => `${r.condition === 'above' ? '>' : '<'} ${num(r.warning)} / ${num(r.critical)}`,
  },
  { id: 'window', label: 'Window', value: (r) => r.window_ms, text: (r) => duration(r.window_ms) },
  {
    id: 'group_by',
    label: 'Per',
    value: (r) => r.group_by ?? null,
    text: (r) => fmtText(r.group_by),
  },
  {
    id: 'channels',
    label: 'Channels',
    value: (r) => r.channels.map((c) => c.type).join(', ') || null,
    text: (r) => fmtText(r.channels.map((c) => c.type).join(', ') || null),
  },
  { id: 'enabled', label: 'Enabled', value: (r) => (r.enabled ? 'yes' : 'no') },
];

function historyColumns(names: ReadonlyMap<string, string>): Column<AlertHistoryRow>[] {
  return [
    { id: 'at', label: 'Time (UTC)', value: (r) => r.at, text: (r) => isoMinute(r.at) },
    { id: 'rule', label: 'Rule', value: (r) => names.get(r.rule_id) ?? r.rule_id },
    {
      id: 'group',
      label: 'Group',
      value: (r) => r.group || null,
      text: (r) => fmtText(r.group || null),
    },
    { id: 'kind', label: 'Notification', value: (r) => r.kind },
    {
      id: 'severity',
      label: 'Severity',
      value: (r) => r.severity,
      text: (r) => fmtText(r.severity),
    },
    { id: 'value', label: 'Value', value: (r) => r.value, text: (r) => num(r.value) },
    { id: 'delivery', label: 'Delivery', value: (r) => r.delivery_status },
    {
      id: 'ack',
      label: 'Acknowledged',
      value: (r) => r.acknowledged_at,
      text: (r) =>
        r.acknowledged_at === null
          ? '—'
          : `${isoMinute(r.acknowledged_at)} ${r.acknowledged_by ?? ''}`.trim(),
    },
  ];
}

function num(n: number | null): string {
  if (n === null) return '—';
  return Number.isInteger(n) ? fmtInt(n) : String(Number(n.toPrecision(4)));
}

function duration(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
  ] as const)
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms / 1000}s`;
}

function isoMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}
