import type { Hono } from 'hono';
import type { Engine } from '../../engine.js';
import { engineOf } from '../../server/auth.js';
import { exportLogs, LOGS_SUMMARY_HEADER, logsSummary } from './export-logs.js';
import { otlpRoute } from './otlp-http.js';
import { decodeJsonLogsRequest } from './otlp-json.js';
import { decodeExportLogsRequest, encodeExportLogsResponse } from './protobuf-logs.js';

/**
 * POST /v1/logs: OTLP/HTTP log export, binary protobuf or JSON, optionally gzip. Log records
 * carrying GenAI chat messages become `message` events (docs/otel.md, "Log records"); others are
 * accepted and skipped. The answer is an ExportLogsServiceResponse in the request's encoding, with
 * partial_success when some records were rejected, and a header counting where records went.
 */
export function logsRoutes(engine: Engine): Hono {
  return otlpRoute(engine.config.server.maxBodyBytes, {
    path: '/v1/logs',
    message: 'ExportLogsServiceRequest',
    decodeProtobuf: decodeExportLogsRequest,
    decodeJson: decodeJsonLogsRequest,
    encodeProtobuf: encodeExportLogsResponse,
    handle: async (request, c) => {
      const { response, result } = await exportLogs(engineOf(c, engine), request);
      return { response, headers: { [LOGS_SUMMARY_HEADER]: logsSummary(result) } };
    },
  });
}
