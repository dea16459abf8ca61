import type { Migration } from 'kysely';
import type { ErrorCode } from '../core/errors.js';
import type { Engine } from '../engine.js';
import type { NamedQuery } from '../query/named-queries.js';
import type { BackendHooks, BackendKind } from '../store/backend.js';

/**
 * A seed adapter: how one of the seed systems (../shared/seeds) writes to Cairn and reads back.
 * Rows come in under the seed's own table and column names; the adapter turns them into Cairn
 * events (and, for reference data, seed records) through the normal ingest pipeline, and names
 * the SQL views that give the seed's outputs back under the seed's own names and columns.
 */
export const SEED_FORMATS = [
  'observability',
  'mcp-log',
  'chat-telemetry',
  'agent-platform',
] as const;
export type SeedFormat = (typeof SEED_FORMATS)[number];

/** One input row: the seed's columns, plus which seed table it belongs to. */
export interface SeedRow {
  readonly table: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/** A row that could not be imported, by its position in the batch handed to the adapter. */
export interface RowRejection {
  index: number;
  table: string | null;
  id: string | null;
  code: ErrorCode;
  message: string;
}

export interface SeedImportResult {
  /** Rows read. */
  rows: number;
  /** Cairn events stored, replaced by a higher revision, or already there. */
  accepted: number;
  updated: number;
  duplicates: number;
  /** Seed records (reference rows such as agents or users) inserted or updated. */
  records: number;
  rejected: RowRejection[];
}

export interface SeedImportContext {
  readonly engine: Engine;
  /** Workspace for rows that name none (the CLI's --workspace, later an API key's workspace). */
  readonly workspace: string;
  /** Wall-clock time of this import, in epoch ms; tests pass a fixed one. */
  readonly now: number;
}

/** One SQL view (or other relation) an adapter installs, in creation order. */
export interface SeedView {
  /** Name as the seed spells it; on PostgreSQL it may be schema-qualified (analytics.x). */
  readonly name: string;
  /** The SELECT that defines it, written for the backend it was asked for. */
  readonly select: string;
}

export interface SeedAdapter {
  readonly format: SeedFormat;
  /** Which seed documents it implements, e.g. "000/001". */
  readonly seeds: string;
  /** Seed table names accepted in `{"table": …}` rows. */
  readonly tables: readonly string[];
  /**
   * Imports one batch of rows (at most a few thousand). Bad rows are reported by index and never
   * block the others; the promise settles after everything accepted is committed.
   */
  importRows(rows: readonly SeedRow[], ctx: SeedImportContext): Promise<SeedImportResult>;
  /**
   * For the SQLite-based seeds: the tables `cairn import` reads from the seed's own database
   * file, in this order (src/seeds/read-sqlite-tables.ts).
   */
  readonly sqliteTables?: readonly string[];
  /** The views giving the seed's outputs, in creation order (later ones may read earlier ones). */
  views(kind: BackendKind): readonly SeedView[];
  /** Tables of the adapter's own, as migrations named `0005_<format>_<what>` (never edited). */
  migrations?(hooks: BackendHooks): Record<string, Migration>;
  /**
   * The seed's service calls as named queries, served at GET /v1/<format>/<name> and by
   * `cairn query <format>/<name>` (e.g. chat-telemetry/domain_summary).
   */
  readonly queries?: Readonly<Record<string, NamedQuery>>;
}
