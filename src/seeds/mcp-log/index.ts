import type { SeedAdapter } from '../adapter.js';
import { importMcpRows, type McpLogOptions } from './import.js';
import { TABLES } from './state-store.js';
import { mcpLogViews } from './views/index.js';

export { DEFAULT_TIMEOUT_MS, type McpLogOptions } from './import.js';

/**
 * Seed 002: an MCP proxy's JSON-RPC interaction log (docs/seeds/mcp-log.md). Interactions pair
 * into tool_call events; the seed's analytics tables are views over Cairn's events.
 */
export function createMcpLogAdapter(options: Partial<McpLogOptions> = {}): SeedAdapter {
  // An explicit option wins; else the engine's configuration (seeds.mcpLog.timeoutMs).
  const resolve = (configured: number): McpLogOptions => ({
    timeoutMs: options.timeoutMs ?? configured,
  });
  return {
    format: 'mcp-log',
    seeds: '002',
    tables: [TABLES.interactions, TABLES.sessions, TABLES.events],
    importRows: (rows, ctx) =>
      importMcpRows(rows, ctx, resolve(ctx.engine.config.seeds.mcpLog.timeoutMs)),
    // Sessions first, then the log in log order.
    sqliteTables: [TABLES.sessions, TABLES.interactions, TABLES.events],
    views: mcpLogViews,
  };
}

/** The adapter the registry serves, with the configured response timeout (default 5 minutes). */
export const adapter: SeedAdapter = createMcpLogAdapter();
