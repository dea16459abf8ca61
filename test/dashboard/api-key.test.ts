import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKey } from '../../src/auth/api-key.js';
import { createEngine } from '../../src/engine.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { items } from '../support/events.js';
import { browserAvailable, launchChromium, screenshot, tiles, waitReady } from './browser.js';

/**
 * With API keys in force the dashboard asks for one, sends it, and then shows the key's own
 * workspace only — never another tenant's numbers.
 */
describe.skipIf(!browserAvailable())('the dashboard with API keys in force', () => {
  let dir: string;
  let server: RunningServer;
  let browser: Browser;
  let token: string;
  const now = Date.now();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cairn-dashboard-key-'));
    const engine = await createEngine({ db: join(dir, 'keys.db') });
    const event = (workspace: string, i: number) => ({
      id: `e-${i}`,
      type: 'llm_call',
      workspace,
      timestamp: now - (i + 1) * 60_000,
      duration_ms: 100,
      model: 'gpt-4o-mini',
      usage: { input_tokens: 10, output_tokens: 5 },
    });
    await engine.ingest(
      items(
        ...Array.from({ length: 3 }, (_, i) => event('acme', i)),
        ...Array.from({ length: 8 }, (_, i) => event('globex', i)),
      ),
    );
    const key = generateKey();
    await engine.store.keys.create({
      id: key.id,
      workspace: 'acme',
      role: 'read',
      name: 'dashboard',
      secret_hash: key.hash,
      created_at: now,
      revoked_at: null,
    });
    token = key.token;
    [server, browser] = await Promise.all([
      startServer(engine, { host: '127.0.0.1', port: 0 }),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks for a key, then shows the key workspace only', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/?range=24h`);
    const prompt = page.locator('[data-key-prompt]');
    await prompt.waitFor({ timeout: 20_000 });
    await screenshot(page, 'api-key-prompt');

    await prompt.locator('input[name="api-key"]').fill(token);
    await prompt.locator('button[type="submit"]').click();
    await waitReady(page);
    const shown = await tiles(page, 'totals');
    expect(Number(shown.requests?.value)).toBe(3); // acme's 3 calls, not globex's 8
    expect(page.url()).not.toContain('cairn_'); // never in the URL
    await screenshot(page, 'api-key-overview');
  });
});
