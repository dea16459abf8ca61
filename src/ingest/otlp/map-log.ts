import { createHash } from 'node:crypto';
import { attrsOf, str, structured, valueOf, type Attrs } from './attributes.js';
import type { MessageDraft, MessageSource } from './chat-messages.js';
import { spanEventId, type ResourceContext, type WireObject } from './map-span.js';
import type { OtlpLogRecord } from './otlp-types.js';
import { nanosToMs } from './time.js';

/**
 * One OTLP log record → what the message mapping needs: its event name, its fields (attributes
 * plus, for the per-message events, the body's fields, where gen-ai-events-deprecated.yaml puts
 * content and role), its time and a stable key. Field mapping: docs/otel.md, "Log records".
 */
export interface LogToMap {
  record: OtlpLogRecord;
  /** The record's own attributes. */
  attrs: Attrs;
  source: MessageSource;
  /** The record's identity: message ids are `${key}:m${index}`. */
  key: string;
  /** The span the record was emitted in, as a Cairn event id; null outside a span. */
  spanEventId: string | null;
}

/** The event name: LogRecord.event_name, else the `event.name` attribute older SDKs set. */
export function logEventName(record: OtlpLogRecord, attrs: Attrs): string {
  return record.eventName !== '' ? record.eventName : (str(attrs, 'event.name') ?? '');
}

/** Epoch ms of a record: its time, else the time it was observed; null when neither is set. */
export function logTimestamp(record: OtlpLogRecord): number | null {
  if (record.timeUnixNano !== '0') return nanosToMs(record.timeUnixNano);
  if (record.observedTimeUnixNano !== '0') return nanosToMs(record.observedTimeUnixNano);
  return null;
}

/** Prepares a record whose ids are valid or empty and whose time is set (seen to by the caller). */
export function logToMap(
  record: OtlpLogRecord,
  attrs: Attrs,
  name: string,
  timestamp: number,
): LogToMap {
  const fields = { ...attrs, ...bodyFields(record, name) };
  const span = record.spanId === '' ? null : spanEventId(record.traceId, record.spanId);
  // Under the span's id when there is one, so a conversation's records sort with its trace.
  const prefix = span ?? (record.traceId === '' ? null : record.traceId);
  const hash = `log-${recordHash(record, name)}`;
  return {
    record,
    attrs,
    source: { name, attrs: fields, timestamp },
    key: prefix === null ? hash : `${prefix}:${hash}`,
    spanEventId: span,
  };
}

/**
 * A map body's fields (a JSON string body is parsed); a plain string body of a per-message event
 * is its content. gen_ai.client.inference.operation.details keeps everything in attributes.
 */
function bodyFields(record: OtlpLogRecord, name: string): Attrs {
  const raw = valueOf(record.body);
  const body = structured(raw);
  if (isFieldMap(body) && (typeof raw !== 'string' || hasMessageField(body))) return body;
  // A string body that is not such a map — plain text, or text that merely parses as JSON
  // ('[1,2]', '{"a": 1}') — is the user's text, kept as it was sent.
  if (typeof raw === 'string' && /^gen_ai\.\w+\.message$/.test(name)) return { content: raw };
  return {};
}

function isFieldMap(value: unknown): value is Attrs {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A JSON string body is read as the event's fields only when it holds a message field. */
function hasMessageField(body: Attrs): boolean {
  return ['content', 'message', 'role'].some((k) => Object.hasOwn(body, k));
}

/**
 * A digest of what the record says, so the same record sent again (a retry, a Collector
 * replaying its queue) gets the same id and is a duplicate — whichever request carries it, and
 * whatever else that request holds. Plain values are hashed, so protobuf and JSON agree.
 */
function recordHash(record: OtlpLogRecord, name: string): string {
  const what = [
    record.timeUnixNano === '0' ? record.observedTimeUnixNano : record.timeUnixNano,
    name,
    record.severityNumber,
    valueOf(record.body),
    attrsOf(record.attributes),
  ];
  return createHash('sha256').update(JSON.stringify(what)).digest('hex').slice(0, 20);
}

/** The `message` event of one message of a record. */
export function logMessageEvent(
  draft: MessageDraft,
  log: LogToMap,
  resource: ResourceContext,
): WireObject {
  const a = log.attrs;
  const e: WireObject = {
    id: `${log.key}:m${draft.index}`,
    type: 'message',
    timestamp: draft.timestamp,
  };
  setIf(e, 'workspace', resource.workspace);
  setIf(e, 'app', resource.app);
  setIf(e, 'environment', resource.environment);
  setIf(e, 'trace_id', log.record.traceId === '' ? undefined : log.record.traceId);
  setIf(e, 'parent_id', log.spanEventId ?? undefined);
  setIf(e, 'session_id', str(a, 'gen_ai.conversation.id', 'session.id'));
  setIf(e, 'user_id', str(a, 'user.id', 'enduser.id'));
  setIf(e, 'agent', str(a, 'gen_ai.agent.name'));
  setIf(e, 'model', str(a, 'gen_ai.response.model', 'gen_ai.request.model'));
  e['message'] = { role: draft.role, content: draft.content };
  e['attributes'] = { 'otel.event.name': log.source.name };
  return e;
}

function setIf(target: WireObject, key: string, value: unknown): void {
  if (value !== undefined && value !== null) target[key] = value;
}
