import type { BackendKind } from '../store/backend.js';

/**
 * SQL fragments for seed views, per backend. Views are plain SQL that any client can SELECT from
 * (a BI tool opening the SQLite file has none of Cairn's registered functions), so everything
 * here is built from functions both engines have.
 */
export interface ViewSql {
  readonly kind: BackendKind;
  /** A JSON member of a JSON column as text (null when absent). */
  jsonText(column: string, key: string): string;
  /** A JSON member of a JSON column as a number (null when absent). */
  jsonNumber(column: string, key: string): string;
  /** Epoch milliseconds → ISO-8601 UTC text with milliseconds ("2026-11-21T10:00:00.000Z"). */
  isoTime(msColumn: string): string;
  /** Epoch milliseconds → timestamptz on PostgreSQL, ISO-8601 text on SQLite. */
  timestamp(msColumn: string): string;
  /** Epoch milliseconds → the UTC day as 'YYYY-MM-DD' text. */
  day(msColumn: string): string;
  /** Epoch milliseconds → the start of the UTC hour as ISO-8601 text. */
  hourIso(msColumn: string): string;
  /** A floating-point division that never divides by zero (null instead). */
  ratio(numerator: string, denominator: string): string;
}

export function viewSql(kind: BackendKind): ViewSql {
  return kind === 'sqlite' ? SQLITE : POSTGRES;
}

const quoteKey = (key: string) => key.replace(/'/g, "''");

const SQLITE: ViewSql = {
  kind: 'sqlite',
  jsonText: (c, k) => `json_extract(${c}, '$."${quoteKey(k)}"')`,
  jsonNumber: (c, k) => `json_extract(${c}, '$."${quoteKey(k)}"')`,
  isoTime: (c) => `strftime('%Y-%m-%dT%H:%M:%fZ', (${c}) / 1000.0, 'unixepoch')`,
  timestamp: (c) => `strftime('%Y-%m-%dT%H:%M:%fZ', (${c}) / 1000.0, 'unixepoch')`,
  day: (c) => `date((${c}) / 1000, 'unixepoch')`,
  hourIso: (c) => `strftime('%Y-%m-%dT%H:00:00.000Z', (${c}) / 1000, 'unixepoch')`,
  ratio: (n, d) => `(1.0 * (${n}) / nullif(${d}, 0))`,
};

const POSTGRES: ViewSql = {
  kind: 'postgres',
  jsonText: (c, k) => `(${c} ->> '${quoteKey(k)}')`,
  jsonNumber: (c, k) => `(${c} ->> '${quoteKey(k)}')::double precision`,
  isoTime: (c) =>
    `to_char(to_timestamp((${c}) / 1000.0) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  timestamp: (c) => `to_timestamp((${c}) / 1000.0)`,
  day: (c) => `to_char(to_timestamp((${c}) / 1000.0) at time zone 'UTC', 'YYYY-MM-DD')`,
  hourIso: (c) =>
    `to_char(date_trunc('hour', to_timestamp((${c}) / 1000.0) at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:00:00.000"Z"')`,
  ratio: (n, d) => `((${n})::double precision / nullif(${d}, 0))`,
};

/**
 * The continuous percentile (PostgreSQL's percentile_cont: linear interpolation between the two
 * nearest ranks) as an aggregate over rows already ranked within their group: `v` the value,
 * `rn` its 1-based rank by value, `n` the group's count. SQLite has no percentile function, so
 * both engines use this form and give the same answer:
 *
 *   select g, …, ${percentileOfRanked(0.95)} as p95
 *   from (select g, x as v, row_number() over (partition by g order by x) as rn,
 *                count(*) over (partition by g) as n
 *         from … where x is not null) group by g
 */
export function percentileOfRanked(p: number, v = 'v', rn = 'rn', n = 'n'): string {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile must be within [0, 1], got ${p}`);
  const pos = `((${n} - 1) * ${p})`;
  // floor(), not a cast: PostgreSQL rounds when casting to integer.
  const lo = `(floor(${pos}) + 1)`;
  const at = (rank: string) => `max(case when ${rn} = ${rank} then ${v} end)`;
  const frac = `max(${pos} - floor(${pos}))`;
  return `(${at(lo)} + ${frac} * (coalesce(${at(`${lo} + 1`)}, ${at(lo)}) - ${at(lo)}))`;
}
