import { Hono } from 'hono';
import type { Engine } from '../../engine.js';

/** The web dashboard at / (issue 5). Placeholder until the dashboard is built. */
export function dashboardRoutes(_engine: Engine): Hono {
  return new Hono();
}
