import type { SeedAdapter, SeedView } from '../adapter.js';
import type { BackendKind } from '../../store/backend.js';
import { importChatTelemetry } from './import-rows.js';
import { CHAT_TELEMETRY_QUERIES } from './queries.js';
import { rollupSql } from './rollup-sql.js';
import { databaseNow, domainSummarySql, modelSummarySql } from './summary-sql.js';

/** The views under seed 003's names: the two summaries and the three hourly rollups. */
function views(kind: BackendKind): readonly SeedView[] {
  const now = databaseNow(kind);
  const byWorkspace = { byWorkspace: true };
  return [
    { name: 'chat_telemetry_domain_summary', select: domainSummarySql(kind, { now }) },
    { name: 'chat_telemetry_model_summary', select: modelSummarySql(kind, { now }) },
    { name: 'chat_telemetry_rollups', select: rollupSql(kind, 'all', byWorkspace) },
    { name: 'chat_telemetry_domain_rollups', select: rollupSql(kind, 'domain', byWorkspace) },
    { name: 'chat_telemetry_model_rollups', select: rollupSql(kind, 'model', byWorkspace) },
  ];
}

/**
 * Seed 003 (chat telemetry on PostgreSQL): chat_telemetry rows become llm_call events, and the
 * seed's hourly-refreshed materialized views become plain views, fresh at every read.
 * docs/seeds/chat-telemetry.md describes the mapping.
 */
export const adapter: SeedAdapter = {
  format: 'chat-telemetry',
  seeds: '003',
  tables: ['chat_telemetry'],
  importRows: importChatTelemetry,
  views,
  queries: CHAT_TELEMETRY_QUERIES,
};
