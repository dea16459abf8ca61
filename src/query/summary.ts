import type { Dimension } from '../rollups/definitions.js';
import { emptyStats } from '../rollups/stats.js';
import type { Store } from '../store/store.js';
import { aggregate, type AggregatePlan, type Group } from './aggregate.js';
import { evaluate } from './metrics.js';
import { mostUsedModels, trailingWindows, type WindowTotals } from './summary-extras.js';

export interface SummaryParams {
  from: number;
  to: number;
  by: Dimension | null;
  type?: string | undefined;
  workspace?: string | undefined;
  /** Keep the first N rows (after ordering by requests, most first). */
  limit?: number | undefined;
  /** Add `last_24h` and `last_7d` totals (windows ending at `to`) to every row. */
  windows?: boolean | undefined;
  /** Add `most_used_model` to every row (counted from raw events). */
  most_used_model?: boolean | undefined;
  source?: 'auto' | 'raw' | undefined;
}

export interface SummaryRow {
  key: string | null;
  requests: number;
  errors: number;
  success_rate: number | null;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  cost_usd: number;
  duration_ms: {
    avg: number | null;
    p50: number | null;
    p75: number | null;
    p95: number | null;
    p99: number | null;
    max: number | null;
  };
  first_seen: string | null;
  last_seen: string | null;
  last_24h?: WindowTotals;
  last_7d?: WindowTotals;
  most_used_model?: string | null;
}

export interface SummaryResult {
  rows: SummaryRow[];
  plan: AggregatePlan;
}

const MEASURE_NAMES = [
  'requests',
  'errors',
  'success_rate',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'cost_usd',
  'duration_avg',
  'duration_p50',
  'duration_p75',
  'duration_p95',
  'duration_p99',
  'duration_max',
  'first_seen',
  'last_seen',
] as const;

/**
 * Summary by any dimension over [from, to): requests, success, tokens by kind, cost, latency
 * (avg, quantiles, max), first and last seen. With `by` omitted, one total row whose key is null.
 */
export async function summary(store: Store, p: SummaryParams): Promise<SummaryResult> {
  const { groups, plan } = await aggregate(store, p);
  let rows = groups.map(summaryRow);
  if (p.by === null && rows.length === 0)
    rows = [summaryRow({ key: null, bucket: null, ...emptyGroup() })];
  // Most requests first; the row of events without the dimension (key null) comes last.
  rows.sort(
    (a, b) => nullLast(a.key, b.key) || b.requests - a.requests || compareKeys(a.key, b.key),
  );
  rows = p.limit === undefined ? rows : rows.slice(0, p.limit);
  await addExtras(store, p, rows);
  return { rows, plan };
}

async function addExtras(store: Store, p: SummaryParams, rows: SummaryRow[]): Promise<void> {
  if (p.windows) {
    const windows = await trailingWindows(store, p);
    for (const r of rows)
      Object.assign(
        r,
        windows.get(r.key) ?? {
          last_24h: { requests: 0, errors: 0, cost_usd: 0 },
          last_7d: { requests: 0, errors: 0, cost_usd: 0 },
        },
      );
  }
  if (p.most_used_model) {
    const models = await mostUsedModels(store, p);
    for (const r of rows) r.most_used_model = models.get(r.key) ?? null;
  }
}

function emptyGroup(): Omit<Group, 'key' | 'bucket'> {
  return { stats: emptyStats(), bins: new Map() };
}

export function summaryRow(g: Group): SummaryRow {
  const m = evaluate(MEASURE_NAMES, g) as Record<(typeof MEASURE_NAMES)[number], never>;
  return {
    key: g.key,
    requests: m.requests,
    errors: m.errors,
    success_rate: m.success_rate,
    input_tokens: m.input_tokens,
    output_tokens: m.output_tokens,
    cache_read_tokens: m.cache_read_tokens,
    cache_write_tokens: m.cache_write_tokens,
    reasoning_tokens: m.reasoning_tokens,
    cost_usd: m.cost_usd,
    duration_ms: {
      avg: m.duration_avg,
      p50: m.duration_p50,
      p75: m.duration_p75,
      p95: m.duration_p95,
      p99: m.duration_p99,
      max: m.duration_max,
    },
    first_seen: m.first_seen,
    last_seen: m.last_seen,
  };
}

/** Rows (or series) without a value for the dimension go last, whatever their size. */
export function nullLast(a: string | null, b: string | null): number {
  return Number(a === null) - Number(b === null);
}

/** Null keys (events without the dimension) sort last. */
export function compareKeys(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
