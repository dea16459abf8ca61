import { afterAll, beforeAll } from 'vitest';
import type { Engine } from '../../src/engine.js';
import { END, load, START, workload } from '../parity/workload.js';
import { type BackendName, openTestEngine, postgresAvailable } from './databases.js';

/**
 * Loads the parity workload into a fresh engine on every backend before the enclosing suite's
 * tests (PostgreSQL when a server answers), and closes them after. `backends` is filled in
 * beforeAll; `wide` is a range covering the whole workload.
 */
export function useWorkloadEngines() {
  const events = workload();
  const engines = new Map<BackendName, Engine>();
  const backends: BackendName[] = [];
  const wide = { from: String(START - 86_400_000), to: String(END + 86_400_000) };
  beforeAll(async () => {
    backends.push(
      'sqlite',
      'pglite',
      ...((await postgresAvailable()) ? (['postgres'] as const) : []),
    );
    for (const b of backends) {
      const engine = await openTestEngine(b);
      await load(engine, events);
      engines.set(b, engine);
    }
  }, 240_000);
  afterAll(async () => {
    for (const e of engines.values()) await e.close();
  });
  return { events, engines, backends, wide };
}
