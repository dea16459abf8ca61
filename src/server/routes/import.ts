import { Hono } from 'hono';
import type { Engine } from '../../engine.js';
import type { RawItem } from '../../ingest/raw-item.js';
import { engineOf } from '../auth.js';
import { limitBody, readBatch } from './batch-body.js';

/**
 * POST /v1/import/FORMAT: rows of a seed system's tables (`{"table": …, …columns}`), as NDJSON or
 * a JSON array / {"rows": [...]}, through that format's adapter. 200 when every row was taken,
 * 207 with per-row rejections otherwise, 404 unknown_format for a format with no adapter.
 */
export function importRoutes(engine: Engine): Hono {
  const app = new Hono();
  app.post('/:format', limitBody(engine), async (c) => {
    const items = await readBatch(c, engine, 'rows');
    const result = await engineOf(c, engine).importRows(c.req.param('format'), items);
    return c.json(result, result.rejected.length > 0 ? 207 : 200);
  });
  return app;
}

/**
 * POST /v1/mcp/interactions: an MCP proxy's live interaction log, one JSON-RPC message per line,
 * into the mcp-log adapter. Rows need no `table` field: every row is an interaction.
 */
export function mcpInteractionRoutes(engine: Engine): Hono {
  const app = new Hono();
  app.post('/', limitBody(engine), async (c) => {
    const items = (await readBatch(c, engine, 'interactions')).map(asInteraction);
    const result = await engineOf(c, engine).importRows('mcp-log', items);
    return c.json(result, result.rejected.length > 0 ? 207 : 200);
  });
  return app;
}

function asInteraction(item: RawItem): RawItem {
  if (!item.ok) return item;
  const v = item.value;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return item;
  return { ok: true, value: { table: 'interactions', ...(v as Record<string, unknown>) } };
}
