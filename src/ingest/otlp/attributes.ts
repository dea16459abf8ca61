import type { OtlpAnyValue, OtlpKeyValue } from './otlp-types.js';

/** Span, event or resource attributes as plain JSON values, keyed by attribute name. */
export type Attrs = Record<string, unknown>;

/**
 * Flattens OTLP key-values into a plain object. Integers become numbers when they fit in a double
 * exactly and stay decimal strings otherwise; non-finite doubles become strings (JSON has no NaN);
 * bytes stay base64. A later duplicate key wins, as in the SDKs.
 */
export function attrsOf(kvs: readonly OtlpKeyValue[]): Attrs {
  const out: Attrs = {};
  for (const kv of kvs) setOwn(out, kv.key, valueOf(kv.value));
  return out;
}

/**
 * Sets an own, enumerable property: unlike `out[key] = value`, a key such as `__proto__` (an
 * attribute name is any string) is stored as data instead of replacing the object's prototype.
 */
export function setOwn(out: Attrs, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

/** One AnyValue as a plain JSON value (null when unset). */
export function valueOf(v: OtlpAnyValue): unknown {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return intOf(v.intValue);
  if (v.doubleValue !== undefined)
    return Number.isFinite(v.doubleValue) ? v.doubleValue : String(v.doubleValue);
  if (v.arrayValue !== undefined) return v.arrayValue.values.map(valueOf);
  if (v.kvlistValue !== undefined) return attrsOf(v.kvlistValue.values);
  if (v.bytesValue !== undefined) return v.bytesValue;
  return null;
}

function intOf(decimal: string): number | string {
  const n = Number(decimal);
  return Number.isSafeInteger(n) ? n : decimal;
}

/** A non-empty string attribute, or undefined. */
export function str(a: Attrs, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const v = a[key];
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  }
  return undefined;
}

/**
 * A numeric attribute as a number, or undefined when absent. Numeric strings are read too (some
 * SDKs record counts as strings); anything else is passed through so that validation rejects it
 * with a message naming the value rather than it silently becoming 0.
 */
export function num(a: Attrs, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const v = a[key];
    if (v === undefined || v === null) continue;
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
    return v as number;
  }
  return undefined;
}

/**
 * A JSON value that may have been recorded as a JSON string (semconv allows either for
 * structured attributes such as gen_ai.input.messages); unparseable strings are returned as-is.
 */
export function structured(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const t = value.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return value;
  try {
    return JSON.parse(t);
  } catch {
    return value;
  }
}
