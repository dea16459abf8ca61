import type { Engine } from '../engine.js';

export interface AlertScheduler {
  stop(): Promise<void>;
}

/** Evaluates alert rules on a schedule inside the server process (issue 8). Placeholder. */
export function startAlertScheduler(_engine: Engine): AlertScheduler {
  return { stop: () => Promise.resolve() };
}
