import type { Engine } from '../../engine.js';
import { ingestTraces, type TracesDeps, type TracesResult } from './ingest-traces.js';
import type { ExportTraceServiceRequest, ExportTraceServiceResponse } from './otlp-types.js';

/**
 * One decoded ExportTraceServiceRequest in, the OTLP answer out: map spans, ingest one batch,
 * report rejected spans as partial_success. Both transports (POST /v1/traces and the OTLP/gRPC
 * listener) decode their own way and then come here.
 */
export async function exportTraces(
  engine: Engine,
  request: ExportTraceServiceRequest,
): Promise<ExportTraceServiceResponse> {
  return responseOf(await ingestTraces(request, tracesDepsOf(engine)));
}

/** What ingestTraces needs, taken from the engine and its configuration. */
export function tracesDepsOf(engine: Engine): TracesDeps {
  return {
    ingest: (items) => engine.ingest(items),
    // A key-scoped engine's store throws for another workspace, which would fail the whole
    // request: answer "not stored" instead, and ingest rejects that span (workspace_not_allowed).
    storedType: async (workspace, id) =>
      engine.scope !== null && workspace !== engine.scope
        ? null
        : ((await engine.store.getEvent(workspace, id))?.type ?? null),
    defaultWorkspace: engine.config.ingest.defaultWorkspace,
    maxItems: engine.config.ingest.maxBatchEvents,
  };
}

/**
 * An empty response when every span was accepted; otherwise partial_success, which tells
 * exporters (OTLP spec, "Partial Success") not to retry a batch whose good spans were stored.
 */
export function responseOf(result: TracesResult): ExportTraceServiceResponse {
  if (result.rejectedSpans === 0 && result.errorMessage === '') return {};
  return {
    partialSuccess: { rejectedSpans: result.rejectedSpans, errorMessage: result.errorMessage },
  };
}
