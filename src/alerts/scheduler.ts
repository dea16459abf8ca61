import type { Engine } from '../engine.js';
import { evaluateAll } from './run-rules.js';

export interface AlertScheduler {
  /** Stops the timer and waits for a pass in progress to finish. */
  stop(): Promise<void>;
}

/**
 * Evaluates every enabled alert rule on a timer inside the server process. Passes never overlap:
 * a tick that finds the previous pass still running is skipped. A failing pass is logged, never
 * thrown — evaluateAll already isolates rules and channels; this guards the database itself.
 */
export function startAlertScheduler(
  engine: Engine,
  intervalMs = engine.config.alerts.intervalMs,
): AlertScheduler {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = evaluateAll(engine)
      .then(() => undefined)
      .catch((err: unknown) => console.error('cairn: alert evaluation failed', err))
      .finally(() => (running = null));
  };
  const timer = setInterval(tick, intervalMs);
  // The timer must not keep a CLI process (or a test) alive on its own.
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
