import {
  Metadata,
  Server,
  ServerCredentials,
  status,
  type handleUnaryCall,
  type ServerErrorResponse,
  type ServiceDefinition,
} from '@grpc/grpc-js';
import { CairnError, httpStatusOf } from '../../core/errors.js';
import { Authenticator, tokenFrom } from '../../auth/authenticator.js';
import type { Engine } from '../../engine.js';
import { exportLogs, LOGS_SUMMARY_HEADER, logsSummary } from './export-logs.js';
import { exportTraces } from './export-traces.js';
import { OtlpDecodeError } from './otlp-types.js';
import { decodeExportLogsRequest, encodeExportLogsResponse } from './protobuf-logs.js';
import { decodeExportTraceRequest, encodeExportTraceResponse } from './protobuf.js';

/**
 * The OTLP/gRPC listener (https://opentelemetry.io/docs/specs/otlp/#otlpgrpc): the unary
 * TraceService/Export and LogsService/Export methods, served with the hand-written protobuf codecs
 * of POST /v1/traces and /v1/logs (no .proto files) and the same mapping and ingest paths. grpc-js handles HTTP/2, framing and
 * `grpc-encoding: gzip`; the message size limit is server.maxBodyBytes, as on HTTP.
 */
export const TRACE_EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

/** The LogsService's Export method, served the same way as traces. */
export const LOGS_EXPORT_PATH = '/opentelemetry.proto.collector.logs.v1.LogsService/Export';

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
  /** Require an API key even while none exists (a listener beyond loopback). */
  requireKeys?: boolean;
}

const FORCE_SHUTDOWN_MS = 5_000;

/**
 * The request as deserialized: a decode failure is carried to the handler rather than thrown,
 * because grpc-js turns a throwing deserializer into a bare INTERNAL, and a malformed payload is
 * the client's fault (INVALID_ARGUMENT, which exporters do not retry).
 */
type Decoded<Req> = { ok: true; request: Req } | { ok: false; error: unknown };

/** One signal's unary Export method: its path, codec and handler. */
interface GrpcSignal<Req, Res> {
  path: string;
  /** The request message's name, for error details. */
  message: string;
  decode(bytes: Uint8Array): Req;
  encode(response: Res): Uint8Array;
  /** The HTTP route of the same signal, whose API-key role the call needs. */
  httpPath: string;
  /** Ingests a decoded request on the call's engine; `trailer` becomes trailing metadata. */
  handle(
    request: Req,
    engine: Engine,
  ): Promise<{ response: Res; trailer?: Record<string, string> }>;
}

/** Starts the OTLP/gRPC listener; resolves once the port is bound. */
export async function startOtlpGrpc(
  engine: Engine,
  options: OtlpGrpcOptions,
): Promise<OtlpGrpcServer> {
  const server = new Server({
    'grpc.max_receive_message_length': engine.config.server.maxBodyBytes,
  });
  const auth = new Authenticator(engine, options.requireKeys ?? false);
  addSignal(server, auth, {
    path: TRACE_EXPORT_PATH,
    httpPath: '/v1/traces',
    message: 'ExportTraceServiceRequest',
    decode: decodeExportTraceRequest,
    encode: encodeExportTraceResponse,
    handle: async (request, e) => ({ response: await exportTraces(e, request) }),
  });
  addSignal(server, auth, {
    path: LOGS_EXPORT_PATH,
    httpPath: '/v1/logs',
    message: 'ExportLogsServiceRequest',
    decode: decodeExportLogsRequest,
    encode: encodeExportLogsResponse,
    handle: async (request, e) => {
      const { response, result } = await exportLogs(e, request);
      return { response, trailer: { [LOGS_SUMMARY_HEADER]: logsSummary(result) } };
    },
  });
  const port = await bind(server, options);
  let closing: Promise<void> | null = null;
  return { port, close: () => (closing ??= shutdown(server)) };
}

/** Adds a service of one unary Export method, in grpc-js's generic form with our codec. */
function addSignal<Req, Res>(
  server: Server,
  auth: Authenticator,
  signal: GrpcSignal<Req, Res>,
): void {
  const definition: ServiceDefinition = {
    Export: {
      path: signal.path,
      requestStream: false,
      responseStream: false,
      requestDeserialize: (bytes: Buffer): Decoded<Req> => decodeRequest(bytes, signal),
      requestSerialize: (): Buffer => {
        throw new Error('the OTLP/gRPC listener does not send requests');
      },
      responseSerialize: (response: Res) => {
        const bytes = signal.encode(response);
        return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      },
      responseDeserialize: (): never => {
        throw new Error('the OTLP/gRPC listener does not read responses');
      },
    },
  };
  server.addService(definition, { Export: exportHandler(auth, signal) });
}

function decodeRequest<Req>(bytes: Buffer, signal: GrpcSignal<Req, unknown>): Decoded<Req> {
  try {
    return { ok: true, request: signal.decode(bytes) };
  } catch (error) {
    return { ok: false, error };
  }
}

function exportHandler<Req, Res>(
  auth: Authenticator,
  signal: GrpcSignal<Req, Res>,
): handleUnaryCall<Decoded<Req>, Res> {
  return (call, callback) => {
    const decoded = call.request;
    if (!decoded.ok) {
      callback(errorStatusOf(decoded.error, signal.message));
      return;
    }
    // API keys travel as metadata, under the same names as the HTTP headers.
    const header = (name: string) => call.metadata.get(name)[0]?.toString();
    const token = tokenFrom(header('authorization'), header('x-api-key'));
    auth
      .engineFor(token, 'POST', signal.httpPath)
      .then((engine) => signal.handle(decoded.request, engine))
      .then(
        ({ response, trailer }) => callback(null, response, metadataOf(trailer)),
        (err: unknown) => callback(errorStatusOf(err, signal.message)),
      );
  };
}

function metadataOf(entries: Record<string, string> | undefined): Metadata | undefined {
  if (entries === undefined) return undefined;
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(entries)) metadata.set(key, value);
  return metadata;
}

/**
 * The gRPC status for a failure. Client faults are INVALID_ARGUMENT and a draining server is
 * UNAVAILABLE (retryable per the OTLP spec); anything unexpected is INTERNAL and logged, as the
 * HTTP side's errorResponse does.
 */
export function errorStatusOf(err: unknown, message: string): ServerErrorResponse {
  if (err instanceof OtlpDecodeError) {
    const details = `payload is not a valid OTLP protobuf ${message}: ${err.message}`;
    return statusError(status.INVALID_ARGUMENT, details);
  }
  if (err instanceof CairnError) {
    const http = httpStatusOf(err.code);
    const code =
      http === 401
        ? status.UNAUTHENTICATED
        : http === 403
          ? status.PERMISSION_DENIED
          : http === 503
            ? status.UNAVAILABLE
            : http < 500
              ? status.INVALID_ARGUMENT
              : status.INTERNAL;
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
