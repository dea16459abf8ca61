import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { AlertStore, type HistoryEntry } from '../../alerts/alert-store.js';
import { ALERT_METRICS } from '../../alerts/metrics.js';
import { parseOrThrow } from '../../alerts/parse.js';
import { NO_DATA_POLICIES, publicRule, ruleInput, type AlertRule } from '../../alerts/rule.js';
import { evaluateAll, sendTest } from '../../alerts/run-rules.js';
import { CairnError } from '../../core/errors.js';
import type { Engine } from '../../engine.js';
import { formatResult } from '../format-rows.js';
import { DEFAULT_DB, dbOption, withEngine } from '../with-engine.js';

type Format = 'table' | 'json';
const formatOption = () =>
  new Option('--format <format>', 'output format').choices(['table', 'json']).default('table');
const collect = (v: string, all: string[] = []) => [...all, v];
const number = (v: string) => (v.trim() === '' ? NaN : Number(v));

interface CreateOptions {
  db: string;
  file?: string;
  workspace: string;
  name?: string;
  metric?: string;
  type?: string;
  below?: boolean;
  warning?: number;
  critical?: number;
  budget?: number;
  window?: string;
  groupBy?: string;
  minRequests?: number;
  for?: string;
  onNoData?: string;
  renotify?: string;
  webhook?: string[];
  secret?: string;
  slack?: string[];
  email?: string[];
  smtp?: string;
  from?: string;
}

/** The rule a `create` describes: a JSON file, or options (which override the file's fields). */
export function ruleFromOptions(o: CreateOptions): unknown {
  const file = o.file === undefined ? {} : (JSON.parse(readFileSync(o.file, 'utf8')) as object);
  const channels = [
    ...(o.webhook ?? []).map((url) => ({
      type: 'webhook',
      url,
      ...(o.secret ? { secret: o.secret } : {}),
    })),
    ...(o.slack ?? []).map((url) => ({ type: 'slack', url })),
    ...(o.email?.length
      ? [{ type: 'email', to: o.email, smtp: o.smtp, ...(o.from ? { from: o.from } : {}) }]
      : []),
  ];
  const fields = {
    workspace: o.workspace,
    name: o.name,
    metric: o.metric,
    type: o.type,
    condition: o.below ? 'below' : undefined,
    warning: o.warning,
    critical: o.critical,
    budget_usd: o.budget,
    window: o.window,
    group_by: o.groupBy,
    min_requests: o.minRequests,
    for: o.for,
    no_data: o.onNoData,
    renotify: o.renotify,
    channels: channels.length ? channels : undefined,
  };
  const given = Object.entries(fields).filter(([, v]) => v !== undefined);
  return { ...file, ...Object.fromEntries(given) };
}

async function runCreate(engine: Engine, o: CreateOptions, format: Format): Promise<number> {
  const rule = await new AlertStore(engine.store).createRule(
    parseOrThrow(ruleInput, ruleFromOptions(o)),
    Date.now(),
  );
  if (format === 'json') console.log(JSON.stringify(publicRule(rule), null, 2));
  else console.log(`created alert rule ${rule.id} (${rule.name}) in workspace ${rule.workspace}`);
  return 0;
}

function ruleRow(r: AlertRule) {
  const op = r.condition === 'above' ? '>' : '<';
  return {
    id: r.id,
    workspace: r.workspace,
    name: r.name,
    metric: r.metric + (r.group_by ? ` by ${r.group_by}` : ''),
    warning: r.warning === null ? '' : `${op} ${r.warning}`,
    critical: r.critical === null ? '' : `${op} ${r.critical}`,
    window_ms: r.window_ms,
    enabled: r.enabled,
    channels: r.channels.map((c) => c.type).join(','),
  };
}

async function runList(engine: Engine, workspace: string | undefined, format: Format) {
  const rules = await new AlertStore(engine.store).listRules({ workspace });
  if (format === 'json') console.log(JSON.stringify(rules.map(publicRule), null, 2));
  else if (rules.length === 0) console.log('no alert rules');
  else console.log(formatResult({ rows: rules.map(ruleRow) }, 'table'));
  return 0;
}

async function runTest(engine: Engine, id: string): Promise<number> {
  const rule = await new AlertStore(engine.store).getRule(id);
  if (!rule) throw new CairnError('not_found', `no alert rule ${id}`);
  if (rule.channels.length === 0) console.log(`rule ${id} has no channels`);
  const { notification, deliveries } = await sendTest(engine, rule);
  console.log(`current value: ${notification.value ?? 'no data'} (${notification.state})`);
  for (const d of deliveries)
    console.log(`channel ${d.channel} (${d.type}): ${d.ok ? 'delivered' : `failed: ${d.error}`}`);
  return deliveries.every((d) => d.ok) ? 0 : 1;
}

function historyRow(h: HistoryEntry) {
  return {
    id: h.id,
    at: new Date(h.at).toISOString(),
    rule_id: h.rule_id,
    group: h.group,
    kind: h.kind,
    severity: h.severity ?? '',
    value: h.value,
    delivery: h.delivery_status,
    acknowledged: h.acknowledged_at === null ? '' : (h.acknowledged_by ?? 'yes'),
  };
}

async function runHistory(
  engine: Engine,
  o: { workspace?: string; rule?: string; limit: number },
  format: Format,
): Promise<number> {
  const history = await new AlertStore(engine.store).listHistory({
    workspace: o.workspace,
    rule_id: o.rule,
    limit: o.limit,
  });
  if (format === 'json') console.log(JSON.stringify(history, null, 2));
  else if (history.length === 0) console.log('no alert history');
  else console.log(formatResult({ rows: history.map(historyRow) }, 'table'));
  return 0;
}

async function runAck(engine: Engine, id: string, o: { by?: string; note?: string }) {
  const entry = await new AlertStore(engine.store).acknowledge(
    id,
    o.by ?? null,
    o.note ?? null,
    Date.now(),
  );
  if (!entry) throw new CairnError('not_found', `no alert history entry ${id}`);
  console.log(`acknowledged ${id} (${entry.kind} of rule ${entry.rule_id})`);
  return 0;
}

async function runDelete(engine: Engine, id: string): Promise<number> {
  const deleted = await new AlertStore(engine.store).deleteRule(id);
  console.log(deleted ? `deleted alert rule ${id}` : `no alert rule ${id}`);
  return deleted ? 0 : 1;
}

async function runEvaluate(engine: Engine, format: Format): Promise<number> {
  const report = await evaluateAll(engine);
  if (format === 'json') console.log(JSON.stringify(report, null, 2));
  else
    for (const r of report.rules)
      console.log(
        `${r.rule_id}: ${r.error ? `error: ${r.error}` : `${r.states.length} group(s) not ok, ${r.notifications.length} notification(s)`}`,
      );
  return report.rules.some((r) => r.error) ? 1 : 0;
}

function createCommand(): Command {
  return new Command('create')
    .description('create an alert rule from options or a JSON file (see docs/alerts.md)')
    .addOption(dbOption().default(DEFAULT_DB))
    .option('--file <rule.json>', 'the rule as JSON (options given too override its fields)')
    .option('--workspace <name>', 'workspace the rule watches', 'default')
    .option('--name <name>', 'rule name')
    .addOption(new Option('--metric <metric>', 'what to watch').choices(Object.keys(ALERT_METRICS)))
    .option('--type <type>', 'only events of this type')
    .option('--below', 'breach when the value falls below the thresholds (default: above)')
    .option('--warning <n>', 'warning threshold', number)
    .option('--critical <n>', 'critical threshold', number)
    .option('--budget <usd>', 'cost_budget: the budget over the window, in USD', number)
    .option('--window <duration>', 'evaluation window, e.g. 5m, 1h, 30d (default 5m)')
    .option('--group-by <dimension>', 'a state per tool, user, model …')
    .option(
      '--min-requests <n>',
      'ratios and quantiles: no data below this many events in the window',
      number,
    )
    .option('--for <duration>', 'how long a breach must last before firing (default 0)')
    .addOption(
      new Option('--on-no-data <policy>', 'when there is no value').choices(NO_DATA_POLICIES),
    )
    .option('--renotify <duration>', 'repeat while firing and unacknowledged (default never)')
    .option('--webhook <url>', 'webhook channel (repeatable)', collect)
    .option('--secret <secret>', 'HMAC secret for the --webhook channels')
    .option('--slack <url>', 'Slack incoming-webhook channel (repeatable)', collect)
    .option('--email <address>', 'email recipient (repeatable)', collect)
    .option('--smtp <url>', 'SMTP server for --email: smtp://user:pass@host:port')
    .option('--from <address>', 'sender for --email')
    .addOption(formatOption())
    .action(async (o: CreateOptions & { format: Format }) => {
      await withEngine({ db: o.db }, (e) => runCreate(e, o, o.format));
    });
}

/** `cairn alerts create | list | test | history | ack | delete | evaluate` (issue 8). */
export function alertsCommand(): Command {
  const alerts = new Command('alerts').description('alert rules, their history and delivery');
  alerts.addCommand(createCommand());
  alerts
    .command('list')
    .description('list alert rules')
    .addOption(dbOption().default(DEFAULT_DB))
    .option('--workspace <name>', 'only this workspace')
    .addOption(formatOption())
    .action(async (o: { db: string; workspace?: string; format: Format }) => {
      await withEngine({ db: o.db }, (e) => runList(e, o.workspace, o.format));
    });
  alerts
    .command('test')
    .description("send a test notification to a rule's channels (exit 1 if any fails)")
    .argument('<id>', 'rule id')
    .addOption(dbOption().default(DEFAULT_DB))
    .action(async (id: string, o: { db: string }) => {
      await withEngine({ db: o.db }, (e) => runTest(e, id));
    });
  alerts
    .command('history')
    .description('notifications sent, newest first')
    .addOption(dbOption().default(DEFAULT_DB))
    .option('--workspace <name>', 'only this workspace')
    .option('--rule <id>', 'only this rule')
    .option(
      '--limit <n>',
      'at most N entries',
      (v) => Math.max(1, Math.min(1000, Number(v) || 100)),
      100,
    )
    .addOption(formatOption())
    .action(
      async (o: {
        db: string;
        workspace?: string;
        rule?: string;
        limit: number;
        format: Format;
      }) => {
        await withEngine({ db: o.db }, (e) => runHistory(e, o, o.format));
      },
    );
  alerts
    .command('ack')
    .description('acknowledge a notification: no re-notification until its state changes')
    .argument('<history-id>', 'history entry id')
    .addOption(dbOption().default(DEFAULT_DB))
    .option('--by <who>', 'who acknowledges')
    .option('--note <text>', 'a note')
    .action(async (id: string, o: { db: string; by?: string; note?: string }) => {
      await withEngine({ db: o.db }, (e) => runAck(e, id, o));
    });
  alerts
    .command('delete')
    .description('delete a rule (its history is kept)')
    .argument('<id>', 'rule id')
    .addOption(dbOption().default(DEFAULT_DB))
    .action(async (id: string, o: { db: string }) => {
      await withEngine({ db: o.db }, (e) => runDelete(e, id));
    });
  alerts
    .command('evaluate')
    .description('evaluate every enabled rule once now (what the server does every minute)')
    .addOption(dbOption().default(DEFAULT_DB))
    .addOption(formatOption())
    .action(async (o: { db: string; format: Format }) => {
      await withEngine({ db: o.db }, (e) => runEvaluate(e, o.format));
    });
  return alerts;
}
