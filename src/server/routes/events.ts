import { Hono } from 'hono';
import type { Engine } from '../../engine.js';
import { engineOf } from '../auth.js';
import { limitBody, readBatch } from './batch-body.js';

/**
 * POST /v1/events: a JSON batch or NDJSON, optionally gzip. 200 when every item is stored (or was
 * already), 207 with per-item rejections when some are not. The response is sent after commit.
 */
export function eventsRoutes(engine: Engine): Hono {
  const app = new Hono();
  app.post('/', limitBody(engine), async (c) => {
    const result = await engineOf(c, engine).ingest(await readBatch(c, engine, 'events'));
    return c.json(result, result.rejected.length > 0 ? 207 : 200);
  });
  return app;
}
