import {
  alignedTo,
  assertTimeZone,
  bucketStart,
  bucketStarts,
  nextBucketStart,
  type Grain,
} from '../core/time-buckets.js';
import { ROLLUP_GRAINS, type Dimension, type RollupDef } from '../rollups/definitions.js';
import { emptyStats } from '../rollups/stats.js';
import type { Store } from '../store/store.js';
import { aggregate, planAggregate, type AggregatePlan, type Group } from './aggregate.js';
import { evaluate } from './metrics.js';
import { compareKeys, nullLast } from './summary.js';

/** Series kept when `by` is set and no limit is given; an answer holds at most MAX_POINTS. */
export const DEFAULT_SERIES = 20;
export const MAX_POINTS = 200_000;

export interface TimeseriesParams {
  grain: Grain;
  from: number;
  to: number;
  /** IANA zone (or ±HH:MM) whose calendar the buckets follow; default UTC. */
  tz?: string | undefined;
  by: Dimension | null;
  type?: string | undefined;
  workspace?: string | undefined;
  /** Keep the N series with the most requests. */
  limit?: number | undefined;
  source?: 'auto' | 'raw' | undefined;
}

export interface Point {
  t: string;
  requests: number;
  errors: number;
  error_rate: number | null;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  avg_ms: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
}

export interface TimeseriesResult {
  series: Array<{ key: string | null; points: Point[] }>;
  /** Bucket starts covered, as ISO-8601: whole buckets from the one containing `from`. */
  from: string;
  to: string;
  plan: AggregatePlan;
}

const POINT_MEASURES = [
  'requests',
  'errors',
  'input_tokens',
  'output_tokens',
  'cost_usd',
  'duration_avg',
  'duration_p50',
  'duration_p95',
  'duration_p99',
] as const;

/**
 * A time series at minute, hour, day or week grain in a time zone. Points are whole buckets of
 * the zone's calendar; each is read from the coarsest rollup grain whose buckets tile it exactly
 * (hourly rollups for Berlin days, minute rollups for Kathmandu hours), or from raw events.
 */
export async function timeseries(store: Store, p: TimeseriesParams): Promise<TimeseriesResult> {
  const tz = p.tz ?? 'UTC';
  assertTimeZone(tz);
  const starts = bucketStarts(p.from, p.to, p.grain, tz);
  const series = p.by === null ? 1 : (p.limit ?? DEFAULT_SERIES);
  if (series * starts.length > MAX_POINTS) {
    throw new RangeError(
      `limit: ${series} series × ${starts.length} buckets is more than ${MAX_POINTS.toLocaleString('en-US')} points; narrow the range, coarsen the grain or lower the limit`,
    );
  }
  const from = starts[0] ?? bucketStart(p.from, p.grain, tz);
  const to = starts.length > 0 ? nextBucketStart(starts[starts.length - 1]!, p.grain, tz) : from;
  const fits = (def: RollupDef) =>
    def.grains.filter(
      (g) =>
        ROLLUP_GRAINS[g] <= grainMs(p.grain) && alignedTo(ROLLUP_GRAINS[g], from, to, p.grain, tz),
    );
  const q = { ...p, from, to, bucketOf: (ts: number) => bucketStart(ts, p.grain, tz) };
  const { groups, plan } = await aggregate(store, q, planAggregate(q, fits));
  return {
    series: toSeries(groups, starts, p.limit),
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    plan,
  };
}

/** The longest a bucket of each grain can be: a rollup grain must not be coarser than this. */
function grainMs(grain: Grain): number {
  return { minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 }[grain];
}

function toSeries(groups: Group[], starts: number[], limit: number | undefined) {
  const byKey = new Map<string | null, Map<number, Group>>();
  const totals = new Map<string | null, number>();
  for (const g of groups) {
    if (!byKey.has(g.key)) byKey.set(g.key, new Map());
    byKey.get(g.key)!.set(g.bucket!, g);
    totals.set(g.key, (totals.get(g.key) ?? 0) + g.stats.count);
  }
  const keys = [...byKey.keys()].sort(
    (a, b) => nullLast(a, b) || totals.get(b)! - totals.get(a)! || compareKeys(a, b),
  );
  return keys
    .slice(0, limit ?? DEFAULT_SERIES)
    .map((key) => ({ key, points: starts.map((t) => point(t, byKey.get(key)!.get(t))) }));
}

function point(t: number, g: Group | undefined): Point {
  const m = evaluate(POINT_MEASURES, g ?? { stats: emptyStats(), bins: new Map() }) as Record<
    (typeof POINT_MEASURES)[number],
    never
  >;
  const requests = m.requests as number;
  return {
    t: new Date(t).toISOString(),
    requests,
    errors: m.errors,
    error_rate: requests > 0 ? (m.errors as number) / requests : null,
    input_tokens: m.input_tokens,
    output_tokens: m.output_tokens,
    cost_usd: m.cost_usd,
    avg_ms: m.duration_avg,
    p50_ms: m.duration_p50,
    p95_ms: m.duration_p95,
    p99_ms: m.duration_p99,
  };
}
