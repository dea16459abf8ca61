import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { JsonColumn } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { AlertEvent, AlertState, Evaluation, GroupState, Severity } from './evaluate.js';
import type { AlertRule, Channel, RuleSpec } from './rule.js';

/** How one channel's delivery of one notification went. */
export interface Delivery {
  /** Index into the rule's channels. */
  channel: number;
  type: Channel['type'];
  ok: boolean;
  attempts: number;
  at: number;
  error?: string;
}
/**
 * none: the rule has no channels; failed / partial: all / some channels failed (retried at the
 * next evaluation); gave_up: a channel kept failing, or the rule was deleted.
 */
export type DeliveryStatus = 'none' | 'sent' | 'failed' | 'partial' | 'gave_up';

/** One notification in the history. */
export interface HistoryEntry {
  id: string;
  rule_id: string;
  workspace: string;
  group: string;
  kind: AlertEvent['kind'];
  state: AlertState;
  severity: Severity | null;
  value: number | null;
  threshold: number | null;
  at: number;
  deliveries: Delivery[];
  delivery_status: DeliveryStatus;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  note: string | null;
}

interface AlertTables {
  alert_rules: {
    id: string;
    workspace: string;
    name: string;
    enabled: number;
    definition: JsonColumn;
    created_at: number;
    updated_at: number;
  };
  alert_states: Omit<GroupState, 'group' | 'acknowledged' | 'state'> & {
    state: AlertState;
    rule_id: string;
    group_key: string;
    acknowledged: number;
  };
  alert_history: Omit<HistoryEntry, 'group' | 'deliveries'> & {
    group_key: string;
    deliveries: JsonColumn;
  };
}

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null ? null : Number(v));

/**
 * Rules, per-group states and the notification history, over the engine's one database.
 * Written once in backend-neutral Kysely; the tables come from migrations.ts.
 */
export class AlertStore {
  private readonly db: Kysely<AlertTables>;

  constructor(private readonly store: Store) {
    this.db = store.moduleDb<AlertTables>();
  }

  async createRule(spec: RuleSpec, now: number): Promise<AlertRule> {
    const rule: AlertRule = { ...spec, id: randomUUID(), created_at: now, updated_at: now };
    await this.db
      .insertInto('alert_rules')
      .values({
        id: rule.id,
        workspace: rule.workspace,
        name: rule.name,
        enabled: rule.enabled ? 1 : 0,
        definition: JSON.stringify(spec),
        created_at: now,
        updated_at: now,
      })
      .execute();
    return rule;
  }

  async getRule(id: string): Promise<AlertRule | null> {
    const row = await this.db
      .selectFrom('alert_rules')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? this.ruleOf(row) : null;
  }

  /** Rules by workspace (all when omitted), by name. */
  async listRules(q: { workspace?: string | undefined; enabled?: boolean } = {}) {
    let query = this.db.selectFrom('alert_rules').selectAll().orderBy('workspace').orderBy('name');
    if (q.workspace !== undefined) query = query.where('workspace', '=', q.workspace);
    if (q.enabled !== undefined) query = query.where('enabled', '=', q.enabled ? 1 : 0);
    return (await query.execute()).map((r) => this.ruleOf(r));
  }

  /**
   * Replaces a rule's definition. When what it measures changes (metric, type, group-by, window,
   * volume floor), or it is disabled, its states are dropped: they described another series.
   * Threshold, timing, channel and name changes keep them, and the next evaluation judges the
   * current states against the new thresholds.
   */
  async updateRule(rule: AlertRule, spec: RuleSpec, now: number): Promise<AlertRule> {
    const measured = (r: RuleSpec) =>
      JSON.stringify([r.metric, r.type, r.group_by, r.window_ms, r.min_requests, r.budget_usd]);
    const reset = !spec.enabled || measured(rule) !== measured(spec);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('alert_rules')
        .set({
          name: spec.name,
          enabled: spec.enabled ? 1 : 0,
          definition: JSON.stringify(spec),
          updated_at: now,
        })
        .where('id', '=', rule.id)
        .execute();
      if (reset) await trx.deleteFrom('alert_states').where('rule_id', '=', rule.id).execute();
    });
    return { ...spec, id: rule.id, created_at: rule.created_at, updated_at: now };
  }

  /** Deletes a rule and its states; its history stays, as a record of what was sent. */
  async deleteRule(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('alert_states').where('rule_id', '=', id).execute();
      const r = await trx.deleteFrom('alert_rules').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  async states(ruleId: string): Promise<GroupState[]> {
    const rows = await this.db
      .selectFrom('alert_states')
      .selectAll()
      .where('rule_id', '=', ruleId)
      .orderBy('group_key')
      .execute();
    return rows.map(stateOf);
  }

  /**
   * Stores an evaluation's states, in one transaction: the cleared groups' rows are deleted, the
   * others upserted on (rule, group), so two writers of one group (another process evaluating
   * the same database) never collide on the primary key — the later write wins.
   */
  async saveStates(ruleId: string, e: Pick<Evaluation, 'states' | 'cleared'>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < e.cleared.length; i += 500)
        await trx
          .deleteFrom('alert_states')
          .where('rule_id', '=', ruleId)
          .where('group_key', 'in', e.cleared.slice(i, i + 500))
          .execute();
      for (let i = 0; i < e.states.length; i += 500)
        await trx
          .insertInto('alert_states')
          .values(e.states.slice(i, i + 500).map((s) => stateRow(ruleId, s)))
          .onConflict((oc) =>
            oc.columns(['rule_id', 'group_key']).doUpdateSet((eb) => ({
              state: eb.ref('excluded.state'),
              severity: eb.ref('excluded.severity'),
              value: eb.ref('excluded.value'),
              since: eb.ref('excluded.since'),
              last_notified_at: eb.ref('excluded.last_notified_at'),
              acknowledged: eb.ref('excluded.acknowledged'),
            })),
          )
          .execute();
    });
  }

  /** Records a notification before it is delivered, so a crash mid-delivery leaves a trace. */
  async addHistory(rule: AlertRule, event: AlertEvent): Promise<HistoryEntry> {
    const entry: HistoryEntry = {
      ...event,
      id: randomUUID(),
      rule_id: rule.id,
      workspace: rule.workspace,
      deliveries: [],
      delivery_status: rule.channels.length === 0 ? 'none' : 'failed',
      acknowledged_at: null,
      acknowledged_by: null,
      note: null,
    };
    const { group, deliveries, ...row } = entry;
    await this.db
      .insertInto('alert_history')
      .values({ ...row, group_key: group, deliveries: JSON.stringify(deliveries) })
      .execute();
    return entry;
  }

  async setDeliveries(id: string, deliveries: Delivery[], status: DeliveryStatus): Promise<void> {
    await this.db
      .updateTable('alert_history')
      .set({ deliveries: JSON.stringify(deliveries), delivery_status: status })
      .where('id', '=', id)
      .execute();
  }

  async getHistory(id: string): Promise<HistoryEntry | null> {
    const row = await this.db
      .selectFrom('alert_history')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? this.historyOf(row) : null;
  }

  /** Newest first. */
  async listHistory(q: {
    workspace?: string | undefined;
    rule_id?: string | undefined;
    limit: number;
  }) {
    let query = this.db.selectFrom('alert_history').selectAll();
    if (q.workspace !== undefined) query = query.where('workspace', '=', q.workspace);
    if (q.rule_id !== undefined) query = query.where('rule_id', '=', q.rule_id);
    const rows = await query.orderBy('at', 'desc').orderBy('id').limit(q.limit).execute();
    return rows.map((r) => this.historyOf(r));
  }

  /** Notifications some channel has not yet received, oldest first. */
  async undelivered(limit: number): Promise<HistoryEntry[]> {
    const rows = await this.db
      .selectFrom('alert_history')
      .selectAll()
      .where('delivery_status', 'in', ['failed', 'partial'])
      .orderBy('at')
      .limit(limit)
      .execute();
    return rows.map((r) => this.historyOf(r));
  }

  /**
   * Acknowledges a notification. When its group is still in the state the notification was
   * about (same episode: entered no later than the notification), re-notification is silenced
   * until the state or severity changes. A firing state's `since` moves when its severity
   * changes (evaluate.ts), so acknowledging a notification sent before a severity change
   * silences nothing: an acknowledgement is of one severity.
   */
  async acknowledge(id: string, by: string | null, note: string | null, now: number) {
    const entry = await this.getHistory(id);
    if (!entry) return null;
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('alert_history')
        .set({ acknowledged_at: now, acknowledged_by: by, note })
        .where('id', '=', id)
        .execute();
      await trx
        .updateTable('alert_states')
        .set({ acknowledged: 1 })
        .where('rule_id', '=', entry.rule_id)
        .where('group_key', '=', entry.group)
        .where('state', '=', entry.state)
        .where('since', '<=', entry.at)
        .execute();
    });
    return { ...entry, acknowledged_at: now, acknowledged_by: by, note };
  }

  private ruleOf(row: Selectable<AlertTables['alert_rules']>): AlertRule {
    const spec = this.store.hooks.readJson(row.definition) as RuleSpec;
    return {
      ...spec,
      enabled: row.enabled === 1,
      id: row.id,
      created_at: num(row.created_at),
      updated_at: num(row.updated_at),
    };
  }

  private historyOf(row: Selectable<AlertTables['alert_history']>): HistoryEntry {
    const { group_key, deliveries, ...rest } = row;
    return {
      ...rest,
      group: group_key,
      deliveries: this.store.hooks.readJson(deliveries) as Delivery[],
      at: num(row.at),
      value: numOrNull(row.value),
      threshold: numOrNull(row.threshold),
      acknowledged_at: numOrNull(row.acknowledged_at),
    };
  }
}

function stateRow(ruleId: string, s: GroupState): AlertTables['alert_states'] {
  const { group, acknowledged, ...rest } = s;
  return { ...rest, rule_id: ruleId, group_key: group, acknowledged: acknowledged ? 1 : 0 };
}

function stateOf(row: Selectable<AlertTables['alert_states']>): GroupState {
  return {
    group: row.group_key,
    state: row.state as GroupState['state'],
    severity: row.severity,
    value: numOrNull(row.value),
    since: num(row.since),
    last_notified_at: numOrNull(row.last_notified_at),
    acknowledged: Number(row.acknowledged) === 1,
  };
}
