import type { SeedAdapter } from '../adapter.js';

/** Seed 000/001. Placeholder: importRows and views are written under issue 4. */
export const adapter: SeedAdapter = {
  format: 'observability',
  seeds: '000/001',
  tables: ['observability_events', 'chat_messages'],
  importRows() {
    throw new Error('not built yet');
  },
  views: () => [],
};
