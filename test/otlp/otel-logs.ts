import { context, trace, TraceFlags, type Attributes } from '@opentelemetry/api';
import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';
import { OTLPLogExporter as GrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchLogRecordProcessor,
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
  type LogRecordExporter,
  type LogRecordProcessor,
  type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';

/**
 * The real OpenTelemetry JS logs SDK pointed at a Cairn server: a LoggerProvider exporting through
 * the OTLP log exporter (HTTP JSON, HTTP protobuf or gRPC) with a BatchLogRecordProcessor, plus an
 * in-memory copy of every emitted record so a test can export the same records again.
 */
export type LogExporterKind = 'json' | 'proto' | 'grpc';

/** One record to emit: an OTel event (event_name) in the span `span` (trace and span id, hex). */
export interface RecordSpec {
  eventName?: string;
  body?: AnyValue;
  attributes?: AnyValueMap;
  timestampMs: number;
  span?: { traceId: string; spanId: string };
}

export interface LogsHarness {
  emit(record: RecordSpec): void;
  flush(): Promise<void>;
  /** Every record emitted so far, as the SDK hands them to exporters. */
  records(): ReadableLogRecord[];
  /** Exports records again through the same exporter; resolves with the export result code. */
  resend(records: ReadableLogRecord[]): Promise<number>;
  shutdown(): Promise<void>;
}

/** `url` null: records are only kept in memory (for tests that serialize them themselves). */
export function logsHarness(
  kind: LogExporterKind,
  url: string | null,
  resource: Attributes,
): LogsHarness {
  return logsHarnessFor(url === null ? null : exporterOf(kind, url), resource);
}

function exporterOf(kind: LogExporterKind, url: string): LogRecordExporter {
  if (kind === 'json') return new JsonLogExporter({ url });
  if (kind === 'proto') return new ProtoLogExporter({ url });
  return new GrpcLogExporter({ url });
}

/** The batch processor waits for an explicit flush, so a test decides when a request is sent. */
function logsHarnessFor(exporter: LogRecordExporter | null, resource: Attributes): LogsHarness {
  const memory = new InMemoryLogRecordExporter();
  const processors: LogRecordProcessor[] = [new SimpleLogRecordProcessor({ exporter: memory })];
  if (exporter !== null) {
    processors.push(new BatchLogRecordProcessor({ exporter, scheduledDelayMillis: 60_000 }));
  }
  const provider = new LoggerProvider({ resource: resourceFromAttributes(resource), processors });
  const logger = provider.getLogger('cairn-otlp-logs-test', '1.0.0');
  const sender = exporter ?? memory;
  return {
    emit: (r) =>
      logger.emit({
        ...(r.eventName === undefined ? {} : { eventName: r.eventName }),
        ...(r.body === undefined ? {} : { body: r.body }),
        attributes: r.attributes ?? {},
        timestamp: r.timestampMs,
        context: r.span
          ? trace.setSpanContext(context.active(), { ...r.span, traceFlags: TraceFlags.SAMPLED })
          : context.active(),
      }),
    flush: () => provider.forceFlush(),
    records: () => memory.getFinishedLogRecords(),
    resend: (records) =>
      new Promise((resolve) => sender.export(records, (result) => resolve(result.code))),
    shutdown: () => provider.shutdown(),
  };
}
