import type { Migration } from 'kysely';
import type { NamedQuery } from '../query/named-queries.js';
import type { BackendHooks } from '../store/backend.js';
import type { SeedAdapter } from './adapter.js';
import { adapter as agentPlatform } from './agent-platform/index.js';
import { adapter as chatTelemetry } from './chat-telemetry/index.js';
import { adapter as mcpLog } from './mcp-log/index.js';
import { adapter as observability } from './observability/index.js';

/** Every seed adapter, by format name (docs/seeds/FORMAT.md documents each). */
export const SEED_ADAPTERS: ReadonlyMap<string, SeedAdapter> = new Map(
  [observability, mcpLog, chatTelemetry, agentPlatform].map((a) => [a.format, a]),
);

/** The adapters' own migrations, for the store to run with its own. */
export function seedMigrations(hooks: BackendHooks): Record<string, Migration> {
  return Object.assign({}, ...[...SEED_ADAPTERS.values()].map((a) => a.migrations?.(hooks) ?? {}));
}

/** The adapters' service calls, named `<format>/<name>`. */
export const SEED_QUERIES: Readonly<Record<string, NamedQuery>> = Object.fromEntries(
  [...SEED_ADAPTERS.values()].flatMap((a) =>
    Object.entries(a.queries ?? {}).map(([name, q]) => [`${a.format}/${name}`, q]),
  ),
);
