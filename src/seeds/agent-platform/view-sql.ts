import type { BackendKind } from '../../store/backend.js';
import { percentileOfRanked, viewSql, type ViewSql } from '../sql.js';

/**
 * SQL fragments of the agent-platform views beyond the shared ones: names in the seed's
 * `analytics` schema on PostgreSQL, the JSON aggregates the seed stores breakdowns with, the
 * clock, and the seed's DATE / TIMESTAMPTZ output types. Time keys inside the views are epoch-ms
 * integers truncated to the UTC day or hour, so grouping and joining are the same on every engine.
 */
export interface ApSql extends ViewSql {
  readonly pg: boolean;
  /** A view's name: `analytics.x` on PostgreSQL, `x` on SQLite. */
  rel(name: string): string;
  /** Now, in epoch ms (the seed's NOW()). */
  readonly nowMs: string;
  /** The start of the UTC day (or hour) holding an epoch-ms integer, as an epoch-ms integer. */
  dayKey(ms: string): string;
  hourKey(ms: string): string;
  /** An epoch-ms day key as the seed's DATE (text 'YYYY-MM-DD' on SQLite). */
  date(dayMs: string): string;
  /** An epoch-ms instant as the seed's TIMESTAMPTZ (ISO-8601 text on SQLite). */
  instant(ms: string): string;
  /** A JSON object from key/value pairs. */
  object(...pairs: string[]): string;
  /** Aggregate: a JSON object of key → value over the group. */
  objectAgg(key: string, value: string): string;
  /** Aggregate: a JSON array of `value` over the group, in `orderBy` order. */
  arrayAgg(value: string, orderBy: string): string;
  /** An empty JSON object / array literal, for groups with nothing to break down. */
  readonly emptyObject: string;
  readonly emptyArray: string;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

export function apSql(kind: BackendKind): ApSql {
  const base = viewSql(kind);
  const pg = kind !== 'sqlite';
  const common = {
    ...base,
    pg,
    dayKey: (ms: string) => `((${ms}) / ${DAY}) * ${DAY}`,
    hourKey: (ms: string) => `((${ms}) / ${HOUR}) * ${HOUR}`,
  };
  if (!pg)
    return {
      ...common,
      rel: (n) => n,
      // julianday, not unixepoch('subsec'): older SQLite clients can read the views too.
      nowMs: `cast((julianday('now') - 2440587.5) * ${DAY} as integer)`,
      date: (d) => base.day(d),
      instant: (ms) => base.isoTime(ms),
      object: (...pairs) => `json_object(${pairs.join(', ')})`,
      objectAgg: (k, v) => `json_group_object(${k}, ${v})`,
      arrayAgg: (v, o) => `json_group_array(json(${v}) order by ${o})`,
      emptyObject: `'{}'`,
      emptyArray: `'[]'`,
    };
  return {
    ...common,
    rel: (n) => `analytics.${n}`,
    nowMs: `(extract(epoch from now()) * 1000)::bigint`,
    date: (d) => `(${base.day(d)})::date`,
    instant: (ms) => base.timestamp(ms),
    object: (...pairs) => `jsonb_build_object(${pairs.join(', ')})`,
    objectAgg: (k, v) => `jsonb_object_agg(${k}, ${v})`,
    arrayAgg: (v, o) => `jsonb_agg(${v} order by ${o})`,
    emptyObject: `'{}'::jsonb`,
    emptyArray: `'[]'::jsonb`,
  };
}

/**
 * Exact percentiles (percentile_cont) of `value` per group: a subquery with the group columns
 * and one column per named percentile. Rows with a null value are left out, as percentile_cont
 * leaves them out.
 */
export function percentiles(
  from: string,
  groupBy: readonly string[],
  value: string,
  wanted: Readonly<Record<string, number>>,
): string {
  const g = groupBy.join(', ');
  const cols = Object.entries(wanted)
    .map(([name, p]) => `${percentileOfRanked(p)} as ${name}`)
    .join(', ');
  return `(select ${g}, ${cols} from (
      select ${g}, ${value} as v,
        row_number() over (partition by ${g} order by ${value}) as rn,
        count(*) over (partition by ${g}) as n
      from ${from} where ${value} is not null) ranked
    group by ${g})`;
}
