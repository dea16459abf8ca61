import type { SeedAdapter } from '../adapter.js';
import { importObservabilityRows } from './import-rows.js';
import { OBSERVABILITY_QUERIES } from './queries.js';
import { observabilityViews } from './views.js';

/**
 * Seed 000/001 (chat-bot monitoring on Cloudflare D1): `observability_events` rows become agent
 * runs with their chains of agent steps, `chat_messages` rows become message events, and the
 * seed's analytics_* views are rebuilt over Cairn's events (docs/seeds/observability.md).
 */
export const adapter: SeedAdapter = {
  format: 'observability',
  seeds: '000/001',
  tables: ['observability_events', 'chat_messages'],
  importRows: importObservabilityRows,
  // Runs first, so a report reads top-down.
  sqliteTables: ['observability_events', 'chat_messages'],
  views: observabilityViews,
  queries: OBSERVABILITY_QUERIES,
};
