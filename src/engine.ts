import { loadConfig, type Config, type ConfigInput } from './core/config.js';
import { CairnError } from './core/errors.js';
import { ingestBatch } from './ingest/ingest-batch.js';
import type { BatchResult, RawItem } from './ingest/raw-item.js';
import type { Kysely } from 'kysely';
import { alertMigrations } from './alerts/migrations.js';
import { retentionMigrations } from './maintenance/retention-migrations.js';
import { readRawHorizons } from './maintenance/retention-store.js';
import { Pricer } from './pricing/pricer.js';
import { scopedParams } from './auth/scope-query.js';
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
  /** The workspace this engine is confined to (an API key's), or null for all. */
  readonly scope: string | null;
  /**
   * This engine confined to one workspace: ingest rejects items naming another, imports and
   * queries are held to it, and on PostgreSQL reads run under row-level security.
   */
  forWorkspace(workspace: string): Engine;
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
    await store.enableRowSecurity();
  } catch (err) {
    await store.close();
    throw err;
  }
  return assemble(config, store, new Pricer(store), null);
}

/** Wires an engine over a store; a scoped one shares the store's connection and the pricer. */
function assemble(config: Config, baseStore: Store, pricer: Pricer, scope: string | null): Engine {
  const store = scope === null ? baseStore : baseStore.forWorkspace(scope);
  const engine: Engine = {
    config,
    store,
    pricer,
    scope,
    ingest: (items, now) =>
      ingestBatch(
        items,
        { store, pricer, config, scope, rawHorizons: () => readRawHorizons(baseStore) },
        now,
      ),
    importRows: (format, items, options = {}) =>
      importItems(adapterFor(SEED_ADAPTERS, format), items, {
        engine,
        workspace: scope ?? options.workspace ?? config.ingest.defaultWorkspace,
        now: options.now ?? Date.now(),
      }),
    query: (name, params, now) =>
      scope === null
        ? runNamedQuery(store, name, params, now, QUERY_CATALOGUE)
        : store.readScoped((s) =>
            runNamedQuery(
              s,
              name,
              scopedParams(name, QUERY_CATALOGUE[name], params, scope),
              now,
              QUERY_CATALOGUE,
            ),
          ),
    forWorkspace: (workspace) => {
      if (scope !== null && workspace !== scope)
        throw new CairnError('forbidden', `this engine is confined to workspace "${scope}"`);
      return assemble(withDefaultWorkspace(config, workspace), baseStore, pricer, workspace);
    },
    close: () => baseStore.close(),
  };
  return engine;
}

/** The configuration with another default workspace (for items that name none). */
function withDefaultWorkspace(config: Config, workspace: string): Config {
  return Object.freeze({
    ...config,
    ingest: Object.freeze({ ...config.ingest, defaultWorkspace: workspace }),
  });
}
