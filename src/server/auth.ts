import type { Context, MiddlewareHandler } from 'hono';
import { Authenticator, tokenFrom } from '../auth/authenticator.js';
import type { Engine } from '../engine.js';

/**
 * API-key authentication for /v1 (docs/security.md): resolves the engine the request runs on —
 * the unscoped one in the embedded default, else one confined to the key's workspace.
 */
export function authenticate(engine: Engine, options: { requireKeys: boolean }): MiddlewareHandler {
  const auth = new Authenticator(engine, options.requireKeys);
  return async (c, next) => {
    if (OPEN_PATHS.has(c.req.path)) return next();
    const token = tokenFrom(c.req.header('authorization'), c.req.header('x-api-key'));
    const scoped = await auth.engineFor(token, c.req.method, c.req.path);
    if (scoped !== engine) c.set(ENGINE_KEY as never, scoped as never);
    return next();
  };
}

/** The engine a request runs on: the key-scoped one when authentication set it, else the base. */
export function engineOf(c: Context, base: Engine): Engine {
  return (c.get(ENGINE_KEY as never) as Engine | undefined) ?? base;
}

const ENGINE_KEY = 'cairn.engine';
const OPEN_PATHS = new Set(['/v1/openapi.json']);
