import { CairnError } from '../core/errors.js';
import type { Engine } from '../engine.js';
import { parseKey, requiredRole, roleAllows, secretMatches, type Role } from './api-key.js';

/** How long a verified key, or "no key was ever created", is trusted before a re-read. */
export const KEY_CACHE_MS = 5_000;

interface Verified {
  workspace: string;
  role: Role;
}

/**
 * Decides which engine a request runs on, for every transport (HTTP, OTLP/gRPC). While no key
 * was ever created — the embedded default, allowed on loopback only (serve.ts) — requests run
 * unscoped. Once one exists, revoked or not (so revoking the last key never reopens the API),
 * a request needs a live key whose role allows it, and runs confined to the key's workspace.
 * Unknown, revoked and malformed keys get the same answer, so nobody learns which ids exist.
 */
export class Authenticator {
  private anyKeys: { value: boolean; at: number } | null = null;
  private readonly verified = new Map<string, { key: Verified | null; at: number }>();

  constructor(
    private readonly engine: Engine,
    /** Require keys even while none exists (a server bound beyond loopback). */
    private readonly requireKeys: boolean,
  ) {}

  /** The engine for a request with this token (null: none sent) to `method path`. */
  async engineFor(token: string | null, method: string, path: string): Promise<Engine> {
    if (!(await this.keysInForce())) return this.engine;
    if (token === null)
      throw new CairnError(
        'unauthorized',
        'this server requires an API key: send Authorization: Bearer <key> or X-API-Key',
      );
    const key = await this.verify(token);
    if (!key) throw new CairnError('unauthorized', 'the API key is not valid');
    const need = requiredRole(method, path);
    if (!roleAllows(key.role, need))
      throw new CairnError(
        'forbidden',
        `this API key has role ${key.role}; ${method} ${path} needs ${need}`,
      );
    return this.engine.forWorkspace(key.workspace);
  }

  private async keysInForce(): Promise<boolean> {
    if (this.requireKeys) return true;
    const now = Date.now();
    if (!this.anyKeys || now - this.anyKeys.at > KEY_CACHE_MS) {
      const n = await this.engine.store.keys.count({ activeOnly: false });
      this.anyKeys = { value: n > 0, at: now };
    }
    return this.anyKeys.value;
  }

  private async verify(token: string): Promise<Verified | null> {
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

/** The key in an `Authorization: Bearer …` or `X-API-Key` value; '' for a malformed header. */
export function tokenFrom(authorization: string | undefined, apiKey: string | undefined) {
  if (authorization !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return m ? m[1]! : '';
  }
  return apiKey ?? null;
}
