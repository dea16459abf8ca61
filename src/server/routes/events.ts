import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { CairnError } from '../../core/errors.js';
import type { Engine } from '../../engine.js';
import { decodeBody, formatOf, parseBody } from '../../ingest/parse-body.js';

/**
 * POST /v1/events: a JSON batch or NDJSON, optionally gzip. 200 when every item is stored (or was
 * already), 207 with per-item rejections when some are not. The response is sent after commit.
 */
export function eventsRoutes(engine: Engine): Hono {
  const { maxBodyBytes } = engine.config.server;
  const { maxBatchEvents } = engine.config.ingest;
  const app = new Hono();
  app.post(
    '/',
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: () => {
        throw new CairnError(
          'body_too_large',
          `body exceeds ${maxBodyBytes} bytes; split the batch`,
        );
      },
    }),
    async (c) => {
      const format = formatOf(c.req.header('content-type'));
      const raw = new Uint8Array(await c.req.arrayBuffer());
      const body = decodeBody(raw, c.req.header('content-encoding'), maxBodyBytes);
      const result = await engine.ingest(parseBody(body, format, maxBatchEvents));
      return c.json(result, result.rejected.length > 0 ? 207 : 200);
    },
  );
  return app;
}
