import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The dashboard (web/) builds into dist/web, beside the compiled server, so the package ships
 * it and `cairn serve` needs no separate step. Preact's JSX is compiled by Vite's own
 * transformer (automatic runtime) — no plugin needed.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    // One small app: a single chunk loads in one round trip.
    chunkSizeWarningLimit: 200,
  },
  server: { proxy: { '/v1': 'http://127.0.0.1:4680' } },
});
