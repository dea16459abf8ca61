import type { BackendHooks } from '../backend.js';

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
};

/** OIDs whose text form we parse to numbers: int8 (counts, epoch ms, sums) and numeric (sums). */
export const NUMERIC_OIDS = { int8: 20, numeric: 1700 } as const;
