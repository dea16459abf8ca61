#!/usr/bin/env node
// The `cairn` command. The TypeScript sources are compiled to dist/ by `npm ci` (the prepare
// script); run `npm run build` after changing them.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/bin.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('cairn: dist/ is missing; run `npm run build` (npm ci does it for you)');
  process.exit(2);
}
await import(entry.href);
