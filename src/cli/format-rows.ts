/**
 * Output for `cairn query`: JSON as the API returns it, or the result flattened to rows for a
 * table or CSV (nested objects become dotted columns; series become one row per point).
 */
export type OutputFormat = 'table' | 'json' | 'csv';

export function formatResult(result: unknown, format: OutputFormat): string {
  if (format === 'json') return JSON.stringify(result, null, 2);
  const rows = rowsOf(result);
  return format === 'csv' ? toCsv(rows) : toTable(rows);
}

type Row = Record<string, unknown>;

function rowsOf(result: unknown): Row[] {
  if (Array.isArray(result)) return result.map((row) => flatten(row as Row));
  const r = result as { rows?: Row[]; series?: Array<{ key: unknown; points: Row[] }> };
  if (r.rows) return r.rows.map((row) => flatten(row));
  if (r.series)
    return r.series.flatMap((s) => s.points.map((p) => ({ key: s.key, ...flatten(p) })));
  return [flatten(result as Row)];
}

function flatten(obj: Row, prefix = ''): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v))
      Object.assign(out, flatten(v as Row, `${prefix}${k}.`));
    else out[`${prefix}${k}`] = v;
  }
  return out;
}

function columns(rows: Row[]): string[] {
  const cols = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) cols.add(k);
  return [...cols];
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number')
    return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  return String(v);
}

function toCsv(rows: Row[]): string {
  const cols = columns(rows);
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return [cols.join(','), ...rows.map((r) => cols.map((c) => quote(cell(r[c]))).join(','))].join(
    '\n',
  );
}

function toTable(rows: Row[]): string {
  if (rows.length === 0) return '(no rows)';
  const cols = columns(rows);
  const cells = rows.map((r) => cols.map((c) => cell(r[c])));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(cols), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
