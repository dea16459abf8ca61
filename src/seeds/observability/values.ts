import { CairnError } from '../../core/errors.js';
import { describe } from '../../core/validate-event.js';

/**
 * Readers for seed column values. D1 hands back integers, text and NULL, and NDJSON may carry
 * the same values as JSON numbers, strings or booleans; each reader accepts both and throws a
 * CairnError naming the seed column when a value cannot mean what the column holds, so a bad row
 * is reported in the seed's own terms rather than in Cairn's field names.
 */
export type Values = Readonly<Record<string, unknown>>;

const absent = (v: unknown): v is null | undefined => v === null || v === undefined;

/** A required key column (text or integer id), as text. */
export function readId(values: Values, field: string): string {
  const v = values[field];
  if (absent(v) || v === '') throw new CairnError('missing_field', `${field}: required`);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  throw new CairnError('invalid_type', `${field}: must be text or an integer, got ${describe(v)}`);
}

/** Optional text; numbers are accepted as their decimal form (D1 columns are loosely typed). */
export function readText(values: Values, field: string): string | null {
  const v = values[field];
  if (absent(v) || v === '') return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw new CairnError('invalid_type', `${field}: must be text, got ${describe(v)}`);
}

/**
 * An optional time as epoch milliseconds (the seed's INTEGER timestamps); ISO-8601 text with a
 * zone and numeric text are accepted as well.
 */
export function readTime(values: Values, field: string): number | null {
  const v = values[field];
  if (absent(v) || v === '') return null;
  const ms =
    typeof v === 'number'
      ? v
      : typeof v === 'string'
        ? /^-?\d+$/.test(v)
          ? Number(v)
          : Date.parse(v)
        : NaN;
  if (!Number.isSafeInteger(ms) || ms < 0)
    throw new CairnError(
      'invalid_timestamp',
      `${field}: must be epoch milliseconds or ISO-8601 text, got ${describe(v)}`,
    );
  return ms;
}

/** A token count: NULL or absent is 0 (the seed's DEFAULT 0); otherwise a non-negative integer. */
export function readCount(values: Values, field: string): number {
  const n = readInteger(values, field, 'invalid_token_count');
  if (n !== null && n < 0)
    throw new CairnError('invalid_token_count', `${field}: must not be negative, got ${n}`);
  return n ?? 0;
}

/** An optional integer (a sequence number, a duration). */
export function readInteger(
  values: Values,
  field: string,
  code: 'invalid_number' | 'invalid_token_count' = 'invalid_number',
): number | null {
  const v = values[field];
  if (absent(v) || v === '') return null;
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n === 'number' && Number.isSafeInteger(n)) return n;
  throw new CairnError(code, `${field}: must be an integer, got ${describe(v)}`);
}

/** An optional non-negative number (a duration in ms, which may have a fraction). */
export function readDuration(values: Values, field: string): number | null {
  const v = values[field];
  if (absent(v) || v === '') return null;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n === 'number' && Number.isFinite(n) && n >= 0) return n;
  throw new CairnError(
    'invalid_number',
    `${field}: must be a non-negative number, got ${describe(v)}`,
  );
}

/** A 0/1 flag (SQLite has no boolean): 0, 1, true, false, "0", "1"; absent is false. */
export function readFlag(values: Values, field: string): boolean {
  const v = values[field];
  if (absent(v)) return false;
  if (v === 1 || v === true || v === '1') return true;
  if (v === 0 || v === false || v === '0') return false;
  throw new CairnError('invalid_value', `${field}: must be 0 or 1, got ${describe(v)}`);
}

/** A JSON column: JSON text as D1 stores it, or the parsed value as NDJSON may carry it. */
export function readJson(values: Values, field: string): unknown {
  const v = values[field];
  if (absent(v) || v === '') return null;
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    throw new CairnError('invalid_value', `${field}: must be valid JSON text, got ${describe(v)}`);
  }
}

/** A JSON column kept as the text the seed stores (its views return it unchanged). */
export function readJsonText(values: Values, field: string): string | null {
  const v = values[field];
  if (absent(v) || v === '') return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The columns of `values` not in `known`, for the event's attributes; null when none. */
export function extraColumns(
  values: Values,
  known: ReadonlySet<string>,
): Record<string, unknown> | null {
  const rest = Object.entries(values).filter(([k, v]) => !known.has(k) && v !== undefined);
  return rest.length > 0 ? Object.fromEntries(rest) : null;
}
