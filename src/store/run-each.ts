import type { Compilable } from 'kysely';

/**
 * Support for the `runEach` capability: a single-row statement is compiled once from a sample
 * row whose every value is a placeholder parameter, then run with each row's values in column
 * order. Compiling from a sample of zeros keeps Kysely from inlining anything (nulls included).
 */
export function singleRowSql(
  columns: readonly string[],
  build: (sample: Record<string, unknown>) => Compilable,
): string {
  const sample = Object.fromEntries(columns.map((c) => [c, 0]));
  const compiled = build(sample).compile();
  if (compiled.parameters.length !== columns.length) {
    throw new Error(
      `single-row statement has ${compiled.parameters.length} parameters for ${columns.length} columns`,
    );
  }
  return compiled.sql;
}

/** Each record's values in the given column order. */
export function paramRows(
  records: ReadonlyArray<Record<string, unknown>>,
  columns: readonly string[],
): unknown[][] {
  return records.map((r) => columns.map((c) => r[c] ?? null));
}
