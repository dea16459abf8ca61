import { Hono } from 'hono';
import type { Engine } from '../../engine.js';

/** GET /healthz: 200 while the database answers, 503 when it does not or while draining. */
export function healthRoutes(engine: Engine, isDraining: () => boolean): Hono {
  const app = new Hono();
  app.get('/', async (c) => {
    if (isDraining()) return c.json({ status: 'draining' }, 503);
    try {
      await engine.store.ping();
      return c.json({ status: 'ok', backend: engine.store.kind });
    } catch (err) {
      return c.json({ status: 'unavailable', message: (err as Error).message }, 503);
    }
  });
  return app;
}
