import type { SeedAdapter } from '../adapter.js';

/** Seed 003. Placeholder: importRows and views are written under issue 4. */
export const adapter: SeedAdapter = {
  format: 'chat-telemetry',
  seeds: '003',
  tables: ['chat_telemetry'],
  importRows() {
    throw new Error('not built yet');
  },
  views: () => [],
};
