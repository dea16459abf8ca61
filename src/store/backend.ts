import type { CreateTableBuilder, Kysely } from 'kysely';
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
}
