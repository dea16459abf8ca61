import { Hono } from 'hono';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import { createApp } from '../../src/server/app.js';
import { dashboardRoutes } from '../../src/server/routes/dashboard.js';
import { openTestEngine } from '../support/databases.js';
import { wire } from '../support/events.js';

let engine: Engine;
let dir: string;
/** The dashboard sub-app over a small fake build, mounted as createApp mounts it. */
let app: Hono;

beforeAll(async () => {
  engine = await openTestEngine('sqlite');
  dir = mkdtempSync(join(tmpdir(), 'cairn-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="app"></div>');
  writeFileSync(join(dir, 'assets', 'index-Ab12.js'), 'console.log(1)');
  writeFileSync(join(dir, 'assets', 'index-Cd34.css'), 'body{}');
  app = new Hono().route('/', dashboardRoutes(engine, { root: dir }));
});
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the dashboard route', () => {
  it('serves index.html at / uncached, so a new build shows at once', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toContain('<div id="app">');
  });

  it('serves hashed assets with their type and a year-long immutable cache', async () => {
    const js = await app.request('/assets/index-Ab12.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await js.text()).toBe('console.log(1)');
    const css = await app.request('/assets/index-Cd34.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers page paths (client-side routes) with index.html, so shared links load', async () => {
    for (const path of ['/models', '/trace?ws=a&id=b', '/agents/']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toContain('<div id="app">');
    }
  });

  it('does not answer a missing asset, or a path outside the build, with the page', async () => {
    expect((await app.request('/assets/gone-1234.js')).status).toBe(404);
    expect((await app.request('/favicon.ico')).status).toBe(404);
    const escape = await app.request('/..%2f..%2f..%2fetc%2fpasswd');
    expect(await escape.text()).not.toContain('root:');
  });

  it('says to run npm run build when the dashboard is not built', async () => {
    const bare = new Hono().route('/', dashboardRoutes(engine, { root: null }));
    const res = await bare.request('/overview');
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
  });
});

describe('the dashboard inside the whole app', () => {
  it('leaves /v1 and /healthz to the API: an unknown API path is the API’s JSON 404', async () => {
    const whole = createApp(engine);
    const res = await whole.request('/v1/no_such_query');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect((await whole.request('/healthz')).status).toBe(200);
  });

  it('GET /v1/workspaces lists the workspaces holding events, sorted', async () => {
    const events = [
      wire({ workspace: 'zeta' }),
      wire({ workspace: 'alpha' }),
      wire({ workspace: 'alpha' }),
    ];
    const whole = createApp(engine);
    const posted = await whole.request('/v1/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    expect(posted.status).toBe(200);
    const res = await whole.request('/v1/workspaces');
    expect(await res.json()).toEqual({ workspaces: ['alpha', 'zeta'] });
    const one = await whole.request('/v1/workspaces?workspace=zeta');
    expect(await one.json()).toEqual({ workspaces: ['zeta'] });
    const refused = await whole.request('/v1/workspaces?from=1');
    expect(refused.status).toBe(400);
  });
});
