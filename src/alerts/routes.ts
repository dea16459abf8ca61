import { Hono } from 'hono';
import type { Engine } from '../engine.js';

/** /v1/alerts (issue 8). Placeholder until alerts are built. */
export function alertsRoutes(_engine: Engine): Hono {
  return new Hono();
}
