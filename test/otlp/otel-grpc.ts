import { credentials, makeGenericClientConstructor, type ServiceError } from '@grpc/grpc-js';
import type { Attributes } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { TRACE_EXPORT_PATH } from '../../src/ingest/otlp/grpc-server.js';
import { harnessFor, type OtelHarness } from './otel-sdk.js';

type GrpcExporterConfig = NonNullable<ConstructorParameters<typeof OTLPTraceExporter>[0]>;

/**
 * The real OpenTelemetry JS SDK exporting over OTLP/gRPC (NodeTracerProvider + BatchSpanProcessor
 * + @opentelemetry/exporter-trace-otlp-grpc), with an in-memory copy of every finished span so a
 * test can export the same spans again; and a raw grpc-js client for payloads no exporter sends.
 */
export function grpcHarness(url: string, resource: Attributes, gzip = false): OtelHarness {
  // The config type wants otlp-exporter-base's CompressionAlgorithm enum, whose values these are.
  const compression = (gzip ? 'gzip' : 'none') as unknown as NonNullable<
    GrpcExporterConfig['compression']
  >;
  return harnessFor(new OTLPTraceExporter({ url, compression }), resource);
}

/** A unary Export call with raw bytes both ways (as the exporter's own client does). */
export interface RawTraceClient {
  export(body: Uint8Array, deadlineMs?: number): Promise<Buffer>;
  close(): void;
}

const passthrough = (b: Buffer): Buffer => b;

/**
 * A grpc-js client of an Export method (TraceService's unless `path` names another) that sends
 * whatever bytes it is given.
 */
export function rawTraceClient(port: number, path = TRACE_EXPORT_PATH): RawTraceClient {
  const Ctor = makeGenericClientConstructor(
    {
      Export: {
        path,
        requestStream: false,
        responseStream: false,
        requestSerialize: passthrough,
        requestDeserialize: passthrough,
        responseSerialize: passthrough,
        responseDeserialize: passthrough,
      },
    },
    'TraceService',
  );
  const client = new Ctor(`127.0.0.1:${port}`, credentials.createInsecure());
  return {
    export: (body, deadlineMs = 5_000) =>
      new Promise((resolve, reject) => {
        const call = client['Export'] as (
          arg: Buffer,
          options: { deadline: number },
          cb: (err: ServiceError | null, res?: Buffer) => void,
        ) => void;
        call.call(client, Buffer.from(body), { deadline: Date.now() + deadlineMs }, (err, res) =>
          err ? reject(err) : resolve(res!),
        );
      }),
    close: () => client.close(),
  };
}
