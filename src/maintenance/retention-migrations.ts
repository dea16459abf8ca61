import type { Migration } from 'kysely';
import type { BackendHooks } from '../store/backend.js';

/** Retention policy tables, as migrations named `0007_retention_<what>` (issue 8). Placeholder. */
export function retentionMigrations(_hooks: BackendHooks): Record<string, Migration> {
  return {};
}
