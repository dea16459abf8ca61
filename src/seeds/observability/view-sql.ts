import type { BackendKind } from '../../store/backend.js';
import { viewSql, type ViewSql } from '../sql.js';

/**
 * The shared fragments (../sql.ts) plus the few this seed's views need: JSON members read back as
 * the seed's INTEGER columns and 0/1 flags, and dollars from integer nano-dollars. All plain SQL,
 * so the views stay readable by any client of the database file.
 */
export interface ObservabilitySql extends ViewSql {
  /**
   * A JSON member as an integer (bigint on PostgreSQL), null when absent or not a number — the
   * shared jsonInteger, so one loosely typed event never breaks a view on PostgreSQL.
   */
  jsonInt(column: string, key: string): string;
  /**
   * A JSON boolean (or 0/1) member as the seed's 0/1 INTEGER flag: 1 for true or a non-zero
   * number; absent, false, 0 or anything else (a string …) is 0, on both engines.
   */
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
      jsonInt: base.jsonInteger,
      // json_extract gives 1 for true and 0 for false; json_type keeps strings out.
      flag: (c, k) =>
        `(case when json_type(${c}, '$."${key(k)}"') in ('true', 'integer', 'real')
          and json_extract(${c}, '$."${key(k)}"') <> 0 then 1 else 0 end)`,
      usd: (n) => `(coalesce(${n}, 0) / 1e9)`,
    };
  return {
    ...base,
    jsonInt: base.jsonInteger,
    // A CASE, not AND, so only a JSON number ever reaches the numeric cast.
    flag: (c, k) =>
      `(case jsonb_typeof(${c} -> '${key(k)}')
        when 'boolean' then (case when (${c} -> '${key(k)}') = 'true'::jsonb then 1 else 0 end)
        when 'number' then (case when (${c} ->> '${key(k)}')::numeric <> 0 then 1 else 0 end)
        else 0 end)`,
    usd: (n) => `(coalesce(${n}, 0)::double precision / 1e9)`,
  };
}
