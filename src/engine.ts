import { loadConfig, type Config, type ConfigInput } from './core/config.js';
import { ingestBatch } from './ingest/ingest-batch.js';
import type { BatchResult, RawItem } from './ingest/raw-item.js';
import type { Kysely } from 'kysely';
import { alertMigrations } from './alerts/migrations.js';
import { retentionMigrations } from './maintenance/retention-migrations.js';
import { Pricer } from './pricing/pricer.js';
import { QUERY_CATALOGUE } from './query-catalogue.js';
import { runNamedQuery } from './query/named-queries.js';
import type { SeedImportResult } from './seeds/adapter.js';
import { adapterFor, importItems } from './seeds/import-rows.js';
import { installSeedViews } from './seeds/install-views.js';
import { SEED_ADAPTERS, seedMigrations } from './seeds/registry.js';
import { openBackend } from './store/open-backend.js';
import { Store } from './store/store.js';

/**
 * The composition root: the one place that picks a backend and wires the store, pricing and
 * ingest together. The server and the CLI hold an Engine and never import a backend.
 */
export interface Engine {
  readonly config: Config;
  readonly store: Store;
  readonly pricer: Pricer;
  /** Validates, prices and stores a batch; resolves after commit. */
  ingest(items: readonly RawItem[], now?: number): Promise<BatchResult>;
  /**
   * Imports a batch of seed rows (`{"table": …, …columns}`) through the adapter for `format`
   * (observability, mcp-log, chat-telemetry, agent-platform); throws unknown_format.
   */
  importRows(
    format: string,
    items: readonly RawItem[],
    options?: { workspace?: string; now?: number },
  ): Promise<SeedImportResult>;
  /** Runs a named query (summary, timeseries, …) with raw, unvalidated parameters. */
  query(name: string, params: Record<string, unknown>, now?: number): Promise<unknown>;
  close(): Promise<void>;
}

export async function createEngine(input: Config | ConfigInput = {}): Promise<Engine> {
  const config = Object.isFrozen(input) ? (input as Config) : loadConfig(input as ConfigInput);
  const backend = await openBackend(config.db, { sqliteSynchronous: config.sqlite.synchronous });
  const store = new Store(backend);
  try {
    await store.migrate({
      ...seedMigrations(store.hooks),
      ...alertMigrations(store.hooks),
      ...retentionMigrations(store.hooks),
    });
    await installSeedViews(store.reader as Kysely<unknown>, store.kind, [
      ...SEED_ADAPTERS.values(),
    ]);
  } catch (err) {
    await store.close();
    throw err;
  }
  const pricer = new Pricer(store);
  const engine: Engine = {
    config,
    store,
    pricer,
    ingest: (items, now) => ingestBatch(items, { store, pricer, config }, now),
    importRows: (format, items, options = {}) =>
      importItems(adapterFor(SEED_ADAPTERS, format), items, {
        engine,
        workspace: options.workspace ?? config.ingest.defaultWorkspace,
        now: options.now ?? Date.now(),
      }),
    query: (name, params, now) => runNamedQuery(store, name, params, now, QUERY_CATALOGUE),
    close: () => store.close(),
  };
  return engine;
}
