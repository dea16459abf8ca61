import type { Engine } from '../engine.js';
import { applyRetention, type RetentionReport } from './retention-apply.js';
import { diskStatus } from './retention-disk.js';

export interface RetentionScheduler {
  /** Ends the schedule; a run in progress stops after its current batch. */
  stop(): Promise<void>;
}

export interface RetentionSchedule {
  /** Time between runs (config retention.intervalMs; policies are in days, hourly is plenty). */
  intervalMs: number;
  /**
   * Time from server start to the first run (config retention.firstRunMs, 10 minutes): a server
   * restarted to fix something starts answering at once instead of deleting first.
   */
  firstRunMs: number;
  /** Where warnings and summaries go (default: stderr). */
  log: (line: string) => void;
}

const DEFAULT_SCHEDULE: RetentionSchedule = {
  intervalMs: 3_600_000,
  firstRunMs: 600_000,
  log: (line) => console.error(line),
};

/**
 * Applies retention policies on a schedule inside the server process, and checks the disk each
 * time. Runs never overlap; a failed run is logged and the next one tries again.
 */
export function startRetentionScheduler(
  engine: Engine,
  schedule: Partial<RetentionSchedule> = {},
): RetentionScheduler {
  const s = { ...DEFAULT_SCHEDULE, ...schedule };
  let stopped = false;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout;
  const arm = (ms: number) => {
    timer = setTimeout(tick, ms);
    // A pending clean-up must not keep a process alive that has nothing else to do.
    timer.unref();
  };
  const tick = () => {
    running ??= runOnce(engine, s, () => stopped).then(() => {
      running = null;
      if (!stopped) arm(s.intervalMs);
    });
  };
  arm(s.firstRunMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** One scheduled run: the disk check, then the policies. Never throws. */
export async function runOnce(
  engine: Engine,
  s: Pick<RetentionSchedule, 'log'>,
  isStopped: () => boolean,
): Promise<RetentionReport | null> {
  const now = Date.now();
  try {
    const disk = await diskStatus(engine, now, 0);
    for (const w of disk.warnings) s.log(`cairn: warning: ${w}`);
    const report = await applyRetention(engine, now, { shouldStop: isStopped });
    const rows = report.actions.reduce((n, a) => n + a.rows, 0);
    if (rows > 0)
      s.log(
        `cairn: retention deleted ${rows.toLocaleString('en-US')} rows in ${report.batches} batches`,
      );
    return report;
  } catch (err) {
    s.log(`cairn: retention run failed: ${(err as Error).message}`);
    return null;
  }
}
