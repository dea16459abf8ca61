import { useMemo } from 'preact/hooks';
import type { SummaryRow, ActiveUsersResult } from '../api-types.js';
import { DataTable } from '../components/data-table.js';
import { RetentionHeatmap } from '../components/heatmap.js';
import { Panel, Tile } from '../components/panel.js';
import { TimeChart } from '../components/time-chart.js';
import { fmtInt, fmtText, fmtUsd } from '../format.js';
import { useApi } from '../use-api.js';
import { rangeParams, useView, viewUrl } from '../view.js';
import { num, PALETTE, tokensOf } from './common.js';

const DAY_MS = 86_400_000;
const MONTH_MS = 30 * DAY_MS;

/** Users: DAU / WAU / MAU over the range, weekly retention cohorts, and what each user costs. */
export function UsersPage() {
  const ctx = useView();
  const base = rangeParams(ctx);
  const active = useApi('active_users', base);
  // The chart shows at least 30 days: a day's DAU beside its WAU and MAU needs some history.
  const chart = useApi('active_users', { ...base, from: Math.min(base.from, base.to - MONTH_MS) });
  const retention = useApi('retention', {
    to: base.to,
    workspace: base.workspace,
    period: 'week',
    periods: 8,
  });
  // LLM calls carry the cost; restricting to them keeps this raw-event grouping quick.
  const users = useApi('summary', { ...base, by: 'user', type: 'llm_call', limit: 500 });
  return (
    <div class="grid">
      <Panel id="users-totals" title="Users in range" loaded={active} wide>
        {(d) => (
          <div class="tiles">
            <Tile
              id="users"
              label="Active users"
              value={d.totals.users}
              text={fmtInt(d.totals.users)}
            />
            <Tile
              id="new_users"
              label="New users"
              value={d.totals.new_users}
              text={fmtInt(d.totals.new_users)}
            />
            <Tile
              id="returning_users"
              label="Returning users"
              value={d.totals.returning_users}
              text={fmtInt(d.totals.returning_users)}
            />
          </div>
        )}
      </Panel>
      <Panel id="active-users-chart" title="DAU / WAU / MAU (UTC days)" loaded={chart} wide>
        {(d) => <ActiveChart data={d} />}
      </Panel>
      <Panel id="retention" title="Weekly retention cohorts" loaded={retention} wide>
        {(d) => <RetentionHeatmap data={d} />}
      </Panel>
      <Panel id="cost-per-user" title="LLM cost per user" loaded={users} wide>
        {(d) => (
          <DataTable
            id="cost-per-user"
            columns={[
              { id: 'user', label: 'User', value: (r) => r.key, text: (r) => fmtText(r.key) },
              num<SummaryRow>('requests', 'LLM calls', (r) => r.requests, fmtInt),
              num<SummaryRow>('tokens', 'Tokens', tokensOf, fmtInt),
              num<SummaryRow>('cost', 'Cost', (r) => r.cost_usd, fmtUsd),
            ]}
            rows={d.rows}
            rowHref={(r) =>
              r.key === null ? null : viewUrl(ctx.view, 'sessions', { user_id: r.key })
            }
          />
        )}
      </Panel>
    </div>
  );
}

function ActiveChart(props: { data: ActiveUsersResult }) {
  const xs = useMemo(
    () => props.data.points.map((p) => Date.parse(`${p.day}T00:00:00Z`)),
    [props.data],
  );
  const lines = useMemo(() => {
    const pts = props.data.points;
    return [
      { label: 'DAU', values: pts.map((p) => p.dau), color: PALETTE[0]! },
      { label: 'WAU', values: pts.map((p) => p.wau), color: PALETTE[2]! },
      { label: 'MAU', values: pts.map((p) => p.mau), color: PALETTE[3]! },
    ];
  }, [props.data]);
  // A day opens that day's sessions (the chart is per UTC day whatever the view's grain).
  const ctx = useView();
  const pick = (i: number) => {
    const from = xs[i];
    if (from !== undefined)
      ctx.navigate(viewUrl(ctx.view, 'sessions', { range: undefined, from, to: from + DAY_MS }));
  };
  return (
    <TimeChart id="active-users" xs={xs} lines={lines} format={(v) => fmtInt(v)} onPick={pick} />
  );
}
