import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { CairnError } from '../../core/errors.js';
import type { Engine } from '../../engine.js';
import { decodeBody } from '../parse-body.js';
import { exportTraces } from './export-traces.js';
import { decodeJsonTraceRequest } from './otlp-json.js';
import {
  OtlpDecodeError,
  type ExportTraceServiceRequest,
  type ExportTraceServiceResponse,
} from './otlp-types.js';
import { decodeExportTraceRequest, encodeExportTraceResponse } from './protobuf.js';

/**
 * POST /v1/traces: OTLP/HTTP trace export (https://opentelemetry.io/docs/specs/otlp/#otlphttp),
 * binary protobuf or JSON, optionally gzip. Spans become Cairn events (docs/otel.md) and go through
 * the ordinary ingest pipeline. The answer is 200 with an ExportTraceServiceResponse in the
 * request's encoding — with partial_success when some spans were rejected, as the spec asks,
 * so exporters do not retry a batch whose good spans were stored.
 */
export function tracesRoutes(engine: Engine): Hono {
  const { maxBodyBytes } = engine.config.server;
  const app = new Hono();
  app.post(
    '/',
    bodyLimit({ maxSize: maxBodyBytes, onError: tooLarge(maxBodyBytes) }),
    async (c) => {
      const format = otlpFormatOf(c.req.header('content-type'));
      const raw = new Uint8Array(await c.req.arrayBuffer());
      const body = decodeBody(raw, c.req.header('content-encoding'), maxBodyBytes);
      return respond(c, format, await exportTraces(engine, decodeRequest(body, format)));
    },
  );
  return app;
}

type OtlpFormat = 'protobuf' | 'json';

/** OTLP/HTTP's two encodings; anything else is a 415 from the error catalogue. */
export function otlpFormatOf(contentType: string | undefined): OtlpFormat {
  const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mime === 'application/x-protobuf' || mime === 'application/protobuf') return 'protobuf';
  if (mime === 'application/json') return 'json';
  throw new CairnError(
    'unsupported_media_type',
    `Content-Type ${mime ? `"${mime}"` : '(none)'} is not accepted on /v1/traces; send OTLP as application/x-protobuf or application/json`,
  );
}

function decodeRequest(body: Uint8Array, format: OtlpFormat): ExportTraceServiceRequest {
  try {
    if (format === 'protobuf') return decodeExportTraceRequest(body);
    return decodeJsonTraceRequest(utf8(body));
  } catch (err) {
    if (!(err instanceof OtlpDecodeError)) throw err;
    const what = format === 'protobuf' ? 'protobuf' : 'JSON';
    throw new CairnError(
      'malformed_body',
      `body is not a valid OTLP ${what} ExportTraceServiceRequest: ${err.message}`,
    );
  }
}

function utf8(body: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new CairnError('invalid_utf8', 'body is not valid UTF-8');
  }
}

function respond(c: Context, format: OtlpFormat, response: ExportTraceServiceResponse): Response {
  if (format === 'json') return c.json(response, 200);
  return c.body(encodeExportTraceResponse(response), 200, {
    'content-type': 'application/x-protobuf',
  });
}

function tooLarge(maxBodyBytes: number) {
  return (): never => {
    throw new CairnError('body_too_large', `body exceeds ${maxBodyBytes} bytes; split the batch`);
  };
}
