import type { Context, MiddlewareHandler } from 'hono';
import { parseKey, requiredRole, roleAllows, secretMatches, type Role } from '../auth/api-key.js';
import { CairnError } from '../core/errors.js';
import type { Engine } from '../engine.js';

/** How long a verified key, or "no keys exist", is trusted before the table is read again. */
export const KEY_CACHE_MS = 5_000;

interface Verified {
  workspace: string;
  role: Role;
}

/**
 * API-key authentication for /v1. While no key was ever created (the embedded default, on
 * loopback only — see serve.ts) requests pass unscoped. Once one exists, revoked or not, every
 * request needs a key (so revoking the last key never reopens the API), sent as
 * `Authorization: Bearer cairn_…` or `X-API-Key`; it must be live, its role must allow the route,
 * and the request then runs on an engine confined to the key's workspace. Unknown, revoked and
 * malformed keys get the same answer, so the API never tells which ids exist.
 */
export function authenticate(engine: Engine, options: { requireKeys: boolean }): MiddlewareHandler {
  const cache = new KeyCache(engine, options.requireKeys);
  return async (c, next) => {
    if (OPEN_PATHS.has(c.req.path) || !(await cache.keysInForce())) return next();
    const token = tokenOf(c);
    if (token === null)
      throw new CairnError(
        'unauthorized',
        'this server requires an API key: send Authorization: Bearer <key> or X-API-Key',
      );
    const key = await cache.verify(token);
    if (!key) throw new CairnError('unauthorized', 'the API key is not valid');
    const need = requiredRole(c.req.method, c.req.path);
    if (!roleAllows(key.role, need))
      throw new CairnError(
        'forbidden',
        `this API key has role ${key.role}; ${c.req.method} ${c.req.path} needs ${need}`,
      );
    c.set(ENGINE_KEY as never, engine.forWorkspace(key.workspace) as never);
    return next();
  };
}

/** The engine a request runs on: the key-scoped one when authentication set it, else the base. */
export function engineOf(c: Context, base: Engine): Engine {
  return (c.get(ENGINE_KEY as never) as Engine | undefined) ?? base;
}

const ENGINE_KEY = 'cairn.engine';
const OPEN_PATHS = new Set(['/v1/openapi.json']);

function tokenOf(c: Context): string | null {
  const auth = c.req.header('authorization');
  if (auth !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m ? m[1]! : '';
  }
  return c.req.header('x-api-key') ?? null;
}

/** Verified keys and the "any keys at all" answer, each trusted for KEY_CACHE_MS. */
class KeyCache {
  private anyKeys: { value: boolean; at: number } | null = null;
  private readonly verified = new Map<string, { key: Verified | null; at: number }>();

  constructor(
    private readonly engine: Engine,
    private readonly always: boolean,
  ) {}

  async keysInForce(): Promise<boolean> {
    if (this.always) return true;
    const now = Date.now();
    if (!this.anyKeys || now - this.anyKeys.at > KEY_CACHE_MS) {
      const n = await this.engine.store.keys.count({ activeOnly: false });
      this.anyKeys = { value: n > 0, at: now };
    }
    return this.anyKeys.value;
  }

  async verify(token: string): Promise<Verified | null> {
    const now = Date.now();
    const hit = this.verified.get(token);
    if (hit && now - hit.at <= KEY_CACHE_MS) return hit.key;
    const key = await this.lookup(token);
    if (this.verified.size > 10_000) this.verified.clear(); // bound memory under key spraying
    this.verified.set(token, { key, at: now });
    return key;
  }

  private async lookup(token: string): Promise<Verified | null> {
    const parsed = parseKey(token);
    if (!parsed) return null;
    const stored = await this.engine.store.keys.get(parsed.id);
    if (!stored || stored.revoked_at !== null || !secretMatches(parsed.secret, stored.secret_hash))
      return null;
    return { workspace: stored.workspace, role: stored.role as Role };
  }
}
