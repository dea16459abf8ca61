import type { CairnEvent } from '../core/event.js';

/**
 * Rollups declared as data. A rollup is a table keyed by grain, workspace, bucket (UTC start,
 * epoch ms), event type and its dimensions, holding mergeable measures and a latency histogram.
 * Dimensions that are few in number share one wide rollup (a question about `platform` sums the
 * `context` rollup over the others), so an event touches five rollups rather than eleven — each
 * touched row is an upsert inside the ingest transaction. The fold, the migrations, verify,
 * rebuild and the planner are generic over this table.
 */
export const ROLLUP_GRAINS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
export type RollupGrain = keyof typeof ROLLUP_GRAINS;
/** Coarsest first: the planner tries them in this order. */
export const GRAINS_COARSE_FIRST: readonly RollupGrain[] = ['day', 'hour', 'minute'];

/** Dimensions a summary or series can be grouped by, and the raw column behind each. */
export const DIMENSION_COLUMNS = {
  type: 'type',
  model: 'model',
  provider: 'provider',
  app: 'app',
  domain: 'domain',
  platform: 'platform',
  environment: 'environment',
  agent: 'agent',
  tool: 'tool',
  user: 'user_id',
  client: 'client_name',
  status: 'status',
} as const satisfies Record<string, keyof CairnEvent>;
export type Dimension = keyof typeof DIMENSION_COLUMNS;
export const DIMENSION_NAMES = Object.keys(DIMENSION_COLUMNS) as Dimension[];

/** A dimension kept in rollups (every one but `type`, which keys every row, and `user`). */
export type RollupDimension = Exclude<Dimension, 'type' | 'user'>;

export interface RollupDef {
  /** The table is `rollup_<name>`; never renamed once released. */
  readonly name: string;
  readonly dimensions: readonly RollupDimension[];
  readonly grains: readonly RollupGrain[];
}

/**
 * The rollups. Per-user numbers come from the user-day activity set instead (one row per user
 * and UTC day), which is what DAU/WAU/MAU and retention need anyway.
 */
export const ROLLUPS: readonly RollupDef[] = [
  // Per-type totals: narrow, so the overview's quantiles merge a few histograms, not thousands.
  { name: 'total', dimensions: [], grains: ['minute', 'hour', 'day'] },
  {
    name: 'context',
    dimensions: ['app', 'domain', 'platform', 'environment', 'status'],
    grains: ['minute', 'hour', 'day'],
  },
  // Minutes too (since migration 0009): the last-hour and last-day views' ragged edges would
  // otherwise be read from raw events, up to an hour of them on each side.
  { name: 'model', dimensions: ['model', 'provider'], grains: ['minute', 'hour', 'day'] },
  { name: 'agent', dimensions: ['agent'], grains: ['minute', 'hour', 'day'] },
  { name: 'tool', dimensions: ['tool', 'client'], grains: ['minute', 'hour', 'day'] },
];

/**
 * The narrowest rollup able to group by a dimension (`type` and no dimension use `total`), or
 * null: then only raw events can answer.
 */
export function rollupFor(by: Dimension | null): RollupDef | null {
  if (by === null || by === 'type') return ROLLUPS.find((r) => r.name === 'total')!;
  return ROLLUPS.find((r) => (r.dimensions as readonly Dimension[]).includes(by)) ?? null;
}

export function tableOf(def: RollupDef): string {
  return `rollup_${def.name}`;
}

/** The value a dimension takes for an event; rollups store an absent value as ''. */
export function dimensionValue(e: CairnEvent, d: Dimension): string | null {
  return e[DIMENSION_COLUMNS[d]] as string | null;
}

/** Events whose status counts as an error in error rates. Cancelled is not an error. */
export function isError(status: string): boolean {
  return status === 'error' || status === 'timeout';
}

/** UTC bucket start of a timestamp at a grain. */
export function bucketOf(ts: number, grain: RollupGrain): number {
  const size = ROLLUP_GRAINS[grain];
  return ts - (((ts % size) + size) % size);
}
