import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { SeedRowObject } from './builder.js';

/**
 * The seed document's own SQL, read at run time from ../shared/seeds (never copied into the
 * repo), and a scratch SQLite database that runs it over a data set: the independent
 * computation Cairn's views are checked against.
 */
export const SEEDS_DIR = join(process.cwd(), '..', 'shared', 'seeds');

export function seedDocument(prefix: '000' | '001'): string {
  const file = readdirSync(SEEDS_DIR).find((f) => f.startsWith(`${prefix}_`));
  if (!file) throw new Error(`no seed ${prefix} in ${SEEDS_DIR}`);
  return readFileSync(join(SEEDS_DIR, file), 'utf8');
}

export interface SeedSql {
  /** Phase 1: the ALTER TABLE statements that add the analytics columns to chat_messages. */
  alters: string[];
  /** Phase 1: the backfill UPDATEs. */
  backfills: string[];
  /** Phase 2: CREATE VIEW statements, by view name. */
  views: Map<string, string>;
}

/** Pulls the statements out of the document's text (markdown or the scraped plain-text copy). */
export function extractSeedSql(doc: string): SeedSql {
  const statements = (re: RegExp) => [...doc.matchAll(re)].map((m) => m[0].trim());
  const views = new Map<string, string>();
  for (const sql of statements(/CREATE VIEW\s+\w+\s+AS[\s\S]*?;/g))
    views.set(/CREATE VIEW\s+(\w+)/.exec(sql)![1]!, sql);
  return {
    alters: statements(/ALTER TABLE chat_messages ADD COLUMN[^;]*;/g),
    backfills: statements(/UPDATE chat_messages\s+SET[\s\S]*?;/g),
    views,
  };
}

/**
 * The two source tables before the seed's 0007 migration. The seed shows them only as a diagram
 * (and through the columns its views read), so these are that diagram written out: D1 INTEGER
 * epoch-millisecond times, JSON as TEXT.
 */
const BASE_TABLES = `
create table observability_events (
  event_id text primary key, request_id text, app_source text, event_type text, platform text,
  session_id text, user_id text, username text, chat_id text, repo text, status text,
  error_message text, classification_type text, classification_category text,
  classification_complexity text, classification_confidence real, agents text,
  input_tokens integer default 0, output_tokens integer default 0, total_tokens integer,
  cached_tokens integer default 0, reasoning_tokens integer default 0, model text, metadata text,
  triggered_at integer, completed_at integer, duration_ms integer, created_at integer,
  updated_at integer);
create table chat_messages (
  id integer primary key autoincrement, event_id text, session_id text not null,
  sequence integer, role text not null, content text, input_tokens integer default 0,
  output_tokens integer default 0, timestamp integer not null, created_at integer);`;

/**
 * A scratch database as the seed describes it: the base tables, the seed's ALTERs, the rows, the
 * seed's backfill, then the seed's views. SQLite cannot ADD a UNIQUE column (the seed's
 * `message_id TEXT UNIQUE` fails there, D1 included), so that constraint becomes a unique index.
 */
export function seedDatabase(
  sql: SeedSql,
  rows: readonly SeedRowObject[],
  path = ':memory:',
): Database.Database {
  const db = new Database(path);
  db.exec(BASE_TABLES);
  for (const alter of sql.alters) db.exec(alter.replace(/\s+UNIQUE\s*;$/i, ';'));
  db.exec('create unique index chat_messages_message_id on chat_messages(message_id)');
  db.transaction(() => {
    for (const { table, ...values } of rows) insert(db, table, values);
  })();
  for (const update of sql.backfills) db.exec(update);
  for (const view of sql.views.values()) db.exec(view);
  return db;
}

function insert(db: Database.Database, table: string, values: Record<string, unknown>): void {
  const columns = Object.keys(values);
  db.prepare(
    `insert into ${table} (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`,
  ).run(...columns.map((c) => values[c]));
}
