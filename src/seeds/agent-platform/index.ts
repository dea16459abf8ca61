import type { SeedAdapter } from '../adapter.js';

/** Seed 004. Placeholder: importRows and views are written under issue 4. */
export const adapter: SeedAdapter = {
  format: 'agent-platform',
  seeds: '004',
  tables: ['user_activity', 'agent_runs', 'agents', 'workspaces', 'workspace_members', 'users'],
  importRows() {
    throw new Error('not built yet');
  },
  views: () => [],
};
