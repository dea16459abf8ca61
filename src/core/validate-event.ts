import type { z } from 'zod';
import type { CairnEvent } from './event.js';
import { usdToNanos } from './event.js';
import type { ErrorCode } from './errors.js';
import {
  CONTEXT_FIELDS,
  DETAIL_KEYS,
  KNOWN_FIELDS,
  LIMITS,
  NAME_FIELD,
  type TokenField,
  wireEventSchema,
  type DetailKey,
  type WireEvent,
} from './event-schema.js';
import { parseTimestamp, type TimestampWindow } from './timestamp.js';

export interface ValidationContext {
  defaultWorkspace: string;
  window: TimestampWindow;
  maxEventBytes: number;
}

export type Rejection = { code: ErrorCode; message: string };
export type ValidationResult = { ok: true; event: CairnEvent } | ({ ok: false } & Rejection);

const REQUIRED = new Set(['id', 'type', 'timestamp']);

/** Validates one wire item and turns it into a canonical event, or says exactly what is wrong. */
export function validateEvent(item: unknown, ctx: ValidationContext): ValidationResult {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return reject('invalid_event', `event must be a JSON object, got ${describe(item)}`);
  }
  const json = JSON.stringify(item);
  const bytes = Buffer.byteLength(json);
  if (bytes > ctx.maxEventBytes) {
    return reject('event_too_large', `event is ${bytes} bytes; the limit is ${ctx.maxEventBytes}`);
  }
  const parsed = wireEventSchema.safeParse(storable(item, json), { reportInput: true });
  if (!parsed.success) return { ok: false, ...rejectionOf(parsed.error.issues[0]) };
  const ts = parseTimestamp(parsed.data.timestamp, ctx.window);
  if (!ts.ok) return reject(ts.code, ts.message);
  return normalize(parsed.data, ts.ms, ctx);
}

function reject(code: ErrorCode, message: string): ValidationResult {
  return { ok: false, code, message };
}

/**
 * PostgreSQL cannot store U+0000, nor a lone UTF-16 surrogate (pg writes it as U+FFFD, so two
 * different ids could collide there and not elsewhere). Both become U+FFFD on every backend
 * alike. JSON.stringify escapes exactly these (and control characters) as \\uXXXX, so they
 * are found in its output; an escape preceded by an odd number of backslashes is literal text.
 */
const UNSTORABLE = /(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/gi;

function storable(item: object, json: string): unknown {
  if (!/\\u(?:0000|d[89a-f])/i.test(json)) return item;
  return JSON.parse(json.replace(UNSTORABLE, '$1\\ufffd'));
}

/** Maps the first schema issue to a catalogue code and a message naming the field. */
export function rejectionOf(issue: z.core.$ZodIssue | undefined): Rejection {
  if (!issue) return { code: 'invalid_event', message: 'event failed validation' };
  const field = issue.path.map(String).join('.') || 'event';
  const input = (issue as { input?: unknown }).input;
  const absent = input === undefined || input === null;
  const code = codeOf(issue, field, absent);
  if (code === 'missing_field') return { code, message: `${field}: required field is missing` };
  return { code, message: `${field}: ${explain(issue, code)}, got ${describe(input)}` };
}

function codeOf(issue: z.core.$ZodIssue, field: string, absent: boolean): ErrorCode {
  if (REQUIRED.has(field) && absent) return 'missing_field';
  if (field === 'type' && issue.code === 'invalid_value') return 'unknown_event_type';
  if (issue.path[0] === 'usage' && issue.path.length === 2) return 'invalid_token_count';
  if (issue.code === 'too_big' && issue.origin === 'string') return 'string_too_long';
  // The only custom check is the UTF-8 byte limit of context strings.
  if (issue.code === 'custom') return 'string_too_long';
  if (issue.code === 'too_small' && issue.origin === 'string') return 'invalid_value';
  if (issue.code === 'too_big' || issue.code === 'too_small') return 'invalid_number';
  if (issue.code === 'invalid_value') return 'invalid_value';
  if (issue.code === 'invalid_type' && issue.expected === 'int') return 'invalid_number';
  return 'invalid_type';
}

function explain(issue: z.core.$ZodIssue, code: ErrorCode): string {
  switch (code) {
    case 'unknown_event_type':
    case 'invalid_value':
      return issue.code === 'invalid_value'
        ? `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`
        : 'must not be empty';
    case 'invalid_token_count':
      return 'must be a non-negative integer';
    case 'string_too_long':
      return issue.code === 'custom'
        ? issue.message
        : `must be at most ${(issue as { maximum?: number }).maximum} characters`;
    case 'invalid_number':
      return issue.code === 'invalid_type'
        ? 'must be an integer'
        : `must be within range (${issue.message})`;
    default:
      return issue.code === 'invalid_type' ? `must be ${article(issue.expected)}` : issue.message;
  }
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/** A short description of a received value for error messages (never the whole value). */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  }
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function normalize(w: WireEvent, timestamp: number, ctx: ValidationContext): ValidationResult {
  const detailKey = DETAIL_KEYS.includes(w.type as DetailKey) ? (w.type as DetailKey) : null;
  const detail = detailKey
    ? ((w[detailKey] as Record<string, unknown> | null | undefined) ?? null)
    : null;
  const content = contentOf(detail);
  if (content !== null && content.length > LIMITS.contentLength) {
    return reject(
      'string_too_long',
      `message.content: must be at most ${LIMITS.contentLength} characters`,
    );
  }
  const event: CairnEvent = {
    id: w.id,
    type: w.type,
    workspace: w.workspace || ctx.defaultWorkspace,
    timestamp,
    duration_ms: w.duration_ms ?? null,
    ...contextOf(w),
    status: w.status ?? (w.error || toolResultFailed(w) ? 'error' : 'ok'),
    error_type: w.error?.type ?? (toolResultFailed(w) ? 'tool_error' : null),
    error_code: w.error?.code == null ? null : String(w.error.code),
    error_message: w.error?.message ?? null,
    ...tokensOf(w),
    cost_nanos: w.cost_usd == null ? null : usdToNanos(w.cost_usd),
    cost_source: w.cost_usd == null ? null : 'reported',
    price_ref: null,
    name: detailKey && detail ? stringOrNull(detail[NAME_FIELD[detailKey]]) : null,
    content,
    counters: w.counters && Object.keys(w.counters).length > 0 ? w.counters : null,
    attributes: attributesOf(w, detailKey),
    detail: detail ? restOf(detail, detailKey) : null,
    revision: w.revision ?? 0,
  };
  return { ok: true, event };
}

function contextOf(
  w: WireEvent,
): Omit<Record<(typeof CONTEXT_FIELDS)[number], string | null>, 'workspace'> {
  const out: Record<string, string | null> = {};
  // An empty string means "absent", as it does in the rollups' keys.
  for (const f of CONTEXT_FIELDS) if (f !== 'workspace') out[f] = w[f] || null;
  return out as Omit<Record<(typeof CONTEXT_FIELDS)[number], string | null>, 'workspace'>;
}

function tokensOf(w: WireEvent): Record<TokenField, number> {
  const u = w.usage;
  return {
    input_tokens: u?.input_tokens ?? 0,
    output_tokens: u?.output_tokens ?? 0,
    cache_read_tokens: u?.cache_read_tokens ?? 0,
    cache_write_tokens: u?.cache_write_tokens ?? 0,
    reasoning_tokens: u?.reasoning_tokens ?? 0,
  };
}

/**
 * MCP reports a failing tool as a result with `isError: true`, not as a JSON-RPC error; a tool
 * call carrying such a result and no error of its own is a failed call (type tool_error).
 */
function toolResultFailed(w: WireEvent): boolean {
  if (w.type !== 'tool_call' || w.error) return false;
  const result = (w.tool_call as { result?: unknown } | null | undefined)?.result;
  return (
    typeof result === 'object' &&
    result !== null &&
    (result as { isError?: unknown }).isError === true
  );
}

function contentOf(detail: Record<string, unknown> | null): string | null {
  const c = detail?.['content'];
  if (c === undefined || c === null) return null;
  return typeof c === 'string' ? c : JSON.stringify(c);
}

function stringOrNull(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** Unknown top-level fields and per-type objects of other types are kept, never rejected. */
function attributesOf(w: WireEvent, own: DetailKey | null): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(w)) {
    const foreignDetail = (DETAIL_KEYS as string[]).includes(k) && k !== own && v != null;
    if (!KNOWN_FIELDS.has(k) || foreignDetail) out[k] = v;
  }
  Object.assign(out, w.attributes ?? {});
  return Object.keys(out).length > 0 ? out : null;
}

function restOf(
  detail: Record<string, unknown>,
  key: DetailKey | null,
): Record<string, unknown> | null {
  const skip = new Set(['content', key ? NAME_FIELD[key] : '']);
  const rest = Object.fromEntries(
    Object.entries(detail).filter(([k, v]) => !skip.has(k) && v !== undefined),
  );
  return Object.keys(rest).length > 0 ? rest : null;
}
