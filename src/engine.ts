import { loadConfig, type Config, type ConfigInput } from './core/config.js';
import { ingestBatch } from './ingest/ingest-batch.js';
import type { BatchResult, RawItem } from './ingest/raw-item.js';
import { Pricer } from './pricing/pricer.js';
import { runNamedQuery } from './query/named-queries.js';
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
  /** Runs a named query (summary, timeseries, …) with raw, unvalidated parameters. */
  query(name: string, params: Record<string, unknown>, now?: number): Promise<unknown>;
  close(): Promise<void>;
}

export async function createEngine(input: Config | ConfigInput = {}): Promise<Engine> {
  const config = Object.isFrozen(input) ? (input as Config) : loadConfig(input as ConfigInput);
  const backend = await openBackend(config.db, { sqliteSynchronous: config.sqlite.synchronous });
  const store = new Store(backend);
  try {
    await store.migrate();
  } catch (err) {
    await store.close();
    throw err;
  }
  const pricer = new Pricer(store);
  return {
    config,
    store,
    pricer,
    ingest: (items, now) => ingestBatch(items, { store, pricer, config }, now),
    query: (name, params, now) => runNamedQuery(store, name, params, now),
    close: () => store.close(),
  };
}
