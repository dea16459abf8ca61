import { useMemo } from 'preact/hooks';
import type { TimeseriesResult } from '../api-types.js';
import { DataTable } from '../components/data-table.js';
import { Link } from '../components/link.js';
import { Panel } from '../components/panel.js';
import { TimeChart } from '../components/time-chart.js';
import { fmtInt } from '../format.js';
import { useApi } from '../use-api.js';
import { rangeParams, useView, viewUrl } from '../view.js';
import { bucketsOf, linesBy, summaryColumns, useBucketPick } from './common.js';

const DIMS = { app: 'App', domain: 'Domain', platform: 'Platform' } as const;
type Dim = keyof typeof DIMS;

/**
 * Apps, domains and platforms: one breakdown at a time (`?dim=`). Apps and platforms drill down
 * to their sessions (the sessions query filters by both); domains have no session filter.
 */
export function AppsPage() {
  const ctx = useView();
  const base = rangeParams(ctx);
  const dim: Dim =
    ctx.view.q.dim === 'domain' || ctx.view.q.dim === 'platform' ? ctx.view.q.dim : 'app';
  const rows = useApi('summary', { ...base, by: dim });
  const series = useApi('timeseries', { ...base, grain: ctx.range.grain, by: dim, limit: 8 });
  const drill = (key: string | null) =>
    key === null || dim === 'domain' ? null : viewUrl(ctx.view, 'sessions', { [dim]: key });
  return (
    <div class="grid">
      <p class="tabs wide">
        {(Object.keys(DIMS) as Dim[]).map((d) => (
          <Link
            key={d}
            href={viewUrl(ctx.view, 'apps', { dim: d })}
            class={d === dim ? 'active' : ''}
          >
            {DIMS[d]}s
          </Link>
        ))}
      </p>
      <Panel id="breakdown" title={`By ${DIMS[dim].toLowerCase()}`} loaded={rows} wide>
        {(d) => (
          <DataTable
            id="breakdown"
            columns={summaryColumns(DIMS[dim])}
            rows={d.rows}
            rowHref={(r) => drill(r.key)}
          />
        )}
      </Panel>
      <Panel
        id="breakdown-trend"
        title={`Requests per ${DIMS[dim].toLowerCase()}`}
        loaded={series}
        wide
      >
        {(d) => <Trend data={d} />}
      </Panel>
    </div>
  );
}

function Trend(props: { data: TimeseriesResult }) {
  const xs = useMemo(() => bucketsOf(props.data), [props.data]);
  const lines = useMemo(() => linesBy(props.data, (p) => p.requests), [props.data]);
  return (
    <TimeChart
      id="breakdown-trend"
      xs={xs}
      lines={lines}
      format={(v) => fmtInt(v)}
      onPick={useBucketPick(xs, 'sessions')}
    />
  );
}
