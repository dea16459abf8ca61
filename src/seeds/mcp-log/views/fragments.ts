import type { BackendKind } from '../../../store/backend.js';
import { viewSql, type ViewSql } from '../../sql.js';

/**
 * The SQL the mcp-log views share, per backend, on top of ../../sql.ts: JSON members of the
 * events table's columns, and casts that make SQLite and PostgreSQL give the same values.
 */
export interface McpSql extends ViewSql {
  /** A member of events.attributes / .counters / .detail (alias `e`) as text or number. */
  attr(key: string): string;
  attrNum(key: string): string;
  counter(key: string): string;
  detailText(key: string): string;
  /** A seed record's data member (alias `r`). */
  data(key: string): string;
  dataNum(key: string): string;
  /**
   * Text that is an integer of at most 18 digits → integer (64-bit: a code past 32 bits must not
   * break the view for every row), anything else → null.
   */
  intOrNull(expr: string): string;
  /** A JSON column as JSON text. */
  jsonColumn(expr: string): string;
  /** round(x, 2) as a number (PostgreSQL rounds numeric only). */
  round2(expr: string): string;
}

export function mcpSql(kind: BackendKind): McpSql {
  const v = viewSql(kind);
  const sqlite = kind === 'sqlite';
  // json_extract keeps a JSON number a number; ->> gives text. Cast so both give text.
  const text = (expr: string) => (sqlite ? `cast(${expr} as text)` : expr);
  return {
    ...v,
    attr: (k) => text(v.jsonText('e.attributes', k)),
    attrNum: (k) => v.jsonNumber('e.attributes', k),
    counter: (k) => v.jsonNumber('e.counters', k),
    detailText: (k) => text(v.jsonText('e.detail', k)),
    data: (k) => text(v.jsonText('r.data', k)),
    dataNum: (k) => v.jsonNumber('r.data', k),
    intOrNull: (x) =>
      sqlite
        ? `(case when length(ltrim(${x}, '-')) <= 18 and (${x} glob '[0-9]*' and ${x} not glob '*[^0-9]*' or ${x} glob '-[0-9]*' and substr(${x}, 2) not glob '*[^0-9]*') then cast(${x} as integer) end)`
        : `(case when ${x} ~ '^-?[0-9]{1,18}$' then (${x})::bigint end)`,
    jsonColumn: (x) => (sqlite ? x : `(${x})::text`),
    round2: (x) => (sqlite ? `round(${x}, 2)` : `round((${x})::numeric, 2)`),
  };
}

/** A SQL string literal. */
export function lit(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
