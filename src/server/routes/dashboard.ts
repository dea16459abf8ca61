import { Hono, type Context } from 'hono';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../../engine.js';

export interface DashboardOptions {
  /** The built dashboard (Vite's output); default: dist/web beside the compiled server. */
  root?: string | null;
}

/**
 * Where the built dashboard is: dist/web is two levels above this module once compiled
 * (dist/server/routes/), and under dist/ at the repository root when run from src/ with tsx.
 */
function defaultRoot(): string | null {
  const candidates = ['../../web', '../../../dist/web'].map((p) =>
    fileURLToPath(new URL(p, import.meta.url)),
  );
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Vite names assets after their content hash, so a cached copy can never be stale. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

const NOT_BUILT = `<!doctype html><title>Cairn</title>
<p>The Cairn dashboard has not been built. Run <code>npm run build</code> (npm ci does it for
you), then reload. The HTTP API under <a href="/v1/openapi.json">/v1</a> works without it.</p>`;

/**
 * The web dashboard at /: the built files, with index.html for every other GET path that is not
 * an API route (the dashboard's pages are client-side routes such as /models?range=7d, so a
 * shared link must load the app). index.html is never cached, so a new build shows at once.
 */
export function dashboardRoutes(_engine: Engine, options: DashboardOptions = {}): Hono {
  const root = options.root === undefined ? defaultRoot() : options.root;
  const app = new Hono();
  app.get('*', async (c, next) => {
    const path = c.req.path;
    if (path === '/v1' || path.startsWith('/v1/') || path.startsWith('/healthz')) return next();
    if (root === null) return c.html(NOT_BUILT, 503, { 'cache-control': 'no-store' });
    const file = await servedFile(root, path);
    if (file) return send(c, file.body, file.path, path.startsWith('/assets/'));
    // A missing asset is a 404; only page paths (no extension) fall back to the app.
    if (extname(path) !== '') return next();
    return send(c, await readFile(join(root, 'index.html')), 'index.html', false);
  });
  return app;
}

/** The file a path names inside root, or null (missing, a directory, or outside root). */
async function servedFile(
  root: string,
  path: string,
): Promise<{ path: string; body: Buffer } | null> {
  let rel: string;
  try {
    rel = normalize(decodeURIComponent(path)).replace(/^[/\\]+/, '');
  } catch {
    return null;
  }
  if (rel === '' || rel === '.') rel = 'index.html';
  const full = join(root, rel);
  if (!full.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  try {
    return { path: full, body: await readFile(full) };
  } catch {
    return null; // ENOENT, or EISDIR for a directory
  }
}

function send(c: Context, body: Buffer, path: string, hashed: boolean): Response {
  const type = TYPES[extname(path)] ?? 'application/octet-stream';
  return c.body(new Uint8Array(body), 200, {
    'content-type': type,
    'cache-control': hashed ? IMMUTABLE : 'no-cache',
  });
}
