import type { Hono } from 'hono';
import type { Engine } from '../../engine.js';
import { engineOf } from '../../server/auth.js';
import { exportTraces } from './export-traces.js';
import { otlpRoute } from './otlp-http.js';
import { decodeJsonTraceRequest } from './otlp-json.js';
import { decodeExportTraceRequest, encodeExportTraceResponse } from './protobuf.js';

/**
 * POST /v1/traces: OTLP/HTTP trace export, binary protobuf or JSON, optionally gzip. Spans become
 * Cairn events (docs/otel.md) and go through the ordinary ingest pipeline. The answer is 200 with
 * an ExportTraceServiceResponse in the request's encoding — with partial_success when some spans
 * were rejected, as the spec asks, so exporters do not retry a batch whose good spans were stored.
 */
export function tracesRoutes(engine: Engine): Hono {
  return otlpRoute(engine.config.server.maxBodyBytes, {
    path: '/v1/traces',
    message: 'ExportTraceServiceRequest',
    decodeProtobuf: decodeExportTraceRequest,
    decodeJson: decodeJsonTraceRequest,
    encodeProtobuf: encodeExportTraceResponse,
    handle: async (request, c) => ({ response: await exportTraces(engineOf(c, engine), request) }),
  });
}
