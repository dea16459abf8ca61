import {
  SpanKind,
  SpanStatusCode,
  context,
  trace,
  type Attributes,
  type Span,
} from '@opentelemetry/api';
import { OTLPTraceExporter as HttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/**
 * The real OpenTelemetry JS SDK pointed at a Cairn server: a NodeTracerProvider exporting through
 * OTLPTraceExporter (protobuf or JSON) with a BatchSpanProcessor, plus an in-memory copy of every
 * finished span so a test can export the same spans again.
 */
export type ExporterKind = 'proto' | 'json';

export interface OtelHarness {
  provider: NodeTracerProvider;
  exporter: SpanExporter;
  memory: InMemorySpanExporter;
  span(name: string, attributes: Attributes, options?: SpanOptions): Span;
  flush(): Promise<void>;
  /** Exports spans again through the same exporter; resolves with the export result code. */
  resend(spans: ReadableSpan[]): Promise<number>;
  shutdown(): Promise<void>;
}

export interface SpanOptions {
  kind?: SpanKind;
  startMs?: number;
  /** The parent span (passed explicitly: no global context manager is registered). */
  parent?: Span;
}

/** `url` null: spans are only kept in memory (for tests that serialize them themselves). */
export function otelHarness(
  kind: ExporterKind,
  url: string | null,
  resource: Attributes,
): OtelHarness {
  const exporter =
    url === null
      ? null
      : kind === 'proto'
        ? new ProtoExporter({ url })
        : new HttpJsonExporter({ url });
  return harnessFor(exporter, resource);
}

/**
 * A harness around any exporter (null: memory only). The batch processor waits for an explicit
 * flush, so a test decides when a request is sent.
 */
export function harnessFor(exporter: SpanExporter | null, resource: Attributes): OtelHarness {
  const memory = new InMemorySpanExporter();
  const processors: SpanProcessor[] = [new SimpleSpanProcessor(memory)];
  if (exporter !== null)
    processors.push(new BatchSpanProcessor(exporter, { scheduledDelayMillis: 60_000 }));
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes(resource),
    spanProcessors: processors,
  });
  const tracer = provider.getTracer('cairn-otlp-test', '1.0.0');
  const sender = exporter ?? memory;
  return {
    provider,
    exporter: sender,
    memory,
    span: (name, attributes, options = {}) =>
      tracer.startSpan(
        name,
        {
          attributes,
          kind: options.kind ?? SpanKind.INTERNAL,
          ...(options.startMs === undefined ? {} : { startTime: options.startMs }),
        },
        options.parent ? trace.setSpan(context.active(), options.parent) : context.active(),
      ),
    flush: () => provider.forceFlush(),
    resend: (spans) =>
      new Promise((resolve) => sender.export(spans, (result) => resolve(result.code))),
    shutdown: () => provider.shutdown(),
  };
}

export { SpanKind, SpanStatusCode };
