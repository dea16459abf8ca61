import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys: `cairn_<id>_<secret>`. The id is public (it names the key in lists and logs); the
 * secret is 32 random bytes and only its SHA-256 is stored. A fast hash is right here: the
 * secret has 256 bits of entropy, so there is nothing for a slow hash to protect against, and
 * every request verifies one.
 */
export const ROLES = ['ingest', 'read', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface NewKey {
  id: string;
  /** The whole key, shown once at creation and never stored. */
  token: string;
  hash: string;
}

const TOKEN = /^cairn_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export function generateKey(): NewKey {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, token: `cairn_${id}_${secret}`, hash: hashSecret(secret) };
}

/** The key id and secret of a presented token, or null when it is not shaped like a key. */
export function parseKey(token: string): { id: string; secret: string } | null {
  const m = TOKEN.exec(token.trim());
  return m ? { id: m[1]!, secret: m[2]! } : null;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * What a request needs: writes of telemetry need `ingest`, reads need `read`, anything else
 * (alert rules, keys, prices) needs `admin`. An admin key may do everything in its workspace.
 */
export function requiredRole(method: string, path: string): Role {
  const p = path.replace(/\/+$/, '');
  if (method === 'POST' && INGEST_PATHS.some((r) => r.test(p))) return 'ingest';
  if (method === 'GET' || method === 'HEAD') return 'read';
  return 'admin';
}

const INGEST_PATHS = [
  /^\/v1\/events$/,
  /^\/v1\/traces$/,
  /^\/v1\/logs$/,
  /^\/v1\/import\/[^/]+$/,
  /^\/v1\/mcp\/interactions$/,
];

export function roleAllows(have: Role, need: Role): boolean {
  return have === 'admin' || have === need;
}
