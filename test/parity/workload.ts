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
