import type { CairnEvent } from '../core/event.js';
import {
  dimensionValue,
  rollupFor,
  type Dimension,
  type RollupDef,
  type RollupGrain,
} from '../rollups/definitions.js';
import { addEvent, type Accumulator } from '../rollups/fold.js';
import { emptyStats, mergeStats } from '../rollups/stats.js';
import { readHorizons } from '../maintenance/retention-store.js';
import type { Store } from '../store/store.js';
import { planRange, type Horizons, type Segment } from './plan-range.js';

export interface AggregateQuery {
  from: number;
  to: number;
  by: Dimension | null;
  workspace?: string | undefined;
  type?: string | undefined;
  /** 'raw' recomputes from raw events, bypassing the rollups (for checks and parity tests). */
  source?: 'auto' | 'raw' | undefined;
  /** Maps an event time to the series bucket it belongs to; absent for one group per key. */
  bucketOf?: (ts: number) => number;
}

export interface Group extends Accumulator {
  key: string | null;
  bucket: number | null;
}

/** The plan the planner chose: which rollup, and the segments read from it or from raw. */
export interface AggregatePlan {
  rollup: string | null;
  segments: Segment[];
  /** Where retention has deleted older rows of a source (present only when it has). */
  horizons?: Horizons;
}

export interface PlannedAggregate {
  def: RollupDef | null;
  /** The rollup grains the caller can use (a series in a zone can use only those that tile it). */
  grains: readonly RollupGrain[];
  plan: AggregatePlan;
}

/** Picks the coarsest rollup pieces able to answer, reading raw events only where it must. */
export function planAggregate(
  q: AggregateQuery,
  grainsUsable = (def: RollupDef) => def.grains,
  horizons: Horizons = {},
): PlannedAggregate {
  const def = q.source === 'raw' ? null : rollupFor(q.by);
  if (!def)
    return {
      def: null,
      grains: [],
      plan: {
        rollup: null,
        segments: q.to > q.from ? [{ source: 'raw', from: q.from, to: q.to }] : [],
      },
    };
  const grains = grainsUsable(def);
  const plan: AggregatePlan = {
    rollup: def.name,
    segments: planRange(q.from, q.to, grains, horizons),
  };
  if (Object.keys(horizons).length > 0) plan.horizons = horizons;
  return { def, grains, plan };
}

/**
 * Runs an aggregate: groups by key (and bucket for a series), merged across all segments. Where
 * retention has deleted raw rows (or a rollup grain), the range is planned again around the
 * workspace's horizons, so old ranges are answered from the rollups still kept.
 */
export async function aggregate(
  store: Store,
  q: AggregateQuery,
  planned = planAggregate(q),
): Promise<{ groups: Group[]; plan: AggregatePlan }> {
  if (planned.def) {
    const { grains } = planned;
    const horizons = await readHorizons(store, q.workspace);
    if (Object.keys(horizons).length > 0) planned = planAggregate(q, () => grains, horizons);
  }
  const groups = new Map<string, Group>();
  for (const seg of planned.plan.segments) {
    if (seg.source === 'raw') await foldRaw(store, q, seg, groups);
    else await mergeRollup(store, q, planned.def!, seg, groups);
  }
  return { groups: [...groups.values()], plan: planned.plan };
}

function groupFor(groups: Map<string, Group>, key: string | null, bucket: number | null): Group {
  const id = `${bucket}\u0000${key}`;
  let g = groups.get(id);
  if (!g) groups.set(id, (g = { key, bucket, stats: emptyStats(), bins: new Map() }));
  return g;
}

async function mergeRollup(
  store: Store,
  q: AggregateQuery,
  def: RollupDef,
  seg: Segment,
  groups: Map<string, Group>,
): Promise<void> {
  const rows = await store.readRollup({
    def,
    grain: seg.source as Exclude<Segment['source'], 'raw'>,
    from: seg.from,
    to: seg.to,
    workspace: q.workspace,
    type: q.type,
    by: q.by,
    perBucket: q.bucketOf !== undefined,
  });
  for (const r of rows) {
    const g = groupFor(groups, r.key, r.bucket === null ? null : q.bucketOf!(r.bucket));
    mergeStats(g.stats, r.stats);
    for (const [bin, n] of r.bins) g.bins.set(bin, (g.bins.get(bin) ?? 0) + n);
  }
}

async function foldRaw(
  store: Store,
  q: AggregateQuery,
  seg: Segment,
  groups: Map<string, Group>,
): Promise<void> {
  for await (const page of store.scanEvents({
    from: seg.from,
    to: seg.to,
    workspace: q.workspace,
    type: q.type,
  })) {
    for (const e of page)
      addEvent(groupFor(groups, keyOf(e, q.by), q.bucketOf ? q.bucketOf(e.timestamp) : null), e);
  }
}

function keyOf(e: CairnEvent, by: Dimension | null): string | null {
  if (by === null) return null;
  const v = dimensionValue(e, by);
  return v === '' ? null : v;
}
