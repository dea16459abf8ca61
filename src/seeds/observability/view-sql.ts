import type { BackendKind } from '../../store/backend.js';
import { viewSql, type ViewSql } from '../sql.js';

/**
 * The shared fragments (../sql.ts) plus the few this seed's views need: JSON members read back as
 * the seed's INTEGER columns and 0/1 flags, and dollars from integer nano-dollars. All plain SQL,
 * so the views stay readable by any client of the database file.
 */
export interface ObservabilitySql extends ViewSql {
  /** A JSON member as an integer (bigint on PostgreSQL), null when absent. */
  jsonInt(column: string, key: string): string;
  /** A JSON boolean (or 0/1) member as the seed's 0/1 INTEGER flag; absent is 0. */
  flag(column: string, key: string): string;
  /** Integer nano-dollars (a sum, possibly null) → US dollars as a float, 0 when null. */
  usd(nanos: string): string;
}

export function observabilitySql(kind: BackendKind): ObservabilitySql {
  const base = viewSql(kind);
  const key = (k: string) => k.replace(/'/g, "''");
  if (kind === 'sqlite')
    return {
      ...base,
      jsonInt: (c, k) => `json_extract(${c}, '$."${key(k)}"')`,
      // json_extract gives 1 for true and 0 for false.
      flag: (c, k) => `(case when json_extract(${c}, '$."${key(k)}"') then 1 else 0 end)`,
      usd: (n) => `(coalesce(${n}, 0) / 1e9)`,
    };
  return {
    ...base,
    jsonInt: (c, k) => `((${c} ->> '${key(k)}')::bigint)`,
    flag: (c, k) => `(case when (${c} ->> '${key(k)}')::boolean then 1 else 0 end)`,
    usd: (n) => `(coalesce(${n}, 0)::double precision / 1e9)`,
  };
}
