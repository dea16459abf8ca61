import { Hono } from 'hono';
import type { Engine } from '../../engine.js';

/** POST /v1/logs: OTLP/HTTP log export (issue 7). Placeholder until it is built. */
export function logsRoutes(_engine: Engine): Hono {
  return new Hono();
}
