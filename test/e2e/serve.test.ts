import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine.js';
import { exitOf, startCairnServe } from '../support/cli.js';
import { wire } from '../support/events.js';

let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cairn-e2e-'));
  db = join(dir, 'cairn.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function storedIds(): Promise<string[]> {
  const engine = await createEngine({ db });
  try {
    return (await engine.store.listEvents({ workspace: 'default', limit: 10_000 }))
      .map((e) => e.id)
      .sort();
  } finally {
    await engine.close();
  }
}

function postBatch(url: string, ids: string[]) {
  const events = ids.map((id) => wire({ id, timestamp: Date.now() - 5_000 }));
  return fetch(`${url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
  });
}

describe('cairn serve', () => {
  it('a batch posted twice leaves exactly one copy of each event; SIGTERM exits cleanly', async () => {
    const { child, url } = await startCairnServe(['--db', db, '--port', '0']);
    const health = await fetch(`${url}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok', backend: 'sqlite' });
    expect(await (await postBatch(url, ['a', 'b', 'c'])).json()).toEqual({
      accepted: 3,
      updated: 0,
      duplicates: 0,
      rejected: [],
    });
    expect(await (await postBatch(url, ['a', 'b', 'c'])).json()).toEqual({
      accepted: 0,
      updated: 0,
      duplicates: 3,
      rejected: [],
    });
    child.kill('SIGTERM');
    expect(await exitOf(child)).toEqual({ code: 0, signal: null });
    expect(await storedIds()).toEqual(['a', 'b', 'c']);
  });

  it('what was acknowledged survives the process being killed', async () => {
    const { child, url } = await startCairnServe(['--db', db, '--port', '0']);
    const ids = Array.from({ length: 500 }, (_, i) => `k${String(i).padStart(3, '0')}`);
    const res = await postBatch(url, ids);
    expect(res.status).toBe(200);
    child.kill('SIGKILL');
    expect((await exitOf(child)).signal).toBe('SIGKILL');
    expect(await storedIds()).toEqual(ids);
  });

  it('--otlp-grpc-port starts the OTLP/gRPC listener beside HTTP', async () => {
    const { child, output } = await startCairnServe([
      '--db',
      db,
      '--port',
      '0',
      '--otlp-grpc-port',
      '0',
    ]);
    child.kill('SIGTERM');
    expect(await exitOf(child)).toEqual({ code: 0, signal: null });
    expect(output()).toMatch(/OTLP\/gRPC on 127\.0\.0\.1:\d+/);
  });

  it('--demo fills an empty database with generated traffic', async () => {
    const { child, output } = await startCairnServe(['--db', db, '--port', '0', '--demo']);
    child.kill('SIGTERM');
    await exitOf(child);
    expect(output()).toMatch(/demo data: [\d,]+ accepted/);
    const engine = await createEngine({ db });
    try {
      const count = await engine.store.countEvents();
      expect(count).toBeGreaterThan(10_000);
      expect((await engine.store.listWorkspaces()).length).toBeGreaterThan(1);
    } finally {
      await engine.close();
    }
  }, 120_000);
});
