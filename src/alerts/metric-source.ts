import { summary, type SummaryRow } from '../query/summary.js';
import { DIMENSION_COLUMNS } from '../rollups/definitions.js';
import type { Store } from '../store/store.js';
import type { Observation } from './evaluate.js';
import { ALERT_METRICS } from './metrics.js';
import type { AlertRule } from './rule.js';

/** The group key of a rule without group_by. */
export const WHOLE = '';

/**
 * Reads a rule's metric over [now − window, now), per group, always scoped to the rule's
 * workspace. Summary metrics go through the query layer's summary (rollups where they can
 * answer, raw events for ragged edges and by=user), so an alert sees the numbers a dashboard
 * shows. Events without a value for the group-by dimension belong to no group and are skipped.
 */
export async function readSeries(
  store: Store,
  rule: AlertRule,
  now: number,
): Promise<Observation[]> {
  const def = Object.hasOwn(ALERT_METRICS, rule.metric) ? ALERT_METRICS[rule.metric] : undefined;
  // A stored rule from a newer version (or edited by hand) may name a metric unknown here.
  if (!def) throw new Error(`unknown metric "${rule.metric}"`);
  if (def.source === 'jsonrpc') return jsonRpcErrors(store, rule, now);
  const type = 'type' in def ? def.type : rule.type;
  const { rows } = await summary(store, {
    from: now - rule.window_ms,
    to: now,
    by: rule.group_by ?? null,
    workspace: rule.workspace,
    type,
  });
  const grouped = rule.group_by !== undefined;
  const enough = (r: SummaryRow) =>
    rule.min_requests === undefined || r.requests >= rule.min_requests;
  return rows
    .filter((r) => !grouped || r.key !== null)
    .map((r) => ({
      group: grouped ? r.key! : WHOLE,
      value: enough(r) ? def.value(r, rule.budget_usd) : null,
    }));
}

/**
 * Failed events whose error code is a negative integer, as JSON-RPC 2.0 codes are (-32700,
 * -32601 …; servers' own codes are conventionally negative too), so HTTP statuses such as 429
 * are not counted. Grouped in the database by (group, code), so what is read is bounded by
 * distinct codes; the integer test happens here because SQLite and PostgreSQL spell it differently.
 */
async function jsonRpcErrors(store: Store, rule: AlertRule, now: number): Promise<Observation[]> {
  const column = rule.group_by === undefined ? null : DIMENSION_COLUMNS[rule.group_by];
  let q = store.reader
    .selectFrom('events')
    .where('workspace', '=', rule.workspace)
    .where('ts', '>=', now - rule.window_ms)
    .where('ts', '<', now)
    .where('status', 'in', ['error', 'timeout'])
    .where('error_code', 'is not', null);
  if (rule.type !== undefined) q = q.where('type', '=', rule.type);
  const rows = await q
    .select((eb) => [
      column === null ? eb.val(WHOLE).as('g') : eb.ref(column).as('g'),
      'error_code',
      eb.fn.countAll<number>().as('n'),
    ])
    .groupBy(column === null ? ['error_code'] : [column, 'error_code'])
    .execute();
  const counts = new Map<string, number>();
  if (column === null) counts.set(WHOLE, 0);
  for (const r of rows) {
    if (r.g === null || !/^-\d+$/.test((r.error_code ?? '').trim())) continue;
    counts.set(String(r.g), (counts.get(String(r.g)) ?? 0) + Number(r.n));
  }
  return [...counts].map(([group, value]) => ({ group, value }));
}
