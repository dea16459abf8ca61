import type { SeedRecord } from '../../store/seed-record-store.js';
import type { AgentRunRow, ReferenceRow, RunStatus, UserActivityRow } from './rows.js';

/**
 * Seed 004 rows → Cairn wire events and seed records. Pure: the workspace for rows that name
 * none and the clock come in as arguments.
 *
 * Event ids are the seed's row ids behind a table prefix, so the two tables' id spaces cannot
 * collide and re-importing a row is a duplicate, never a second count.
 */

export const FORMAT = 'agent-platform';
export const ACTIVITY_PREFIX = 'user_activity:';
export const RUN_PREFIX = 'agent_runs:';
/** A run's rating is a feedback event with the run's event id plus this suffix. */
export const RATING_SUFFIX = ':rating';

/** Cairn statuses of the seed's run statuses. A running run has no outcome yet: `ok` until then. */
const STATUS: Readonly<Record<RunStatus, string>> = {
  completed: 'ok',
  failed: 'error',
  cancelled: 'cancelled',
  running: 'ok',
};

/**
 * A run is reported while running (revision 0) and again when it ends (revision 1): the higher
 * revision replaces the stored event and its rollup contribution, and a late redelivery of the
 * running row is a duplicate.
 */
export function runRevision(status: RunStatus): number {
  return status === 'running' ? 0 : 1;
}

/** One user_activity row as an `activity` event named after the seed's event_type. */
export function activityEvent(
  row: UserActivityRow,
  workspace: string,
  createdMs: number,
): Record<string, unknown> {
  return {
    id: ACTIVITY_PREFIX + row.id,
    type: 'activity',
    timestamp: createdMs,
    workspace: row.workspace_id ?? workspace,
    user_id: row.user_id,
    session_id: row.session_id ?? null,
    activity: defined({
      name: row.event_type,
      page: row.page_path,
      event_name: row.event_name,
    }),
    attributes: defined({
      ip_address: row.ip_address,
      user_agent: row.user_agent,
      referrer: row.referrer,
      metadata: row.metadata,
    }),
  };
}

/**
 * One agent_runs row as an `agent_run` event, and its rating (if any) as a `feedback` event
 * targeting it. The rating is an event of its own because it usually arrives after the run has
 * ended: the run's terminal revision is then already stored, and the rating still counts.
 * The seed records no rating time, so the feedback is dated at the run's start (it then never
 * adds an active day the run did not).
 */
export function runEvents(
  row: AgentRunRow,
  workspace: string,
  startedMs: number,
  completedMs: number | null,
): Record<string, unknown>[] {
  const id = RUN_PREFIX + row.id;
  const ws = row.workspace_id ?? workspace;
  const runtimeMs =
    row.runtime_seconds != null
      ? row.runtime_seconds * 1000
      : completedMs !== null && row.status !== 'running'
        ? completedMs - startedMs
        : null;
  const run = {
    id,
    type: 'agent_run',
    revision: runRevision(row.status),
    timestamp: startedMs,
    duration_ms: runtimeMs,
    workspace: ws,
    user_id: row.user_id ?? null,
    agent: row.agent_id,
    model: row.model ?? null,
    status: STATUS[row.status],
    error: row.error_type != null || row.error_message != null ? errorOf(row) : null,
    // tokens_used is one undivided total: as usage it would be priced as input tokens.
    counters: defined({ credits_consumed: row.credits_consumed, tokens_used: row.tokens_used }),
    agent_run: defined({ run_status: row.status, completed_at_ms: completedMs }),
  };
  if (row.rating == null) return [run];
  const rating = {
    id: id + RATING_SUFFIX,
    type: 'feedback',
    timestamp: startedMs,
    workspace: ws,
    user_id: row.user_id ?? null,
    agent: row.agent_id,
    model: row.model ?? null,
    feedback: { name: 'rating', score: row.rating, target_id: id },
  };
  return [run, rating];
}

function errorOf(row: AgentRunRow) {
  return defined({ type: row.error_type, message: row.error_message });
}

/** Where a reference row belongs: its own workspace column, or the import's workspace. */
export function referenceRecord(
  table: 'agents' | 'workspaces' | 'workspace_members' | 'users',
  row: ReferenceRow,
  values: Readonly<Record<string, unknown>>,
  workspace: string,
  ts: number | null,
): SeedRecord {
  const id =
    table === 'workspace_members' ? (row.id ?? `${row.workspace_id}:${row.user_id}`) : row.id;
  const ws = table === 'workspaces' ? row.id : (row.workspace_id ?? workspace);
  return { workspace: ws, format: FORMAT, seed_table: table, id, ts, data: { ...values } };
}

/** The object without its null and undefined members; null when nothing is left. */
function defined(o: Record<string, unknown>): Record<string, unknown> | null {
  const out = Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined && v !== null),
  );
  return Object.keys(out).length > 0 ? out : null;
}
