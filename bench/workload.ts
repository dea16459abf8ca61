import type { CairnEvent } from '../src/core/event.js';
import { validateEvent } from '../src/core/validate-event.js';
import type { Engine } from '../src/engine.js';
import { generateWAgent, type WireEventLike } from '../src/generator/w-agent.js';
import { validationContext } from '../src/ingest/ingest-batch.js';
import type { RawItem } from '../src/ingest/raw-item.js';

export const DAY_MS = 86_400_000;
export const BATCH_SIZE = 500;
/** The generator's seed for every benchmark, so that every run sees the same events. */
export const SEED = 42;
/** W-agent delivers about 170 k events a day (duplicates included); measured, with margin. */
const EVENTS_PER_DAY = 160_000;

/** The first `events` W-agent events (delivery order) of a stream that ends at `end`. */
export function* wAgentEvents(events: number, end: number): Generator<WireEventLike> {
  const days = Math.ceil(events / EVENTS_PER_DAY) + 1;
  let n = 0;
  for (const e of generateWAgent({ seed: SEED, start: end - days * DAY_MS, end })) {
    if (n++ >= events) return;
    yield e;
  }
}

/** Groups a stream into batches of `size`. */
export function* batches<T>(items: Iterable<T>, size = BATCH_SIZE): Generator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

export function rawItems(events: readonly WireEventLike[]): RawItem[] {
  return events.map((value) => ({ ok: true, value }));
}

/**
 * Validated, priced canonical events, exactly as ingest would store them (repeats within the
 * batch dropped, first wins). For the raw-only and bare-insert baselines, which must store the
 * same rows as Cairn.
 */
export async function canonicalBatch(
  engine: Engine,
  batch: readonly WireEventLike[],
  now: number,
): Promise<CairnEvent[]> {
  const ctx = validationContext(engine.config, now);
  const seen = new Set<string>();
  const valid: CairnEvent[] = [];
  for (const item of batch) {
    const r = validateEvent(item, ctx);
    if (!r.ok) throw new Error(`generator produced an invalid event: ${r.code} ${r.message}`);
    const key = `${r.event.workspace}\u0000${r.event.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    valid.push(r.event);
  }
  return engine.pricer.applyAll(valid);
}
