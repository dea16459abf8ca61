import { describe, expect, it } from 'vitest';
import {
  generateKey,
  hashSecret,
  parseKey,
  requiredRole,
  roleAllows,
  secretMatches,
} from '../../src/auth/api-key.js';

describe('API keys', () => {
  it('are random, parse back to their id, and only their hash verifies', () => {
    const a = generateKey();
    const b = generateKey();
    expect(a.token).not.toBe(b.token);
    const parsed = parseKey(a.token)!;
    expect(parsed.id).toBe(a.id);
    expect(a.hash).toBe(hashSecret(parsed.secret));
    expect(a.hash).not.toContain(parsed.secret);
    expect(secretMatches(parsed.secret, a.hash)).toBe(true);
    expect(secretMatches(parseKey(b.token)!.secret, a.hash)).toBe(false);
  });

  it('reject anything not shaped like a key', () => {
    const good = generateKey().token;
    for (const t of ['', 'cairn_', good.slice(0, -1), `${good}x`, good.replace('cairn_', 'cairm_')])
      expect(parseKey(t), t).toBeNull();
  });

  it('map routes to roles, and admin allows everything', () => {
    const table: Array<[string, string, string]> = [
      ['POST', '/v1/events', 'ingest'],
      ['POST', '/v1/traces', 'ingest'],
      ['POST', '/v1/logs', 'ingest'],
      ['POST', '/v1/import/mcp-log', 'ingest'],
      ['POST', '/v1/mcp/interactions', 'ingest'],
      ['GET', '/v1/summary', 'read'],
      ['GET', '/v1/alerts', 'read'],
      ['POST', '/v1/alerts', 'admin'],
      ['DELETE', '/v1/alerts/x', 'admin'],
      ['POST', '/v1/import/a/b', 'admin'],
    ];
    for (const [method, path, role] of table) expect(requiredRole(method, path), path).toBe(role);
    expect(roleAllows('admin', 'ingest')).toBe(true);
    expect(roleAllows('read', 'ingest')).toBe(false);
    expect(roleAllows('ingest', 'read')).toBe(false);
  });
});
