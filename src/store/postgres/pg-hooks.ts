import { sql } from 'kysely';
import type { BackendHooks } from '../backend.js';
import { installRowSecurity, scopeTransaction } from './row-security.js';

/** Arbitrary, fixed key of the advisory lock that serialises rollup writers. */
const WRITE_LOCK_KEY = 7_411_001;

/** Hooks shared by the PostgreSQL server and PGlite: the same engine, two transports. */
export const postgresHooks: BackendHooks = {
  jsonType: 'jsonb',
  bigintType: 'bigint',
  doubleType: 'double precision',
  // The wire protocol counts parameters in an Int16.
  maxParams: 65_000,
  addSeqColumn: (t) =>
    t.addColumn('seq', 'bigint', (c) => c.generatedAlwaysAsIdentity().primaryKey()),
  readJson: (v) => v,
  clustered: (t) => t,
  installFunctions: async (db) => {
    // Adds counts bin by bin and drops bins that fall to zero (after a retraction).
    await sql`
      create or replace function cairn_hist_merge(a jsonb, b jsonb) returns jsonb
      language sql immutable parallel safe as $$
        select coalesce(jsonb_object_agg(k, n) filter (where n <> 0), '{}'::jsonb)
        from (
          select k, sum(v::bigint) as n
          from (select key as k, value as v from jsonb_each_text(coalesce(a, '{}'::jsonb))
                union all
                select key, value from jsonb_each_text(coalesce(b, '{}'::jsonb))) as both_sides
          group by k
        ) as merged
      $$`.execute(db);
  },
  histEach: 'jsonb_each_text',
  installRowSecurity,
  scopeTransaction,
  lockWrites: async (trx) => {
    await sql`select pg_advisory_xact_lock(${WRITE_LOCK_KEY})`.execute(trx);
  },
};

/** OIDs whose text form we parse to numbers: int8 (counts, epoch ms, sums) and numeric (sums). */
export const NUMERIC_OIDS = { int8: 20, numeric: 1700 } as const;
