import type { SeedAdapter } from '../adapter.js';
import { importAgentPlatformRows } from './import.js';
import { ROW_SCHEMAS } from './rows.js';
import { FORMAT } from './to-events.js';
import { apSql } from './view-sql.js';
import { agentViews } from './views-agents.js';
import { baseViews } from './views-base.js';
import { metricsViews } from './views-metrics.js';
import { userViews } from './views-users.js';

/**
 * Seed 004, the agent-platform analytics schema (docs/seeds/agent-platform.md): user_activity
 * and agent_runs rows become `activity` and `agent_run` events, agents / workspaces / members /
 * users become seed records, and the seed's analytics tables and materialized views are views
 * over them (in the `analytics` schema on PostgreSQL).
 */
export const adapter: SeedAdapter = {
  format: FORMAT,
  seeds: '004',
  tables: Object.keys(ROW_SCHEMAS),
  importRows: importAgentPlatformRows,
  views: (kind) => {
    const s = apSql(kind);
    return [...baseViews(s), ...metricsViews(s), ...agentViews(s), ...userViews(s)];
  },
};
