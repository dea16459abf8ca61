import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { CairnError } from '../../core/errors.js';
import type { Engine } from '../../engine.js';
import { decodeBody, formatOf, parseBody } from '../../ingest/parse-body.js';
import type { RawItem } from '../../ingest/raw-item.js';

/** Refuses bodies over server.maxBodyBytes before reading them (body_too_large). */
export function limitBody(engine: Engine): MiddlewareHandler {
  const { maxBodyBytes } = engine.config.server;
  return bodyLimit({
    maxSize: maxBodyBytes,
    onError: () => {
      throw new CairnError('body_too_large', `body exceeds ${maxBodyBytes} bytes; split the batch`);
    },
  });
}

/**
 * Reads a batch body: JSON (an array, or an object with the array under `listKey`) or NDJSON,
 * optionally gzip, into raw items. Whole-body problems throw; per-line ones are items.
 */
export async function readBatch(c: Context, engine: Engine, listKey: string): Promise<RawItem[]> {
  const { maxBodyBytes } = engine.config.server;
  const format = formatOf(c.req.header('content-type'));
  const raw = new Uint8Array(await c.req.arrayBuffer());
  const body = decodeBody(raw, c.req.header('content-encoding'), maxBodyBytes);
  return parseBody(body, format, engine.config.ingest.maxBatchEvents, listKey);
}
