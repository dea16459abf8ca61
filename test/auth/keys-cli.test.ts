import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateKey } from '../../src/auth/api-key.js';
import { createEngine } from '../../src/engine.js';
import { createApp } from '../../src/server/app.js';
import { startServer } from '../../src/server/serve.js';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cairn-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cairn keys', () => {
  it('creates a key shown once, lists it without its secret, and revokes it', async () => {
    const db = join(dir, 'keys.db');
    const created = await runCli([
      'keys',
      'create',
      '--workspace',
      'acme',
      '--role',
      'read',
      '--name',
      'grafana',
      '--db',
      db,
    ]);
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim();
    const m = /^cairn_([0-9a-f]{16})_(\S{43})$/.exec(token)!;
    const id = m[1]!;
    const secret = m[2]!;

    const listed = await runCli(['keys', 'list', '--db', db]);
    expect(listed.stdout).toMatch(
      new RegExp(`^${id}  acme  read  created \\S+  active  grafana$`, 'm'),
    );
    expect(listed.stdout).not.toContain(secret);

    // The key works against the same database, and stops working once revoked.
    const engine = await createEngine({ db });
    const app = createApp(engine);
    const ask = () => app.request('/v1/summary', { headers: { authorization: `Bearer ${token}` } });
    expect((await ask()).status).toBe(200);
    await engine.close();

    const revoked = await runCli(['keys', 'revoke', token, '--db', db]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect((await runCli(['keys', 'list', '--db', db])).stdout).toMatch(
      new RegExp(`^${id} .* revoked `, 'm'),
    );
    const again = await runCli(['keys', 'revoke', id, '--db', db]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('not_found');

    // Revoking the last key does not reopen the API: a key was issued, so keys stay required.
    const reopened = await createEngine({ db });
    const status = (
      await createApp(reopened).request('/v1/summary', {
        headers: { authorization: `Bearer ${token}` },
      })
    ).status;
    await reopened.close();
    expect(status).toBe(401);
  });

  it('rejects an unknown role with the choices', async () => {
    const r = await runCli([
      'keys',
      'create',
      '--workspace',
      'a',
      '--role',
      'owner',
      '--db',
      join(dir, 'x.db'),
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/ingest, read, admin/);
  });
});

describe('serving beyond loopback', () => {
  it('refuses to start with no keys, saying how to create one, and starts once one exists', async () => {
    const engine = await createEngine({ db: join(dir, 'serve.db') });
    try {
      await expect(startServer(engine, { host: '0.0.0.0', port: 0 })).rejects.toThrow(
        /refusing to listen on 0\.0\.0\.0 with no API keys.*cairn keys create/,
      );
      const k = generateKey();
      await engine.store.keys.create({
        id: k.id,
        workspace: 'default',
        role: 'admin',
        name: null,
        secret_hash: k.hash,
        created_at: Date.now(),
        revoked_at: null,
      });
      const server = await startServer(engine, { host: '0.0.0.0', port: 0 });
      const url = `http://127.0.0.1:${server.port}`;
      expect((await fetch(`${url}/v1/summary`)).status).toBe(401);
      const ok = await fetch(`${url}/v1/summary`, { headers: { 'x-api-key': k.token } });
      expect(ok.status).toBe(200);
      await server.close(); // closes the engine too
    } catch (err) {
      await engine.close().catch(() => {});
      throw err;
    }
  });

  it('serves loopback with no keys (the embedded default)', async () => {
    const engine = await createEngine({ db: join(dir, 'loop.db') });
    const server = await startServer(engine, { host: '127.0.0.1', port: 0 });
    expect((await fetch(`${server.url}/v1/summary`)).status).toBe(200);
    await server.close();
  });
});
