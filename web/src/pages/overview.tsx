import { useMemo } from 'preact/hooks';
import type { ActiveUsersResult, TimeseriesResult } from '../api-types.js';
import { Bars } from '../components/bars.js';
import { Panel, Tile } from '../components/panel.js';
import { TimeChart } from '../components/time-chart.js';
import { fmtInt, fmtMs, fmtUsd } from '../format.js';
import { useApi } from '../use-api.js';
import { rangeParams, useView, viewUrl } from '../view.js';
import { bucketsOf, PALETTE, SummaryTiles, useBucketPick } from './common.js';

/**
 * The page kept open all day: the DESIGN.md overview's tiles (volume, errors, tokens, cost,
 * latency percentiles, DAU/WAU/MAU, top models, top tools) and the range's trend. Five queries,
 * all served from rollups, asked at once.
 */
const DAY_MS = 86_400_000;

export function OverviewPage() {
  const ctx = useView();
  const base = rangeParams(ctx);
  const total = useApi('summary', base);
  const series = useApi('timeseries', { ...base, grain: ctx.range.grain });
  // Only the last day's DAU / WAU / MAU are shown: asking for that one day reads 30 days of
  // user_days instead of 59 (at 10 M events, 300 ms instead of 700 ms).
  const users = useApi('active_users', {
    from: base.to - DAY_MS,
    to: base.to,
    workspace: base.workspace,
  });
  const models = useApi('summary', { ...base, by: 'model', limit: 5 });
  const tools = useApi('summary', { ...base, by: 'tool', type: 'tool_call', limit: 5 });
  return (
    <div class="grid">
      <Panel id="totals" title="Totals" loaded={total} wide>
        {(d) => <SummaryTiles row={d.rows[0]!} />}
      </Panel>
      <Panel id="active-users" title="Active users (UTC days)" loaded={users} wide>
        {(d) => <ActiveUserTiles data={d} />}
      </Panel>
      <Panel id="trend" title="Requests and errors" loaded={series} wide>
        {(d) => <Trend data={d} />}
      </Panel>
      <Panel id="latency" title="Latency percentiles" loaded={series} wide>
        {(d) => <LatencyChart data={d} />}
      </Panel>
      <Panel id="top-models" title="Top models (requests)" loaded={models}>
        {(d) => (
          <Bars
            id="top-models"
            bars={d.rows.map((r) => ({
              label: r.key ?? '(none)',
              value: r.requests,
              text: `${fmtInt(r.requests)} · ${fmtUsd(r.cost_usd)}`,
              href: viewUrl(ctx.view, 'models', { model: r.key ?? undefined }),
            }))}
          />
        )}
      </Panel>
      <Panel id="top-tools" title="Top tools (calls)" loaded={tools}>
        {(d) => (
          <Bars
            id="top-tools"
            bars={d.rows.map((r) => ({
              label: r.key ?? '(none)',
              value: r.requests,
              text: `${fmtInt(r.requests)} · p95 ${fmtMs(r.duration_ms.p95)}`,
              href: viewUrl(ctx.view, 'tools', { tool: r.key ?? undefined }),
            }))}
          />
        )}
      </Panel>
    </div>
  );
}

/** The newest day's DAU, WAU and MAU (the day `to` falls in). */
function ActiveUserTiles(props: { data: ActiveUsersResult }) {
  const last = props.data.points.at(-1);
  return (
    <div class="tiles">
      <Tile
        id="dau"
        label={`DAU ${last?.day ?? ''}`}
        value={last?.dau ?? null}
        text={fmtInt(last?.dau)}
      />
      <Tile id="wau" label="WAU (7 days)" value={last?.wau ?? null} text={fmtInt(last?.wau)} />
      <Tile id="mau" label="MAU (30 days)" value={last?.mau ?? null} text={fmtInt(last?.mau)} />
    </div>
  );
}

/** Requests and errors per bucket; a click opens that bucket's failures on the errors page. */
function Trend(props: { data: TimeseriesResult }) {
  const xs = useMemo(() => bucketsOf(props.data), [props.data]);
  const lines = useMemo(() => {
    const pts = props.data.series[0]?.points ?? [];
    return [
      { label: 'requests', values: pts.map((p) => p.requests), color: PALETTE[0]! },
      { label: 'errors', values: pts.map((p) => p.errors), color: PALETTE[5]! },
    ];
  }, [props.data]);
  return (
    <TimeChart
      id="trend"
      xs={xs}
      lines={lines}
      format={(v) => fmtInt(v)}
      onPick={useBucketPick(xs, 'errors')}
    />
  );
}

function LatencyChart(props: { data: TimeseriesResult }) {
  const xs = useMemo(() => bucketsOf(props.data), [props.data]);
  const lines = useMemo(() => {
    const pts = props.data.series[0]?.points ?? [];
    return [
      { label: 'p50', values: pts.map((p) => p.p50_ms), color: PALETTE[2]! },
      { label: 'p95', values: pts.map((p) => p.p95_ms), color: PALETTE[1]! },
      { label: 'p99', values: pts.map((p) => p.p99_ms), color: PALETTE[5]! },
    ];
  }, [props.data]);
  // A slow bucket opens the agent runs of that bucket, newest first with their durations.
  return (
    <TimeChart
      id="latency"
      xs={xs}
      lines={lines}
      format={fmtMs}
      onPick={useBucketPick(xs, 'agents')}
    />
  );
}
