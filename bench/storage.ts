import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import type { Dataset } from './datasets.js';
import { targetIf, type Metric } from './report.js';

/** Bytes on disk by part, from SQLite's dbstat table (pages, overflow included). */
interface Parts {
  raw: number;
  indexes: number;
  rollups: number;
  userDays: number;
  other: number;
}

const GB = 1e9;
/** Seed 004's budget: under 1 GB a month per workspace. */
const SEED004_BYTES_PER_MONTH = GB;

/**
 * Storage per event on one dataset: the file after a WAL checkpoint, split by dbstat into raw
 * rows, their indexes, the rollups and user_days, with message bodies (`content`) subtracted.
 */
export function storage(
  dataset: Dataset,
  label: string,
  targets: boolean,
): { metrics: Metric[]; notes: string[] } {
  const db = new Database(dataset.db);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const fileBytes = statSync(dataset.db).size;
    const parts = dbstat(db);
    const content = Number(
      (
        db.prepare('SELECT SUM(length(CAST(content AS BLOB))) b FROM events').get() as {
          b: number | null;
        }
      ).b ?? 0,
    );
    const n = dataset.stored;
    const perEvent = (fileBytes - content) / n;
    const p = `storage.sqlite.${label}`;
    const metrics: Metric[] = [
      {
        name: `${p}.bytes_per_event`,
        value: perEvent,
        unit: 'B',
        ...targetIf(targets, '<=', 150),
        note: 'file after checkpoint, message bodies excluded',
      },
      { name: `${p}.bytes_per_event_with_bodies`, value: fileBytes / n, unit: 'B' },
      {
        name: `${p}.events_per_month_in_1GB`,
        value: SEED004_BYTES_PER_MONTH / perEvent,
        unit: 'ev',
        note: "seed 004's < 1 GB/month/workspace, restated",
      },
    ];
    if (parts) {
      for (const [k, v] of Object.entries(parts))
        metrics.push({
          name: `${p}.${k}_bytes_per_event`,
          value: (k === 'raw' ? v - content : v) / n,
          unit: 'B',
        });
    }
    const notes = [
      `${label}: ${n} events, file ${(fileBytes / 2 ** 20).toFixed(1)} MiB of which message bodies ${(content / 2 ** 20).toFixed(1)} MiB${parts ? '' : ' (dbstat unavailable: no split)'}.`,
      ...workspaceMonth(db, perEvent, label),
    ];
    return { metrics, notes };
  } finally {
    db.close();
  }
}

function dbstat(db: Database.Database): Parts | null {
  let rows: { name: string; bytes: number }[];
  try {
    rows = db
      .prepare('SELECT name, SUM(pgsize) bytes FROM dbstat GROUP BY name')
      .all() as typeof rows;
  } catch {
    return null;
  }
  const parts: Parts = { raw: 0, indexes: 0, rollups: 0, userDays: 0, other: 0 };
  for (const r of rows) parts[partOf(r.name)] += r.bytes;
  return parts;
}

function partOf(name: string): keyof Parts {
  if (name === 'events') return 'raw';
  if (name.startsWith('events_') || name.startsWith('sqlite_autoindex_events')) return 'indexes';
  if (name.startsWith('rollup_') || name.startsWith('sqlite_autoindex_rollup_')) return 'rollups';
  if (name.startsWith('user_days')) return 'userDays';
  return 'other';
}

/** What W-agent's busiest workspace writes in 30 days at this size per event. */
function workspaceMonth(db: Database.Database, perEvent: number, label: string): string[] {
  const r = db
    .prepare(
      `SELECT workspace, COUNT(*) n, MAX(ts) - MIN(ts) span FROM events
       GROUP BY workspace ORDER BY n DESC LIMIT 1`,
    )
    .get() as { workspace: string; n: number; span: number } | undefined;
  if (!r || r.span <= 0) return [];
  const perMonth = (r.n / r.span) * 30 * 86_400_000;
  return [
    `${label}: the busiest W-agent workspace (${r.workspace}) stores ${Math.round(perMonth)} events a month ≈ ${((perMonth * perEvent) / 2 ** 20).toFixed(0)} MiB a month without message bodies (seed 004: < 1 GB).`,
  ];
}
