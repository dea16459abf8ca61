import type {
  ExportLogsServiceRequest,
  ExportLogsServiceResponse,
  OtlpLogRecord,
  OtlpResourceLogs,
  OtlpScopeLogs,
} from './otlp-types.js';
import {
  decodeAnyValue,
  decodeAttributesOf,
  decodeKeyValue,
  decodeScope,
  encodePartialSuccess,
} from './protobuf.js';
import {
  fixed64Field,
  lenField,
  readMessage,
  stringField,
  toHex,
  varintField,
} from './protobuf-reader.js';

/**
 * Decoders for the OTLP log messages (opentelemetry/proto/logs/v1/logs.proto,
 * collector/logs/v1/logs_service.proto), producing the OTLP/JSON shape; the common messages
 * (KeyValue, AnyValue, InstrumentationScope) are the trace decoder's. Unknown fields are skipped.
 */

/** Decodes an ExportLogsServiceRequest (field 1: repeated ResourceLogs). */
export function decodeExportLogsRequest(bytes: Uint8Array): ExportLogsServiceRequest {
  const resourceLogs: OtlpResourceLogs[] = [];
  readMessage(bytes, (r, t) => {
    if (t.field === 1) resourceLogs.push(decodeResourceLogs(lenField(r, t)));
    else r.skip(t.wireType);
  });
  return { resourceLogs };
}

/** ResourceLogs: 1 resource, 2 scope_logs. */
function decodeResourceLogs(bytes: Uint8Array): OtlpResourceLogs {
  const out: OtlpResourceLogs = { resource: { attributes: [] }, scopeLogs: [] };
  readMessage(bytes, (r, t) => {
    if (t.field === 1) out.resource = { attributes: decodeAttributesOf(lenField(r, t), 1) };
    else if (t.field === 2) out.scopeLogs.push(decodeScopeLogs(lenField(r, t)));
    else r.skip(t.wireType);
  });
  return out;
}

/** ScopeLogs: 1 scope, 2 log_records. */
function decodeScopeLogs(bytes: Uint8Array): OtlpScopeLogs {
  const out: OtlpScopeLogs = { scope: { name: '', version: '' }, logRecords: [] };
  readMessage(bytes, (r, t) => {
    if (t.field === 1) out.scope = decodeScope(lenField(r, t));
    else if (t.field === 2) out.logRecords.push(decodeLogRecord(lenField(r, t)));
    else r.skip(t.wireType);
  });
  return out;
}

/** An unset record, as the JSON decoder produces for absent fields. */
export function emptyLogRecord(): OtlpLogRecord {
  return {
    timeUnixNano: '0',
    observedTimeUnixNano: '0',
    severityNumber: 0,
    severityText: '',
    body: {},
    attributes: [],
    traceId: '',
    spanId: '',
    eventName: '',
  };
}

/**
 * LogRecord: 1 time_unix_nano and 11 observed_time_unix_nano (fixed64), 2 severity_number,
 * 3 severity_text, 5 body, 6 attributes, 9 trace_id and 10 span_id (bytes), 12 event_name.
 * (7 dropped_attributes_count and 8 flags are not read.)
 */
function decodeLogRecord(bytes: Uint8Array): OtlpLogRecord {
  const rec = emptyLogRecord();
  readMessage(bytes, (r, t) => {
    switch (t.field) {
      case 1:
        return void (rec.timeUnixNano = fixed64Field(r, t));
      case 2:
        return void (rec.severityNumber = varintField(r, t));
      case 3:
        return void (rec.severityText = stringField(r, t));
      case 5:
        return void (rec.body = decodeAnyValue(lenField(r, t)));
      case 6:
        return void rec.attributes.push(decodeKeyValue(lenField(r, t)));
      case 9:
        return void (rec.traceId = toHex(lenField(r, t)));
      case 10:
        return void (rec.spanId = toHex(lenField(r, t)));
      case 11:
        return void (rec.observedTimeUnixNano = fixed64Field(r, t));
      case 12:
        return void (rec.eventName = stringField(r, t));
      default:
        r.skip(t.wireType);
    }
  });
  return rec;
}

/**
 * Encodes an ExportLogsServiceResponse: empty when everything was accepted, else
 * partial_success { 1 rejected_log_records, 2 error_message }.
 */
export function encodeExportLogsResponse(
  response: ExportLogsServiceResponse,
): Uint8Array<ArrayBuffer> {
  const partial = response.partialSuccess;
  if (partial === undefined) return new Uint8Array(0);
  return encodePartialSuccess(partial.rejectedLogRecords, partial.errorMessage);
}
