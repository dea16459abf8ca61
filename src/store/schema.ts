import type { PriceOverride } from '../pricing/price-override.js';
import type { ColumnType, Generated } from 'kysely';

/** JSON documents: written as text, read back as text (SQLite) or parsed (PostgreSQL jsonb). */
export type JsonColumn = ColumnType<unknown, string | null, string | null>;

/** The raw events table: one row per accepted event, the single source of truth. */
export interface EventsTable {
  seq: Generated<number>;
  workspace: string;
  id: string;
  type: string;
  ts: number;
  duration_ms: number | null;
  app: string | null;
  domain: string | null;
  platform: string | null;
  environment: string | null;
  user_id: string | null;
  session_id: string | null;
  trace_id: string | null;
  parent_id: string | null;
  agent: string | null;
  model: string | null;
  provider: string | null;
  tool: string | null;
  client_name: string | null;
  client_version: string | null;
  status: string;
  error_type: string | null;
  error_code: string | null;
  error_message: string | null;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  cost_nanos: number | null;
  cost_source: string | null;
  price_ref: string | null;
  name: string | null;
  content: string | null;
  counters: JsonColumn;
  attributes: JsonColumn;
  detail: JsonColumn;
  revision: number;
  received_at: number;
}

/** A stored price override (src/pricing/price-override.ts) and when it was set. */
export interface PriceOverridesTable extends PriceOverride {
  created_at: number;
}

export interface UserDaysTable {
  workspace: string;
  user_id: string;
  day: number;
  events: number;
  errors: number;
  cost_nanos: number;
  input_tokens: number;
  output_tokens: number;
}

/** A seed system's reference row (an agent, a user, an MCP session …), kept as its JSON. */
export interface SeedRecordsTable {
  workspace: string;
  format: string;
  seed_table: string;
  id: string;
  /** The row's own time (created_at, timestamp …) in epoch ms, when it has one. */
  ts: number | null;
  data: JsonColumn;
  received_at: number;
}

/** An API key: its public id, scope and the SHA-256 of its secret (src/auth/api-key.ts). */
export interface ApiKeysTable {
  id: string;
  workspace: string;
  role: string;
  name: string | null;
  secret_hash: string;
  created_at: number;
  revoked_at: number | null;
}

export interface Database {
  events: EventsTable;
  api_keys: ApiKeysTable;
  seed_records: SeedRecordsTable;
  price_overrides: PriceOverridesTable;
  user_days: UserDaysTable;
}

/**
 * Rollup tables (`rollup_<name>`) have columns that follow their definitions, so they are
 * reached through this loosely typed view of the database.
 */
export type RollupTables = Record<string, Record<string, unknown>>;
