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
  /**
   * A JSON member of a JSON column as a number: null when absent or not a JSON number (a string,
   * a boolean …), the same on both engines. Events' detail is loosely typed, so one event's
   * `"sequence": "first"` must read as null, not fail the view for every workspace.
   */
  jsonNumber(column: string, key: string): string;
  /**
   * A JSON member as an integer (bigint on PostgreSQL), a fractional number truncated toward
   * zero; null when absent, not a JSON number, or beyond the 64-bit range.
   */
  jsonInteger(column: string, key: string): string;
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

/**
 * A JSON number beyond this is out of a double's range (PostgreSQL fails the cast, SQLite reads
 * Inf), and one nearer zero than DOUBLE_TINY underflows (PostgreSQL fails, SQLite reads 0): both
 * engines read the first as null and the second as 0.
 */
const DOUBLE_MAX = '1e308';
const DOUBLE_TINY = '1e-300';
/** 2^63: integers must stay below it in magnitude to fit a bigint. */
const BIGINT_BOUND = '9223372036854775808';

// SQLite: json_type says 'integer' or 'real' for JSON numbers only ('text' for "12").
const sqliteMember = (c: string, k: string) => `${c}, '$."${quoteKey(k)}"'`;
const sqliteIsNumber = (c: string, k: string) =>
  `json_type(${sqliteMember(c, k)}) in ('integer', 'real')`;

// PostgreSQL: only a JSON number is cast, inside a CASE (which, unlike AND, fixes the order of
// evaluation), so a string member never reaches the cast.
const pgNumeric = (c: string, k: string) => `(${c} ->> '${quoteKey(k)}')::numeric`;
const pgIfNumber = (c: string, k: string, then: string) =>
  `(case when jsonb_typeof(${c} -> '${quoteKey(k)}') = 'number' then ${then} end)`;

const SQLITE: ViewSql = {
  kind: 'sqlite',
  jsonText: (c, k) => `json_extract(${c}, '$."${quoteKey(k)}"')`,
  jsonNumber: (c, k) =>
    `(case when not ${sqliteIsNumber(c, k)} then null
      when abs(json_extract(${sqliteMember(c, k)})) < ${DOUBLE_TINY} then 0.0
      when abs(json_extract(${sqliteMember(c, k)})) < ${DOUBLE_MAX}
      then json_extract(${sqliteMember(c, k)}) end)`,
  jsonInteger: (c, k) =>
    `(case json_type(${sqliteMember(c, k)}) when 'integer' then json_extract(${sqliteMember(c, k)})
      when 'real' then (case when abs(json_extract(${sqliteMember(c, k)})) < ${BIGINT_BOUND}.0
        then cast(json_extract(${sqliteMember(c, k)}) as integer) end) end)`,
  isoTime: (c) => `strftime('%Y-%m-%dT%H:%M:%fZ', (${c}) / 1000.0, 'unixepoch')`,
  timestamp: (c) => `strftime('%Y-%m-%dT%H:%M:%fZ', (${c}) / 1000.0, 'unixepoch')`,
  day: (c) => `date((${c}) / 1000, 'unixepoch')`,
  hourIso: (c) => `strftime('%Y-%m-%dT%H:00:00.000Z', (${c}) / 1000, 'unixepoch')`,
  ratio: (n, d) => `(1.0 * (${n}) / nullif(${d}, 0))`,
};

const POSTGRES: ViewSql = {
  kind: 'postgres',
  jsonText: (c, k) => `(${c} ->> '${quoteKey(k)}')`,
  jsonNumber: (c, k) =>
    pgIfNumber(
      c,
      k,
      `(case when abs(${pgNumeric(c, k)}) < ${DOUBLE_TINY} then 0::double precision
        when abs(${pgNumeric(c, k)}) < ${DOUBLE_MAX} then ${pgNumeric(c, k)}::double precision end)`,
    ),
  jsonInteger: (c, k) =>
    pgIfNumber(
      c,
      k,
      `(case when abs(${pgNumeric(c, k)}) < ${BIGINT_BOUND} then trunc(${pgNumeric(c, k)})::bigint end)`,
    ),
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
