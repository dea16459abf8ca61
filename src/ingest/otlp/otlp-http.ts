import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { CairnError } from '../../core/errors.js';
import { decodeBody } from '../parse-body.js';
import { OtlpDecodeError } from './otlp-types.js';

/**
 * The OTLP/HTTP transport (https://opentelemetry.io/docs/specs/otlp/#otlphttp), written once for
 * every signal: binary protobuf or JSON, optionally gzip, size-limited; the answer is 200 with the
 * signal's Export*ServiceResponse in the request's encoding. Whole-request failures are thrown as
 * CairnErrors, which the app's one error mapping turns into the catalogue's JSON error body.
 */
export interface OtlpSignal<Req, Res> {
  /** The route's public path, for error messages (`/v1/logs`). */
  path: string;
  /** The request message's name, for error messages (`ExportLogsServiceRequest`). */
  message: string;
  decodeProtobuf(bytes: Uint8Array): Req;
  decodeJson(text: string): Req;
  encodeProtobuf(response: Res): Uint8Array<ArrayBuffer>;
  /** Ingests a decoded request; `headers` are added to the HTTP answer. */
  handle(request: Req, c: Context): Promise<{ response: Res; headers?: Record<string, string> }>;
}

export type OtlpFormat = 'protobuf' | 'json';

/** A Hono app answering POST / for one OTLP signal. */
export function otlpRoute<Req, Res>(maxBodyBytes: number, signal: OtlpSignal<Req, Res>): Hono {
  const app = new Hono();
  app.post(
    '/',
    bodyLimit({ maxSize: maxBodyBytes, onError: tooLarge(maxBodyBytes) }),
    async (c) => {
      const format = otlpFormatOf(c.req.header('content-type'), signal.path);
      const raw = new Uint8Array(await c.req.arrayBuffer());
      const body = decodeBody(raw, c.req.header('content-encoding'), maxBodyBytes);
      const { response, headers = {} } = await signal.handle(
        decodeRequest(body, format, signal),
        c,
      );
      for (const [name, value] of Object.entries(headers)) c.header(name, value);
      return respond(c, format, response, signal);
    },
  );
  return app;
}

/** OTLP/HTTP's two encodings; anything else is a 415 from the error catalogue. */
export function otlpFormatOf(contentType: string | undefined, path: string): OtlpFormat {
  const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mime === 'application/x-protobuf' || mime === 'application/protobuf') return 'protobuf';
  if (mime === 'application/json') return 'json';
  throw new CairnError(
    'unsupported_media_type',
    `Content-Type ${mime ? `"${mime}"` : '(none)'} is not accepted on ${path}; send OTLP as application/x-protobuf or application/json`,
  );
}

function decodeRequest<Req>(
  body: Uint8Array,
  format: OtlpFormat,
  signal: OtlpSignal<Req, unknown>,
): Req {
  try {
    if (format === 'protobuf') return signal.decodeProtobuf(body);
    return signal.decodeJson(utf8(body));
  } catch (err) {
    if (!(err instanceof OtlpDecodeError)) throw err;
    const what = format === 'protobuf' ? 'protobuf' : 'JSON';
    throw new CairnError(
      'malformed_body',
      `body is not a valid OTLP ${what} ${signal.message}: ${err.message}`,
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

function respond<Res>(
  c: Context,
  format: OtlpFormat,
  response: Res,
  signal: OtlpSignal<unknown, Res>,
): Response {
  if (format === 'json') return c.json(response as object, 200);
  const bytes = signal.encodeProtobuf(response);
  return c.body(bytes, 200, { 'content-type': 'application/x-protobuf' });
}

function tooLarge(maxBodyBytes: number) {
  return (): never => {
    throw new CairnError('body_too_large', `body exceeds ${maxBodyBytes} bytes; split the batch`);
  };
}
