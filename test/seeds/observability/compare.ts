import { sql, type Kysely } from 'kysely';
import type Database from 'better-sqlite3';
import type { Engine } from '../../../src/engine.js';

export type Row = Record<string, unknown>;

/** Rows of a relation in the scratch seed database. */
export function seedRows(db: Database.Database, relation: string): Row[] {
  return db.prepare(`select * from ${relation}`).all() as Row[];
}

/** Rows of one of Cairn's views, as a BI tool would read them: plain SELECT over the relation. */
export async function cairnRows(engine: Engine, relation: string): Promise<Row[]> {
  const r = await sql
    .raw<Row>(`select * from ${relation}`)
    .execute(engine.store.reader as Kysely<unknown>);
  return r.rows;
}

/**
 * A value in a form both engines agree on: PostgreSQL returns bigint and numeric as text and
 * jsonb arrays with spaces after commas; SQLite returns integers and compact JSON text.
 */
export function normalise(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') {
    if (/^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(v)) return Number(v);
    if (v.startsWith('[')) return JSON.stringify(JSON.parse(v));
  }
  return v;
}

/** The given columns of a row, normalised. */
export function project(row: Row, columns: readonly string[]): Row {
  return Object.fromEntries(columns.map((c) => [c, normalise(row[c])]));
}

/** Rows projected and sorted by a key, for an order-independent comparison. */
export function keyed(rows: readonly Row[], columns: readonly string[], key: (r: Row) => string) {
  return new Map(rows.map((r) => [key(r), project(r, columns)]));
}
