import type { Engine } from '../engine.js';
import type { Store } from '../store/store.js';
import {
  ALL_WORKSPACES,
  cutoffOf,
  RETENTION_TARGETS,
  type RetentionTarget,
} from './retention-policy.js';
import { advanceWatermark, policyOf, readPolicies } from './retention-store.js';
import { sweepDb, sweepsOf, type Sweep } from './retention-sweeps.js';

/** Rows per batch: about a few milliseconds of deleting, short enough that ingest interleaves. */
export const DEFAULT_BATCH_ROWS = 5_000;

export interface ApplyOptions {
  /** Count what would be deleted; delete nothing and move no watermark. */
  dryRun?: boolean | undefined;
  /** Only this workspace (default: every workspace with data or a policy). */
  workspace?: string | undefined;
  batchRows?: number | undefined;
  /** Called after each batch, which ran as its own transaction. */
  onBatch?: ((table: string, workspace: string, rows: number) => void) | undefined;
  /** Asked between batches; when it answers true the run ends early (the scheduler's stop). */
  shouldStop?: (() => boolean) | undefined;
}

/** What one table of one workspace lost (or would lose) to one target's limit. */
export interface RetentionAction {
  workspace: string;
  target: RetentionTarget;
  /** `events`, `events.content` (blanked), `rollup_<name>.<grain>` or `user_days`. */
  table: string;
  /** The cutoff: rows before it. */
  before: number;
  rows: number;
}

export interface RetentionReport {
  now: number;
  dryRun: boolean;
  /** Only tables with rows to delete are listed. */
  actions: RetentionAction[];
  batches: number;
  /** True when shouldStop ended the run before every sweep was done. */
  stopped: boolean;
}

/**
 * Applies every workspace's retention policy at `now`: raw events first, then message content,
 * then each rollup grain, each table in bounded batches with a turn of the event loop between
 * them. Raw deletion never touches the rollups (the history dashboards keep); each target's
 * watermark moves before its rows go, so a query planned meanwhile already reads the rollups.
 */
export async function applyRetention(
  engine: Pick<Engine, 'store'>,
  now: number,
  o: ApplyOptions = {},
): Promise<RetentionReport> {
  const { store } = engine;
  const policies = await readPolicies(store);
  const report: RetentionReport = {
    now,
    dryRun: Boolean(o.dryRun),
    actions: [],
    batches: 0,
    stopped: false,
  };
  const workspaces =
    o.workspace !== undefined ? [o.workspace] : await retentionWorkspaces(store, policies);
  for (const workspace of workspaces) {
    const policy = policyOf(policies, workspace);
    for (const target of RETENTION_TARGETS) {
      const before = cutoffOf(policy[target], now);
      if (before === null) continue;
      if (!o.dryRun) await advanceWatermark(store, workspace, target, before, now);
      // A dry run deletes no raw rows, so it counts only content the raw sweep would leave.
      const since = target === 'content' ? (cutoffOf(policy.raw, now) ?? undefined) : undefined;
      for (const sweep of sweepsOf(target)) {
        const rows = await runSweep(store, sweep, { workspace, before, since }, o, report);
        if (rows > 0) report.actions.push({ workspace, target, table: sweep.table, before, rows });
        if (report.stopped) return report;
      }
    }
  }
  return report;
}

async function runSweep(
  store: Store,
  sweep: Sweep,
  { workspace, before, since }: { workspace: string; before: number; since: number | undefined },
  o: ApplyOptions,
  report: RetentionReport,
): Promise<number> {
  const db = sweepDb(store);
  if (o.dryRun) return sweep.count(db, workspace, before, since);
  let total = 0;
  for (;;) {
    if (o.shouldStop?.()) {
      report.stopped = true;
      return total;
    }
    const rows = await sweep.batch(db, workspace, before, o.batchRows ?? DEFAULT_BATCH_ROWS);
    if (rows === 0) return total;
    total += rows;
    report.batches++;
    o.onBatch?.(sweep.table, workspace, rows);
    // Let queued work (an ingest batch waiting for SQLite's one connection) run before the next.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * Every workspace with raw events, hourly or daily rollups, or a policy of its own. Rollups are
 * asked too: a workspace whose raw rows are all gone still has rollups under its policy.
 */
export async function retentionWorkspaces(
  store: Store,
  policies: Map<string, unknown>,
): Promise<string[]> {
  const names = new Set(await store.listWorkspaces());
  const rows = await sweepDb(store)
    .selectFrom('rollup_total')
    .select('workspace')
    .distinct()
    .where('grain', 'in', ['hour', 'day'])
    .execute();
  for (const r of rows) names.add(String(r.workspace));
  for (const name of policies.keys()) if (name !== ALL_WORKSPACES) names.add(name);
  return [...names].sort();
}
