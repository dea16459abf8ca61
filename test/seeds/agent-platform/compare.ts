import { sql } from 'kysely';
import { expect } from 'vitest';
import type { Engine } from '../../../src/engine.js';
import type { ViewRows } from './expected.js';

const DATE_COLUMNS = new Set(['metric_date', 'activity_date', 'cohort_date']);
const JSON_COLUMNS = new Set([
  'credits_by_model',
  'top_agents',
  'errors_by_type',
  'error_types',
  'common_failure_reasons',
  'retention_data',
  'metadata',
]);

/** Reads a seed view (analytics.x on PostgreSQL), in the plain JSON-like shape of expected.ts. */
export async function readView(engine: Engine, view: string): Promise<ViewRows> {
  const name = engine.store.kind === 'sqlite' ? view : `analytics.${view}`;
  const { rows } = await sql
    .raw<Record<string, unknown>>(`select * from ${name}`)
    .execute(engine.store.reader);
  return rows.map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, normalize(k, v)])),
  );
}

function normalize(column: string, v: unknown): unknown {
  if (v instanceof Date) {
    // pg reads DATE as local midnight and TIMESTAMPTZ as the instant.
    if (!DATE_COLUMNS.has(column)) return v.toISOString();
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${v.getFullYear()}-${pad(v.getMonth() + 1)}-${pad(v.getDate())}`;
  }
  if (typeof v === 'string' && JSON_COLUMNS.has(column)) return JSON.parse(v);
  return v;
}

/** True when a and b agree: numbers within 1e-9 relative, everything else structurally. */
export function close(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number')
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => close(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return close(ka, kb) && ka.every((k) => close((a as never)[k], (b as never)[k]));
  }
  return a === b;
}

/** Asserts that a view holds exactly the expected rows, matched by their key columns. */
export function expectRows(actual: ViewRows, expected: ViewRows, keys: readonly string[]): void {
  const keyOf = (r: Record<string, unknown>) => keys.map((k) => String(r[k])).join('|');
  const want = new Map(expected.map((r) => [keyOf(r), r]));
  expect(actual.map(keyOf).sort()).toEqual([...want.keys()].sort());
  for (const row of actual) {
    const w = want.get(keyOf(row))!;
    expect(Object.keys(row).sort()).toEqual(Object.keys(w).sort());
    for (const [k, v] of Object.entries(w))
      if (!close(row[k], v))
        expect({ key: keyOf(row), [k]: row[k] }).toEqual({ key: keyOf(row), [k]: v });
  }
}
