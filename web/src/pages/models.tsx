import { useMemo } from 'preact/hooks';
import type { SummaryRow, TimeseriesResult } from '../api-types.js';
import { Bars } from '../components/bars.js';
import { DataTable } from '../components/data-table.js';
import { Link } from '../components/link.js';
import { Panel } from '../components/panel.js';
import { TimeChart } from '../components/time-chart.js';
import { fmtInt, fmtUsd } from '../format.js';
import { useApi } from '../use-api.js';
import { rangeParams, useView, viewUrl } from '../view.js';
import { bucketsOf, linesBy, summaryColumns, SummaryTiles, useBucketPick } from './common.js';
import { RecentErrorsTable } from './errors.js';

/**
 * Models: requests, tokens, cost and latency per model; `?model=` narrows the page to one
 * model (its tiles, its trend among the others, its latest failures).
 */
export function ModelsPage() {
  const ctx = useView();
  const base = rangeParams(ctx);
  const model = ctx.view.q.model;
  const rows = useApi('summary', { ...base, by: 'model' });
  // Events that name no model (tool calls, steps, sessions…) are not model usage: left out.
  const named = (d: { rows: SummaryRow[] }) => d.rows.filter((r) => r.key !== null);
  const series = useApi('timeseries', { ...base, grain: ctx.range.grain, by: 'model', limit: 8 });
  return (
    <div class="grid">
      {model !== undefined && (
        <Panel id="model" title={`Model ${model}`} loaded={rows} wide>
          {(d) => {
            const row = d.rows.find((r) => r.key === model);
            return row ? <SummaryTiles row={row} /> : <p class="muted">No calls in this range.</p>;
          }}
        </Panel>
      )}
      {model !== undefined && (
        <p class="crumbs">
          <Link href={viewUrl(ctx.view, 'models')}>← all models</Link>
        </p>
      )}
      <Panel id="models-table" title="Models" loaded={rows} wide>
        {(d) => (
          <DataTable
            id="models"
            columns={summaryColumns('Model')}
            rows={named(d)}
            rowHref={(r) => (r.key === null ? null : viewUrl(ctx.view, 'models', { model: r.key }))}
          />
        )}
      </Panel>
      <Panel id="models-trend" title="Requests per model" loaded={series} wide>
        {(d) => <ModelTrend data={d} />}
      </Panel>
      <Panel id="models-cost" title="Cost per model" loaded={rows}>
        {(d) => (
          <Bars
            id="models-cost"
            bars={byValue(
              named(d).map((r) => ({ label: r.key!, value: r.cost_usd, text: fmtUsd(r.cost_usd) })),
            )}
          />
        )}
      </Panel>
      <Panel id="models-tokens" title="Tokens per model (in + out)" loaded={rows}>
        {(d) => (
          <Bars
            id="models-tokens"
            bars={byValue(
              named(d).map((r) => {
                const tokens = r.input_tokens + r.output_tokens;
                return { label: r.key!, value: tokens, text: fmtInt(tokens) };
              }),
            )}
          />
        )}
      </Panel>
      {model !== undefined && <RecentErrorsTable filters={{ model }} />}
    </div>
  );
}

/** Bars largest first: a cost chart ordered by requests reads as a ranking it is not. */
function byValue<T extends { value: number }>(bars: T[]): T[] {
  return [...bars].sort((a, b) => b.value - a.value);
}

function ModelTrend(props: { data: TimeseriesResult }) {
  const xs = useMemo(() => bucketsOf(props.data), [props.data]);
  const lines = useMemo(
    () =>
      linesBy(
        { ...props.data, series: props.data.series.filter((s) => s.key !== null) },
        (p) => p.requests,
      ),
    [props.data],
  );
  return (
    <TimeChart
      id="models-trend"
      xs={xs}
      lines={lines}
      format={(v) => fmtInt(v)}
      onPick={useBucketPick(xs, 'models')}
    />
  );
}
