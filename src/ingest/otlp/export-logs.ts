import type { Engine } from '../../engine.js';
import { ingestLogs, type LogsResult } from './ingest-logs.js';
import type { ExportLogsServiceRequest, ExportLogsServiceResponse } from './otlp-types.js';

/**
 * One decoded ExportLogsServiceRequest in, the OTLP answer out, with where every record went.
 * Both transports (POST /v1/logs and the OTLP/gRPC listener) decode their own way and come here.
 */
export async function exportLogs(
  engine: Engine,
  request: ExportLogsServiceRequest,
): Promise<{ response: ExportLogsServiceResponse; result: LogsResult }> {
  const result = await ingestLogs(request, {
    ingest: (items) => engine.ingest(items),
    maxItems: engine.config.ingest.maxBatchEvents,
  });
  return { response: logsResponseOf(result), result };
}

/**
 * Empty when no record was rejected; otherwise partial_success, which tells exporters (OTLP
 * spec, "Partial Success") not to retry a batch whose good records were stored. Skipped records
 * are accepted, so they are not reported here (a warning on every batch would flood exporter logs).
 */
export function logsResponseOf(result: LogsResult): ExportLogsServiceResponse {
  if (result.rejectedLogRecords === 0 && result.errorMessage === '') return {};
  return {
    partialSuccess: {
      rejectedLogRecords: result.rejectedLogRecords,
      errorMessage: result.errorMessage,
    },
  };
}

/** The name of the header (HTTP) or trailer (gRPC) that reports where the records went. */
export const LOGS_SUMMARY_HEADER = 'cairn-otlp-logs';

/**
 * `records=9; messages=6; duplicates=0; skipped_not_message=1; skipped_no_content=1; rejected=0`:
 * what happened to each record, for operators and tests (OTLP's response has no room for it).
 */
export function logsSummary(r: LogsResult): string {
  return [
    `records=${r.records}`,
    `messages=${r.messagesStored}`,
    `duplicates=${r.messagesDuplicate}`,
    `skipped_not_message=${r.skippedNotMessage}`,
    `skipped_no_content=${r.skippedNoContent}`,
    `rejected=${r.rejectedLogRecords}`,
  ].join('; ');
}
