import { Hono } from 'hono';
import type { Engine } from '../../engine.js';
import { QUERY_CATALOGUE } from '../../query-catalogue.js';
import { engineOf } from '../auth.js';

/** GET /v1/<name> for every named query; parameters come from the query string. */
export function queryRoutes(engine: Engine): Hono {
  const app = new Hono();
  for (const name of Object.keys(QUERY_CATALOGUE)) {
    app.get(`/${name}`, async (c) => c.json(await engineOf(c, engine).query(name, c.req.query())));
  }
  return app;
}
