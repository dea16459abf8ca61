import type { SeriesPoint, SummaryRow, TimeseriesResult } from '../api-types.js';
import type { Column } from '../components/data-table.js';
import { Tile } from '../components/panel.js';
import type { Line } from '../components/time-chart.js';
import { fmtInt, fmtMs, fmtPct, fmtText, fmtUsd } from '../format.js';
import { grainMs } from '../range.js';
import { useView, viewUrl, type PageId } from '../view.js';

/** Series colours: mid-tones that read on both the light and the dark background. */
export const PALETTE = [
  '#3b82f6',
  '#f97316',
  '#10b981',
  '#a855f7',
  '#eab308',
  '#ef4444',
  '#06b6d4',
];

export const errorRate = (r: { requests: number; errors: number }) =>
  r.requests > 0 ? r.errors / r.requests : null;
export const tokensOf = (r: { input_tokens: number; output_tokens: number }) =>
  r.input_tokens + r.output_tokens;

/** The headline tiles of one summary row (the overview's, or one model's). */
export function SummaryTiles(props: { row: SummaryRow }) {
  const r = props.row;
  const d = r.duration_ms;
  return (
    <div class="tiles">
      <Tile id="requests" label="Requests" value={r.requests} text={fmtInt(r.requests)} />
      <Tile id="error_rate" label="Error rate" value={errorRate(r)} text={fmtPct(errorRate(r))} />
      <Tile id="tokens" label="Tokens (in + out)" value={tokensOf(r)} text={fmtInt(tokensOf(r))} />
      <Tile id="cost" label="Cost" value={r.cost_usd} text={fmtUsd(r.cost_usd)} />
      <Tile id="p50" label="Latency p50" value={d.p50} text={fmtMs(d.p50)} />
      <Tile id="p95" label="Latency p95" value={d.p95} text={fmtMs(d.p95)} />
      <Tile id="p99" label="Latency p99" value={d.p99} text={fmtMs(d.p99)} />
    </div>
  );
}

/** The columns of a summary grouped by a dimension (models, apps, domains, platforms, agents). */
export function summaryColumns(keyLabel: string): Column<SummaryRow>[] {
  return [
    { id: 'key', label: keyLabel, value: (r) => r.key, text: (r) => fmtText(r.key) },
    num('requests', 'Requests', (r) => r.requests, fmtInt),
    num('errors', 'Errors', (r) => r.errors, fmtInt),
    num('error_rate', 'Error rate', errorRate, fmtPct),
    num('tokens', 'Tokens', tokensOf, fmtInt),
    num('cost', 'Cost', (r) => r.cost_usd, fmtUsd),
    num('p50', 'p50', (r) => r.duration_ms.p50, fmtMs),
    num('p95', 'p95', (r) => r.duration_ms.p95, fmtMs),
    num('p99', 'p99', (r) => r.duration_ms.p99, fmtMs),
  ];
}

/** A numeric column: sorted on the number, shown through `format`. */
export function num<R>(
  id: string,
  label: string,
  value: (r: R) => number | null,
  format: (n: number | null) => string,
): Column<R> {
  return { id, label, value, text: (r) => format(value(r)), numeric: true };
}

/** Bucket starts (epoch ms) of a series answer; every series shares the same buckets. */
export function bucketsOf(ts: TimeseriesResult): number[] {
  return (ts.series[0]?.points ?? []).map((p) => Date.parse(p.t));
}

/** One line per series of a grouped answer, for one measure. */
export function linesBy(ts: TimeseriesResult, measure: (p: SeriesPoint) => number | null): Line[] {
  return ts.series.map((s, i) => ({
    label: s.key ?? '(none)',
    values: s.points.map(measure),
    color: PALETTE[i % PALETTE.length]!,
  }));
}

/**
 * A chart's drill-down: clicking bucket i opens `page` narrowed to that bucket (a custom range
 * of one bucket, so the list there shows what happened in it).
 */
export function useBucketPick(
  xs: readonly number[],
  page: PageId,
  filters: Record<string, string | undefined> = {},
): (i: number) => void {
  const ctx = useView();
  const step = grainMs(ctx.range.grain);
  return (i) => {
    const from = xs[i];
    if (from === undefined) return;
    ctx.navigate(viewUrl(ctx.view, page, { ...filters, range: undefined, from, to: from + step }));
  };
}
