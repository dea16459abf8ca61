import type { SeedAdapter } from '../adapter.js';

/** Seed 002. Placeholder: importRows and views are written under issue 4. */
export const adapter: SeedAdapter = {
  format: 'mcp-log',
  seeds: '002',
  tables: ['interactions', 'sessions', 'events'],
  importRows() {
    throw new Error('not built yet');
  },
  views: () => [],
};
