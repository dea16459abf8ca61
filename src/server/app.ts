import { Hono } from 'hono';
import { CairnError } from '../core/errors.js';
import type { Engine } from '../engine.js';
import { alertsRoutes } from '../alerts/routes.js';
import { logsRoutes } from '../ingest/otlp/logs-route.js';
import { tracesRoutes } from '../ingest/otlp/traces-route.js';
import { authenticate } from './auth.js';
import { errorResponse } from './error-response.js';
import { eventsRoutes } from './routes/events.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { healthRoutes } from './routes/health.js';
import { importRoutes, mcpInteractionRoutes } from './routes/import.js';
import { queryRoutes } from './routes/queries.js';
import { openApiDocument } from './openapi.js';

export interface AppOptions {
  /** True once shutdown has begun: new work is refused with 503. */
  isDraining?: () => boolean;
  /** Require an API key even while none exists (any address other than loopback). */
  requireKeys?: boolean;
}

/** Builds the HTTP application over an engine, without listening (tests call app.request). */
export function createApp(engine: Engine, options: AppOptions = {}): Hono {
  const isDraining = options.isDraining ?? (() => false);
  const app = new Hono();
  app.use('/v1/*', async (c, next) => {
    if (isDraining())
      throw new CairnError('shutting_down', 'server is shutting down; retry shortly');
    await next();
  });
  app.use('/v1/*', authenticate(engine, { requireKeys: options.requireKeys ?? false }));
  app.route('/healthz', healthRoutes(engine, isDraining));
  app.route('/v1/events', eventsRoutes(engine));
  app.route('/v1/traces', tracesRoutes(engine));
  app.route('/v1/logs', logsRoutes(engine));
  app.route('/v1/alerts', alertsRoutes(engine));
  app.route('/v1/import', importRoutes(engine));
  app.route('/v1/mcp/interactions', mcpInteractionRoutes(engine));
  app.get('/v1/openapi.json', (c) => c.json(openApiDocument()));
  app.route('/v1', queryRoutes(engine));
  app.route('/', dashboardRoutes(engine));
  app.notFound((c) =>
    errorResponse(new CairnError('not_found', `no route for ${c.req.method} ${c.req.path}`), c),
  );
  app.onError(errorResponse);
  return app;
}
