import { statfsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { sql } from 'kysely';
import type { Engine } from '../engine.js';
import { ROLLUP_GRAINS } from '../rollups/definitions.js';

/** What is known about the database's disk; null where the backend cannot tell. */
export interface DiskReading {
  /** Free bytes on the database's filesystem (SQLite files only). */
  freeBytes: number | null;
  totalBytes: number | null;
  /** The database's own size (file + WAL on SQLite, pg_database_size on PostgreSQL). */
  databaseBytes: number | null;
  /** Bytes the last day's events take, at the database's average bytes per event. */
  dailyGrowthBytes: number | null;
}

export interface DiskThresholds {
  /** Warn below this share of the filesystem free … */
  minFreeRatio: number;
  /** … or below this many bytes free … */
  minFreeBytes: number;
  /** … or when the recent daily growth would fill it within this many days. */
  minDaysLeft: number;
}

export const DEFAULT_DISK_THRESHOLDS: Readonly<DiskThresholds> = Object.freeze({
  minFreeRatio: 0.1,
  minFreeBytes: 1024 ** 3,
  minDaysLeft: 14,
});

export interface DiskStatus extends DiskReading {
  /** `unknown` when free space cannot be measured (PostgreSQL's disk is the server's). */
  status: 'ok' | 'warn' | 'unknown';
  /** Days until full at the recent daily growth; null when unknown or not growing. */
  daysLeft: number | null;
  warnings: string[];
}

const GIB = 1024 ** 3;
const gib = (n: number) => `${(n / GIB).toFixed(1)} GiB`;

/** Judges a reading against thresholds. Pure: the numbers come from measureDisk. */
export function assessDisk(
  r: DiskReading,
  t: DiskThresholds = DEFAULT_DISK_THRESHOLDS,
): DiskStatus {
  const warnings: string[] = [];
  const { freeBytes: free, totalBytes: total, dailyGrowthBytes: growth } = r;
  const daysLeft = free !== null && growth !== null && growth > 0 ? free / growth : null;
  if (free !== null && total !== null && total > 0 && free / total < t.minFreeRatio)
    warnings.push(
      `disk ${((free / total) * 100).toFixed(1)} % free (${gib(free)} of ${gib(total)}), below ${t.minFreeRatio * 100} %`,
    );
  if (free !== null && free < t.minFreeBytes)
    warnings.push(`disk ${gib(free)} free, below ${gib(t.minFreeBytes)}`);
  if (daysLeft !== null && daysLeft < t.minDaysLeft)
    warnings.push(
      `disk full in ${daysLeft.toFixed(1)} days at ${gib(growth!)} a day, within ${t.minDaysLeft} days`,
    );
  const status = warnings.length > 0 ? 'warn' : free === null ? 'unknown' : 'ok';
  return { ...r, status, daysLeft, warnings };
}

/** Measures the database's disk: its filesystem (SQLite files), its size and its growth. */
export async function measureDisk(
  engine: Pick<Engine, 'store' | 'config'>,
  now: number,
): Promise<DiskReading> {
  const file = sqliteFile(engine);
  const fsInfo = file === null ? null : filesystemOf(file);
  const databaseBytes = file !== null ? fileBytes(file) : await postgresBytes(engine);
  return {
    freeBytes: fsInfo?.free ?? null,
    totalBytes: fsInfo?.total ?? null,
    databaseBytes,
    dailyGrowthBytes: databaseBytes === null ? null : await dailyGrowth(engine, now, databaseBytes),
  };
}

function sqliteFile(engine: Pick<Engine, 'store' | 'config'>): string | null {
  const db = engine.config.db;
  return engine.store.kind === 'sqlite' && db !== ':memory:' ? resolve(db) : null;
}

function filesystemOf(file: string): { free: number; total: number } {
  const s = statfsSync(dirname(file));
  // bavail, not bfree: the blocks an unprivileged process (this one) can still write.
  return { free: s.bavail * s.bsize, total: s.blocks * s.bsize };
}

function fileBytes(file: string): number {
  let n = 0;
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      n += statSync(f).size;
    } catch {
      // The WAL and shared-memory files exist only while a connection has them open.
    }
  }
  return n;
}

async function postgresBytes(engine: Pick<Engine, 'store'>): Promise<number | null> {
  try {
    const r = await sql<{ n: number }>`select pg_database_size(current_database()) as n`.execute(
      engine.store.reader,
    );
    return r.rows[0] ? Number(r.rows[0].n) : null;
  } catch {
    return null; // in-memory PGlite has no database files to measure
  }
}

/**
 * The last day's events times the average bytes an event takes in the whole database (rollups
 * and indexes included), which is what another day of the same traffic will add.
 */
async function dailyGrowth(
  engine: Pick<Engine, 'store'>,
  now: number,
  bytes: number,
): Promise<number> {
  const total = await engine.store.countEvents();
  if (total === 0) return 0;
  const row = await engine.store.reader
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('ts', '>=', now - ROLLUP_GRAINS.day)
    .where('ts', '<', now)
    .executeTakeFirstOrThrow();
  return Math.round((Number(row.n) * bytes) / total);
}

const cache = new WeakMap<object, { at: number; status: DiskStatus }>();

/**
 * The disk status, measured at most once per `maxAgeMs` per store: /healthz may be polled every
 * few seconds, and counting events is not free on a large database.
 */
export async function diskStatus(
  engine: Pick<Engine, 'store' | 'config'>,
  now: number,
  maxAgeMs = 60_000,
): Promise<DiskStatus> {
  const hit = cache.get(engine.store);
  if (hit && now - hit.at < maxAgeMs && now >= hit.at) return hit.status;
  const status = assessDisk(await measureDisk(engine, now));
  cache.set(engine.store, { at: now, status });
  return status;
}
