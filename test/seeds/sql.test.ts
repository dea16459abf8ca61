import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import { viewSql } from '../../src/seeds/sql.js';
import { openTestEngine, postgresAvailable, type BackendName } from '../support/databases.js';

/**
 * The shared JSON fragments of seed views read a loosely typed member the same way on every
 * engine: a JSON number is a number, anything else (a string, even "12", a boolean, an object,
 * an absent key) is null — never an error that would break the view for every workspace.
 */
const BACKENDS: BackendName[] = [
  'sqlite',
  'pglite',
  ...((await postgresAvailable()) ? (['postgres'] as const) : []),
];

const CASES: readonly [json: string, number: number | null, integer: number | null][] = [
  ['{"k": 42}', 42, 42],
  ['{"k": -7}', -7, -7],
  ['{"k": 2.75}', 2.75, 2],
  ['{"k": -2.75}', -2.75, -2],
  ['{"k": 1763640000000}', 1763640000000, 1763640000000],
  ['{"k": "first"}', null, null],
  ['{"k": "12"}', null, null],
  ['{"k": ""}', null, null],
  ['{"k": true}', null, null],
  ['{"k": null}', null, null],
  ['{"k": [1]}', null, null],
  ['{"k": {"n": 1}}', null, null],
  ['{"other": 1}', null, null],
  ['{"k": 1e300}', 1e300, null],
  ['{"k": 1e400}', null, null],
  ['{"k": 1e-400}', 0, 0],
  ['{"k": 0}', 0, 0],
  ['{"k": 1e-320}', 0, 0],
  ['{"k": 9223372036854775807}', 2 ** 63, 2 ** 63], // 2^63 - 1 reads as the nearest double
];

describe.each(BACKENDS)('seed view fragments on %s', (kind) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine(kind);
  });
  afterAll(() => engine?.close());

  const read = async (fragment: (c: string, k: string) => string, json: string) => {
    const literal = `'${json.replace(/'/g, "''")}'${kind === 'sqlite' ? '' : '::jsonb'}`;
    const r = await sql
      .raw<{ v: unknown }>(`select ${fragment('t.d', 'k')} as v from (select ${literal} as d) t`)
      .execute(engine.store.reader as Kysely<unknown>);
    const v = r.rows[0]!.v;
    return v === null || v === undefined ? null : Number(v);
  };

  it.each(CASES)('jsonNumber / jsonInteger of %s', async (json, number, integer) => {
    const q = viewSql(kind);
    expect(await read(q.jsonNumber, json)).toBe(number);
    expect(await read(q.jsonInteger, json)).toBe(integer);
  });

  it('a null column reads as null', async () => {
    const q = viewSql(kind);
    const r = await sql
      .raw<{ a: unknown; b: unknown }>(
        `select ${q.jsonNumber('t.d', 'k')} as a, ${q.jsonInteger('t.d', 'k')} as b
         from (select null${kind === 'sqlite' ? '' : '::jsonb'} as d) t`,
      )
      .execute(engine.store.reader as Kysely<unknown>);
    expect(r.rows[0]).toEqual({ a: null, b: null });
  });
});
