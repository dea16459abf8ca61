import type { Engine } from '../engine.js';

export interface RetentionScheduler {
  stop(): Promise<void>;
}

/** Applies retention policies on a schedule inside the server process (issue 8). Placeholder. */
export function startRetentionScheduler(_engine: Engine): RetentionScheduler {
  return { stop: () => Promise.resolve() };
}
