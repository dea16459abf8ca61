import { CairnError } from '../../core/errors.js';
import type { BatchResult, RawItem } from '../raw-item.js';
import { attrsOf } from './attributes.js';
import { hasMessageContent, isMessageEvent, messagesOf } from './chat-messages.js';
import { logEventName, logMessageEvent, logTimestamp, logToMap, type LogToMap } from './map-log.js';
import { resourceContext, type ResourceContext } from './map-span.js';
import type { ExportLogsServiceRequest, OtlpLogRecord } from './otlp-types.js';

/** What log ingestion needs from the engine; ingest/ stays free of the engine and store. */
export interface LogsDeps {
  ingest(items: readonly RawItem[]): Promise<BatchResult>;
  maxItems: number;
}

/**
 * The outcome: OTLP's rejected count and reasons, and where every record went. Each record is
 * counted once: rejected, skipped (not a chat-message event, or one without captured content),
 * or mapped (its messages stored, already stored, or dropped as replayed history).
 */
export interface LogsResult {
  records: number;
  rejectedLogRecords: number;
  errorMessage: string;
  skippedNotMessage: number;
  skippedNoContent: number;
  /** Message events stored by this request (duplicates of stored ones not included). */
  messagesStored: number;
  messagesDuplicate: number;
}

interface Mapped {
  log: LogToMap;
  resource: ResourceContext;
}

const MAX_REASONS = 5;

/**
 * Maps the chat-message records of an export request to `message` events and ingests them in
 * one batch. Records of one span are one inference call's: replayed history is dropped within
 * that group (chat-messages.ts). Records outside a span are each their own group.
 */
export async function ingestLogs(
  request: ExportLogsServiceRequest,
  deps: LogsDeps,
): Promise<LogsResult> {
  const result = emptyResult();
  const reasons: string[] = [];
  const mapped = collect(request, result, reasons);
  const items: RawItem[] = [];
  const owners: Mapped[] = [];
  for (const group of groupBySpan(mapped)) {
    const inSpan = group[0]!.log.spanEventId !== null;
    for (const draft of messagesOf(
      group.map((m) => m.log.source),
      inSpan,
    )) {
      const owner = group[draft.source]!;
      items.push({ ok: true, value: logMessageEvent(draft, owner.log, owner.resource) });
      owners.push(owner);
    }
  }
  if (items.length > deps.maxItems) {
    throw new CairnError(
      'too_many_events',
      `request maps to ${items.length} events; the limit is ${deps.maxItems}`,
    );
  }
  const batch = await deps.ingest(items);
  const rejected = new Set<Mapped>();
  for (const r of batch.rejected) {
    const owner = owners[r.index]!;
    rejected.add(owner);
    reasons.push(
      `log record ${owner.log.key} ("${owner.log.source.name}"): ${r.code}: ${r.message}`,
    );
  }
  result.rejectedLogRecords += rejected.size;
  result.messagesStored = batch.accepted + batch.updated;
  result.messagesDuplicate = batch.duplicates;
  result.errorMessage = summarize(reasons);
  return result;
}

function emptyResult(): LogsResult {
  return {
    records: 0,
    rejectedLogRecords: 0,
    errorMessage: '',
    skippedNotMessage: 0,
    skippedNoContent: 0,
    messagesStored: 0,
    messagesDuplicate: 0,
  };
}

/** The chat-message records with content; the others are counted (or rejected) here. */
function collect(
  request: ExportLogsServiceRequest,
  result: LogsResult,
  reasons: string[],
): Mapped[] {
  const out: Mapped[] = [];
  for (const rl of request.resourceLogs) {
    const resource = resourceContext(attrsOf(rl.resource.attributes));
    for (const record of rl.scopeLogs.flatMap((s) => s.logRecords)) {
      result.records++;
      const log = prepare(record, result, reasons);
      if (log !== null) out.push({ log, resource });
    }
  }
  return out;
}

/** The record ready to map, or null when it is skipped or rejected (counted here). */
function prepare(record: OtlpLogRecord, result: LogsResult, reasons: string[]): LogToMap | null {
  const attrs = attrsOf(record.attributes);
  const name = logEventName(record, attrs);
  if (!isMessageEvent(name)) {
    result.skippedNotMessage++;
    return null;
  }
  const timestamp = logTimestamp(record);
  if (timestamp === null) {
    result.rejectedLogRecords++;
    reasons.push(`log record "${name}": no time_unix_nano nor observed_time_unix_nano`);
    return null;
  }
  const log = logToMap(withValidIds(record), attrs, name, timestamp);
  if (hasMessageContent(log.source)) return log;
  result.skippedNoContent++;
  return null;
}

/**
 * OTLP ids are optional on log records, and an invalid one (all zero, which exporters send for
 * records made outside a span, or of the wrong length) means "no trace" — so it is dropped, not
 * rejected. A span id without a valid trace id is dropped too: the record is outside any trace.
 */
function withValidIds(record: OtlpLogRecord): OtlpLogRecord {
  const valid = (id: string, hexLength: number) => id.length === hexLength && !/^0*$/.test(id);
  const traceId = valid(record.traceId, 32) ? record.traceId : '';
  const spanId = traceId !== '' && valid(record.spanId, 16) ? record.spanId : '';
  if (traceId === record.traceId && spanId === record.spanId) return record;
  return { ...record, traceId, spanId };
}

/** Groups records by the span they were emitted in, keeping request order. */
function groupBySpan(mapped: Mapped[]): Mapped[][] {
  const groups = new Map<string, Mapped[]>();
  mapped.forEach((m, i) => {
    const key = m.log.spanEventId ?? `#${i}`;
    const group = groups.get(key);
    if (group) group.push(m);
    else groups.set(key, [m]);
  });
  return [...groups.values()];
}

function summarize(reasons: string[]): string {
  if (reasons.length === 0) return '';
  const more = reasons.length > MAX_REASONS ? `; and ${reasons.length - MAX_REASONS} more` : '';
  return reasons.slice(0, MAX_REASONS).join('; ') + more;
}
