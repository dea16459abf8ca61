import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { CairnError, httpStatusOf, type ErrorCode } from '../core/errors.js';

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

/** The one place that turns an error into an HTTP response. */
export function errorResponse(err: unknown, c: Context): Response {
  const known = err instanceof CairnError;
  const code: ErrorCode = known ? err.code : 'internal';
  const message = known ? err.message : 'internal error; nothing from this request was stored';
  if (!known) console.error('cairn: unhandled error', err);
  const body: ErrorBody = { error: { code, message } };
  if (code === 'unauthorized') c.header('WWW-Authenticate', 'Bearer realm="cairn"');
  return c.json(body, httpStatusOf(code) as ContentfulStatusCode);
}
