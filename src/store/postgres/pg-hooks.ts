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
    // Adds counts bin by bin and drops bins that fall to zero (after a retraction). Walks only
    // the delta's bins (a batch's few) and overlays them on the stored histogram, rather than
    // regrouping every stored bin: hour and day rows hold hundreds, and are merged every batch.
    await sql`
      create or replace function cairn_hist_merge(a jsonb, b jsonb) returns jsonb
      language sql immutable parallel safe as $$
        select case
          when b is null or b = '{}'::jsonb then coalesce(a, '{}'::jsonb)
          else (
            select (coalesce(a, '{}'::jsonb)
                    || coalesce(jsonb_object_agg(key, n) filter (where n <> 0), '{}'::jsonb))
                   - coalesce(array_agg(key) filter (where n = 0), '{}'::text[])
            from (select key, coalesce((a ->> key)::bigint, 0) + value::bigint as n
                  from jsonb_each_text(b)) as delta)
        end
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
