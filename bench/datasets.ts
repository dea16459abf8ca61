import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine } from '../src/engine.js';
import { batches, DAY_MS, rawItems, SEED, wAgentEvents } from './workload.js';

/** Datasets end here (a fixed instant, so that a cached database stays valid across runs). */
export const DATA_END = Date.UTC(2026, 9, 1);

export interface Dataset {
  /** SQLite file or postgres:// URL. */
  db: string;
  /** W-agent events delivered (redeliveries included). */
  events: number;
  /** Distinct events stored. */
  stored: number;
  /** The newest stored timestamp + 1: the "now" of every query on this dataset. */
  to: number;
  /** Seconds the in-process build took; the cached build's figure when reused. */
  buildSeconds: number;
  reused: boolean;
}

/** A SQLite dataset of `events` W-agent events under `dir`, built once and reused afterwards. */
export async function cachedDataset(dir: string, events: number): Promise<Dataset> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `w-agent-${events}-seed${SEED}.db`);
  const metaFile = `${file}.json`;
  if (existsSync(file) && existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as Dataset;
    return { ...meta, db: file, reused: true };
  }
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  const built = await buildDataset(file, events);
  writeFileSync(metaFile, `${JSON.stringify(built, null, 2)}\n`);
  return built;
}

/** Ingests `events` W-agent events in process, in batches of 500, into a fresh database. */
export async function buildDataset(db: string, events: number): Promise<Dataset> {
  const engine = await createEngine({ db });
  const t0 = performance.now();
  try {
    let n = 0;
    for (const batch of batches(wAgentEvents(events, DATA_END))) {
      await engine.ingest(rawItems(batch), DATA_END + DAY_MS);
      n += batch.length;
      if (n % 1_000_000 === 0) progress(`  built ${n / 1e6} M of ${events / 1e6} M events`);
    }
    const buildSeconds = (performance.now() - t0) / 1000;
    const stored = await engine.store.countEvents();
    const max = await engine.store.reader
      .selectFrom('events')
      .select((eb) => eb.fn.max('ts').as('max'))
      .executeTakeFirstOrThrow();
    return { db, events, stored, to: Number(max.max) + 1, buildSeconds, reused: false };
  } finally {
    await engine.close();
  }
}

export function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** "100k", "1M", "10M". */
export function sizeLabel(events: number): string {
  return events >= 1e6 ? `${events / 1e6}M` : `${events / 1e3}k`;
}
