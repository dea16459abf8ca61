import type { ErrorCode } from '../../core/errors.js';
import { parseTimestamp, type TimestampWindow } from '../../core/timestamp.js';
import { isObject, kindOf, type JsonObject, type MessageKind, type RequestId } from './jsonrpc.js';

/**
 * The seed's three tables, parsed at the edge: every row becomes a typed record or a rejection
 * with a catalogue code and a message naming the column.
 */

export type Direction = 'inbound' | 'outbound';

/** One logged JSON-RPC message. inbound = client → server, outbound = server → client. */
export interface Interaction {
  id: string;
  sessionId: string;
  ts: number;
  direction: Direction;
  kind: MessageKind;
  method: string | null;
  requestId: RequestId | null;
  message: JsonObject;
  /** Size of the message as logged, in UTF-8 bytes (the seed's input_size / output_size). */
  bytes: number;
}

export interface SessionRow {
  sessionId: string;
  startTime: number | null;
  lastActivity: number | null;
  status: string | null;
  metadata: unknown;
  extra: JsonObject;
}

export interface EventRow {
  id: string;
  sessionId: string | null;
  eventType: string;
  ts: number;
  data: unknown;
  extra: JsonObject;
}

export type Parsed<T> = { ok: true; row: T } | { ok: false; code: ErrorCode; message: string };

const fail = (
  code: ErrorCode,
  message: string,
): { ok: false; code: ErrorCode; message: string } => ({
  ok: false,
  code,
  message,
});

/** A SQLite DATETIME ("2026-11-20 12:00:00.123") has no zone; the seed writes UTC. */
const ZONELESS = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** Reads a timestamp column: ISO-8601, a zoneless SQLite DATETIME (UTC), or epoch ms. */
export function readTime(
  values: JsonObject,
  column: string,
  window: TimestampWindow,
): Parsed<number | null> {
  const v = values[column];
  if (v === undefined || v === null || v === '') return { ok: true, row: null };
  if (typeof v !== 'string' && typeof v !== 'number')
    return fail('invalid_type', `${column}: must be an ISO-8601 string or epoch milliseconds`);
  const text = typeof v === 'string' && ZONELESS.test(v) ? `${v.replace(' ', 'T')}Z` : v;
  const r = parseTimestamp(text, window);
  return r.ok ? { ok: true, row: r.ms } : fail(r.code, r.message.replace(/^timestamp/, column));
}

function readId(values: JsonObject, column: string): Parsed<string> {
  const v = values[column];
  if (v === undefined || v === null || v === '')
    return fail('missing_field', `${column}: required field is missing`);
  if (typeof v === 'number' && Number.isFinite(v)) return { ok: true, row: String(v) };
  if (typeof v !== 'string') return fail('invalid_type', `${column}: must be a string or a number`);
  if (v.length > 200) return fail('string_too_long', `${column}: must be at most 200 characters`);
  return { ok: true, row: v };
}

/** A JSON column: an object or array as is, or JSON text. */
function readJson(values: JsonObject, column: string): Parsed<unknown> {
  const v = values[column];
  if (typeof v !== 'string') return { ok: true, row: v ?? null };
  try {
    return { ok: true, row: JSON.parse(v) as unknown };
  } catch {
    return fail('invalid_value', `${column}: is not valid JSON text`);
  }
}

/** Parses an interactions row. */
export function parseInteraction(values: JsonObject, window: TimestampWindow): Parsed<Interaction> {
  const id = readId(values, 'id');
  if (!id.ok) return id;
  const session = readId(values, 'session_id');
  if (!session.ok) return session;
  const ts = readTime(values, 'timestamp', window);
  if (!ts.ok) return ts;
  if (ts.row === null) return fail('missing_field', 'timestamp: required field is missing');
  const direction = values['direction'];
  if (direction !== 'inbound' && direction !== 'outbound')
    return fail(
      direction == null ? 'missing_field' : 'invalid_value',
      `direction: must be "inbound" (client to server) or "outbound" (server to client), got ${JSON.stringify(direction ?? null)}`,
    );
  const content = readContent(values);
  if (!content.ok) return content;
  const kind = checkedKind(values, content.row.message);
  if (!kind.ok) return kind;
  const m = content.row.message;
  return {
    ok: true,
    row: {
      id: id.row,
      sessionId: session.row,
      ts: ts.row,
      direction,
      kind: kind.row,
      method: typeof m['method'] === 'string' ? m['method'] : null,
      requestId: typeof m['id'] === 'string' || typeof m['id'] === 'number' ? m['id'] : null,
      message: m,
      bytes: content.row.bytes,
    },
  };
}

function readContent(values: JsonObject): Parsed<{ message: JsonObject; bytes: number }> {
  const v = values['content'];
  if (v === undefined || v === null)
    return fail('missing_field', 'content: required field is missing');
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  const parsed = readJson({ content: v }, 'content');
  if (!parsed.ok) return parsed;
  if (!isObject(parsed.row))
    return fail('invalid_type', 'content: must be a JSON-RPC message (a JSON object)');
  return { ok: true, row: { message: parsed.row, bytes: Buffer.byteLength(text) } };
}

/** The message's kind from its shape; a logged message_type that disagrees is an error. */
function checkedKind(values: JsonObject, message: JsonObject): Parsed<MessageKind> {
  const kind = kindOf(message);
  if (kind === null)
    return fail(
      'invalid_value',
      'content: is not a JSON-RPC request, response or notification (needs method, or id with result or error)',
    );
  const logged = values['message_type'];
  if (logged != null && logged !== kind)
    return fail(
      'invalid_value',
      `message_type: ${JSON.stringify(logged)} disagrees with content, which is a ${kind}`,
    );
  return { ok: true, row: kind };
}

const SESSION_COLUMNS = new Set([
  'session_id',
  'id',
  'start_time',
  'last_activity',
  'status',
  'metadata',
]);

/** Parses a sessions row (session_id, start_time, last_activity, status, metadata, …). */
export function parseSession(values: JsonObject, window: TimestampWindow): Parsed<SessionRow> {
  const session = readId(
    values,
    values['session_id'] == null && values['id'] != null ? 'id' : 'session_id',
  );
  if (!session.ok) return session;
  const start = readTime(values, 'start_time', window);
  if (!start.ok) return start;
  const last = readTime(values, 'last_activity', window);
  if (!last.ok) return last;
  const status = values['status'];
  if (status != null && typeof status !== 'string')
    return fail('invalid_type', 'status: must be a string');
  const metadata = readJson(values, 'metadata');
  if (!metadata.ok) return metadata;
  return {
    ok: true,
    row: {
      sessionId: session.row,
      startTime: start.row,
      lastActivity: last.row,
      status: status || null,
      metadata: metadata.row,
      extra: rest(values, SESSION_COLUMNS),
    },
  };
}

const EVENT_COLUMNS = new Set(['id', 'session_id', 'event_type', 'timestamp', 'data']);

/** Parses an events row (id, session_id, event_type, timestamp, data). */
export function parseEventRow(values: JsonObject, window: TimestampWindow): Parsed<EventRow> {
  const id = readId(values, 'id');
  if (!id.ok) return id;
  const type = values['event_type'];
  if (typeof type !== 'string' || type === '')
    return fail(
      type == null ? 'missing_field' : 'invalid_type',
      'event_type: must be a non-empty string',
    );
  const ts = readTime(values, 'timestamp', window);
  if (!ts.ok) return ts;
  if (ts.row === null) return fail('missing_field', 'timestamp: required field is missing');
  const session = values['session_id'];
  if (session != null && typeof session !== 'string')
    return fail('invalid_type', 'session_id: must be a string');
  const data = readJson(values, 'data');
  if (!data.ok) return data;
  return {
    ok: true,
    row: {
      id: id.row,
      sessionId: session || null,
      eventType: type,
      ts: ts.row,
      data: data.row,
      extra: rest(values, EVENT_COLUMNS),
    },
  };
}

function rest(values: JsonObject, known: ReadonlySet<string>): JsonObject {
  return Object.fromEntries(Object.entries(values).filter(([k]) => !known.has(k)));
}
