import {
  Server,
  ServerCredentials,
  status,
  type handleUnaryCall,
  type ServerErrorResponse,
  type ServiceDefinition,
} from '@grpc/grpc-js';
import { CairnError, httpStatusOf } from '../../core/errors.js';
import type { Engine } from '../../engine.js';
import { exportTraces } from './export-traces.js';
import {
  OtlpDecodeError,
  type ExportTraceServiceRequest,
  type ExportTraceServiceResponse,
} from './otlp-types.js';
import { decodeExportTraceRequest, encodeExportTraceResponse } from './protobuf.js';

/**
 * The OTLP/gRPC trace listener (https://opentelemetry.io/docs/specs/otlp/#otlpgrpc): the unary
 * TraceService/Export method, served with the hand-written protobuf codec of POST /v1/traces
 * (no .proto files) and the same mapping and ingest path. grpc-js handles HTTP/2, framing and
 * `grpc-encoding: gzip`; the message size limit is server.maxBodyBytes, as on HTTP.
 */
export const TRACE_EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

/** A listening OTLP/gRPC server. */
export interface OtlpGrpcServer {
  readonly port: number;
  /** Refuses new calls and waits for running ones; cuts them after 5 s. */
  close(): Promise<void>;
}

export interface OtlpGrpcOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
}

const FORCE_SHUTDOWN_MS = 5_000;

/**
 * The request as deserialized: a decode failure is carried to the handler rather than thrown,
 * because grpc-js turns a throwing deserializer into a bare INTERNAL, and a malformed payload is
 * the client's fault (INVALID_ARGUMENT, which exporters do not retry).
 */
type Decoded = { ok: true; request: ExportTraceServiceRequest } | { ok: false; error: unknown };

/** Starts the OTLP/gRPC listener; resolves once the port is bound. */
export async function startOtlpGrpc(
  engine: Engine,
  options: OtlpGrpcOptions,
): Promise<OtlpGrpcServer> {
  const server = new Server({
    'grpc.max_receive_message_length': engine.config.server.maxBodyBytes,
  });
  server.addService(traceService, { Export: exportHandler(engine) });
  const port = await bind(server, options);
  let closing: Promise<void> | null = null;
  return { port, close: () => (closing ??= shutdown(server)) };
}

/** The service as grpc-js's generic definition: one unary method, our codec on both sides. */
const traceService: ServiceDefinition = {
  Export: {
    path: TRACE_EXPORT_PATH,
    requestStream: false,
    responseStream: false,
    requestDeserialize: decodeRequest,
    requestSerialize: (): Buffer => {
      throw new Error('the OTLP/gRPC listener does not send requests');
    },
    responseSerialize: (response: ExportTraceServiceResponse) => {
      const bytes = encodeExportTraceResponse(response);
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    responseDeserialize: (): never => {
      throw new Error('the OTLP/gRPC listener does not read responses');
    },
  },
};

function decodeRequest(bytes: Buffer): Decoded {
  try {
    return { ok: true, request: decodeExportTraceRequest(bytes) };
  } catch (error) {
    return { ok: false, error };
  }
}

function exportHandler(engine: Engine): handleUnaryCall<Decoded, ExportTraceServiceResponse> {
  return (call, callback) => {
    const decoded = call.request;
    if (!decoded.ok) {
      callback(errorStatusOf(decoded.error));
      return;
    }
    exportTraces(engine, decoded.request).then(
      (response) => callback(null, response),
      (err: unknown) => callback(errorStatusOf(err)),
    );
  };
}

/**
 * The gRPC status for a failure. Client faults are INVALID_ARGUMENT and a draining server is
 * UNAVAILABLE (retryable per the OTLP spec); anything unexpected is INTERNAL and logged, as the
 * HTTP side's errorResponse does.
 */
export function errorStatusOf(err: unknown): ServerErrorResponse {
  if (err instanceof OtlpDecodeError) {
    const details = `payload is not a valid OTLP protobuf ExportTraceServiceRequest: ${err.message}`;
    return statusError(status.INVALID_ARGUMENT, details);
  }
  if (err instanceof CairnError) {
    const http = httpStatusOf(err.code);
    const code =
      http === 503 ? status.UNAVAILABLE : http < 500 ? status.INVALID_ARGUMENT : status.INTERNAL;
    return statusError(code, `${err.code}: ${err.message}`);
  }
  console.error('cairn: unhandled error in OTLP/gRPC Export', err);
  return statusError(status.INTERNAL, 'internal error; nothing from this request was stored');
}

function statusError(code: status, details: string): ServerErrorResponse {
  return Object.assign(new Error(details), { code, details });
}

function bind(server: Server, o: OtlpGrpcOptions): Promise<number> {
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return new Promise((resolve, reject) => {
    server.bindAsync(`${host}:${o.port}`, ServerCredentials.createInsecure(), (err, port) => {
      if (err === null) return resolve(port);
      const inUse = /EADDRINUSE|address already in use/i.test(err.message);
      const reason = inUse
        ? `port ${o.port} is already in use; pass --otlp-grpc-port`
        : err.message;
      reject(
        new Error(`cannot listen for OTLP/gRPC on ${host}:${o.port}: ${reason}`, { cause: err }),
      );
    });
  });
}

/** tryShutdown waits for running calls; a call that hangs must not block shutdown forever. */
function shutdown(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, FORCE_SHUTDOWN_MS);
    server.tryShutdown(() => {
      clearTimeout(force);
      resolve();
    });
  });
}
