import type { Migration } from 'kysely';
import type { BackendHooks } from '../store/backend.js';

/** The alert tables, as migrations named `0006_alerts_<what>` (issue 8). Placeholder. */
export function alertMigrations(_hooks: BackendHooks): Record<string, Migration> {
  return {};
}
