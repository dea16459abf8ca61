import type { Engine } from '../engine.js';
import { demoOptions, generateWAgent } from '../generator/w-agent.js';
import { addBatch, emptySummary, type IngestSummary } from './ingest-summary.js';
import type { Progress } from './progress.js';

const BATCH = 1_000;

/**
 * Fills an empty database with a week of W-agent traffic ending now, so a new user sees a
 * populated Cairn at once. A database that already holds events is left alone.
 */
export async function seedDemo(
  engine: Engine,
  now: number,
  progress?: Progress,
): Promise<IngestSummary | null> {
  if ((await engine.store.countEvents()) > 0) return null;
  const summary = emptySummary();
  let batch: unknown[] = [];
  const flush = async () => {
    addBatch(
      summary,
      await engine.ingest(
        batch.map((value) => ({ ok: true, value })),
        now,
      ),
      [],
    );
    batch = [];
    progress?.update(summary.accepted + summary.duplicates, 'events');
  };
  for (const event of generateWAgent(demoOptions(now))) {
    batch.push(event);
    if (batch.length >= BATCH) await flush();
  }
  if (batch.length > 0) await flush();
  progress?.done();
  return summary;
}
