import { generateWAgent } from '../../src/generator/w-agent.js';
import type { Engine } from '../../src/engine.js';

/** A fixed W-agent workload (with redeliveries and late events) shared by the parity tests. */
export const END = Date.parse('2026-11-18T00:00:00Z');
export const START = END - 2 * 86_400_000;
export const INGEST_NOW = END + 3_600_000;

export function workload(): Record<string, unknown>[] {
  return [
    ...generateWAgent({
      seed: 'parity',
      start: START,
      end: END,
      sessionsPerDay: 250,
      workspaces: 4,
    }),
  ] as unknown as Record<string, unknown>[];
}

/** Ingests in batches of 700, then sends the first two batches again (they must change nothing). */
export async function load(engine: Engine, events: Record<string, unknown>[]): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < events.length; i += 700) batches.push(events.slice(i, i + 700));
  for (const b of [...batches, ...batches.slice(0, 2)]) {
    const r = await engine.ingest(
      b.map((value) => ({ ok: true as const, value })),
      INGEST_NOW,
    );
    if (r.rejected.length > 0)
      throw new Error(`workload rejected: ${JSON.stringify(r.rejected[0])}`);
  }
}

/**
 * Updates to every 40th distinct event of the workload: revision 1, a different status and
 * duration, and (for LLM calls) another model and an hour later — so that answers include
 * retractions across buckets and dimension values.
 */
export function updatesOf(events: Record<string, unknown>[]): Record<string, unknown>[] {
  const seen = new Set<string>();
  const distinct = events.filter((e) => {
    const key = `${e.workspace as string}\u0000${e.id as string}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return distinct
    .filter((_, i) => i % 40 === 7)
    .map((e) => ({
      ...e,
      revision: 1,
      status: e.status === 'ok' ? 'error' : 'ok',
      duration_ms: typeof e.duration_ms === 'number' ? e.duration_ms * 2 + 1 : 123,
      ...(e.type === 'llm_call'
        ? { model: 'gpt-4o', provider: 'openai', timestamp: (e.timestamp as number) + 3_600_000 }
        : {}),
    }));
}

/** The workload as stored after `loadWithUpdates`: the latest revision of each distinct event. */
export function finalState(
  events: Record<string, unknown>[],
  updates: Record<string, unknown>[],
): Record<string, unknown>[] {
  const byKey = new Map<string, Record<string, unknown>>();
  for (const e of [...events, ...updates]) {
    const key = `${e.workspace as string}\u0000${e.id as string}`;
    const prior = byKey.get(key);
    if (
      !prior ||
      ((e.revision as number | undefined) ?? 0) > ((prior.revision as number | undefined) ?? 0)
    )
      byKey.set(key, e);
  }
  return [...byKey.values()];
}

/** `load`, then the updates in batches of 300 (some sent twice, which must change nothing). */
export async function loadWithUpdates(
  engine: Engine,
  events: Record<string, unknown>[],
  updates: Record<string, unknown>[],
): Promise<void> {
  await load(engine, events);
  for (let i = 0; i < updates.length; i += 300) {
    const batch = updates.slice(i, i + 300).map((value) => ({ ok: true as const, value }));
    const r = await engine.ingest(batch, INGEST_NOW);
    if (r.updated !== batch.length)
      throw new Error(`expected ${batch.length} updates, got ${JSON.stringify(r)}`);
    if (i === 0) await engine.ingest(batch, INGEST_NOW);
  }
}
