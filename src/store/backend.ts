import type { CreateTableBuilder, Kysely, RawBuilder, Transaction } from 'kysely';
import type { Database } from './schema.js';

/**
 * The backend boundary, modelled on Kysely's Dialect: a backend supplies a Kysely instance for its
 * engine plus a handful of hooks where engines genuinely differ. Everything else (migrations,
 * queries, transactions) is written once in the shared Store.
 */
export interface Backend {
  readonly kind: BackendKind;
  readonly db: Kysely<Database>;
  readonly hooks: BackendHooks;
  close(): Promise<void>;
}

export type BackendKind = 'sqlite' | 'postgres' | 'pglite';

export type RowsSource = (
  db: Kysely<unknown>,
  table: string,
  columns: readonly string[],
  rows: ReadonlyArray<readonly unknown[]>,
) => Promise<RawBuilder<unknown>>;

export interface BackendHooks {
  /** Column type for JSON documents. */
  readonly jsonType: 'text' | 'jsonb';
  /** Column type for 64-bit integers (epoch ms, nano-dollars, token sums). */
  readonly bigintType: 'integer' | 'bigint';
  /** Column type for floating-point numbers. */
  readonly doubleType: 'real' | 'double precision';
  /** Most bound parameters one statement may carry. */
  readonly maxParams: number;
  /** Adds the auto-incrementing surrogate key `seq` as the table's primary key. */
  addSeqColumn<T extends string>(table: CreateTableBuilder<T>): CreateTableBuilder<T, 'seq'>;
  /** Turns a JSON column value as read back into a JS value. */
  readJson(value: unknown): unknown;
  /** Makes a table store rows in primary-key order (SQLite: WITHOUT ROWID); else unchanged. */
  clustered<T extends string, C extends string>(
    table: CreateTableBuilder<T, C>,
  ): CreateTableBuilder<T, C>;
  /**
   * Serialises writers that touch rollups, inside their transaction. SQLite has one writer
   * already; PostgreSQL takes a transaction-scoped advisory lock, so that concurrent batches
   * (and rebuilds) never interleave their read-modify-writes of shared rollup rows.
   */
  lockWrites(trx: Transaction<Database>): Promise<void>;
  /**
   * Installs `cairn_hist_merge(a, b)`, which adds two stored histograms bin by bin, for upserts.
   * SQLite registers a JavaScript function on its connection; PostgreSQL creates a SQL function.
   */
  installFunctions(db: Kysely<unknown>): Promise<void>;
  /**
   * Optional capability: run one compiled single-row statement once per parameter row, returning
   * the rows each run changed. SQLite has it (a cached prepared statement on its one connection
   * is several times faster than compiling a large multi-row statement per batch); backends
   * without it get multi-row statements, one round trip per chunk.
   */
  runEach?(sql: string, rows: ReadonlyArray<readonly unknown[]>): number[];
  /**
   * Optional capability: a batch of rows (values in `columns` order) as one SELECT to insert
   * from, with a parameter per column rather than per value (PostgreSQL's unnest over arrays).
   * Backends without it get multi-row VALUES, chunked under `maxParams`.
   */
  rowsSource?: RowsSource;
  /**
   * Optional capability: installs row-level security confining a scoped role to one workspace
   * (PostgreSQL). Returns false when the connecting user lacks the privileges to do so.
   */
  installRowSecurity?(db: Kysely<unknown>): Promise<boolean>;
  /** With installRowSecurity: confines the rest of a transaction to one workspace. */
  scopeTransaction?(trx: Transaction<unknown>, workspace: string): Promise<void>;
  /** The table-valued function that expands a stored histogram into (key, value) rows. */
  readonly histEach: 'json_each' | 'jsonb_each_text';
}
