import type { Kysely } from 'kysely';
import { z } from 'zod';
import { CairnError } from '../core/errors.js';
import { STATUSES } from '../core/event-schema.js';
import type { Database } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { rangeParams, resolveRange } from './params.js';
import {
  addSum,
  buildForest,
  type Building,
  emptySum,
  type ErrorInfo,
  errorOf,
  ownSum,
  SPAN_COLUMNS,
  type SpanRow,
  type SubtreeTotals,
  type Sum,
  toNodes,
  totalsOf,
  type TraceNode,
} from './trace-forest.js';

const HOUR = 3_600_000;
/** Most events read for one trace; `truncated` says when a trace had more. */
export const TRACE_EVENT_CAP = 10_000;
/** Most trace members read to total a page of runs; `truncated` says when there were more. */
export const RUN_MEMBER_CAP = 100_000;
/** Clock skew allowed between a run and its steps when looking for the steps by time. */
const SKEW_MS = 60_000;

const range = rangeParams.pick({ from: true, to: true });
const text = z.string().min(1).max(512);

export const traceParams = range
  .extend({
    workspace: text.describe('The workspace of the trace'),
    trace_id: text.optional().describe('The trace to show'),
    id: z
      .string()
      .min(1)
      .max(256)
      .optional()
      .describe('Or an event of the trace (an agent run): its whole trace is shown'),
  })
  .refine((p) => (p.trace_id === undefined) !== (p.id === undefined), {
    message: 'give exactly one of trace_id and id',
    path: ['trace_id'],
  });

export const agentRunsParams = range.extend({
  workspace: text.optional().describe('Only this workspace (default: all)'),
  agent: text.optional().describe('Only runs of this agent'),
  status: z.enum(STATUSES).optional().describe('Only runs that ended with this status'),
  limit: z.coerce.number().int().min(1).max(1_000).default(50).describe('Newest N runs'),
});

export interface TraceResult {
  workspace: string;
  trace_id: string | null;
  /** The window searched: traces are found by time, since trace_id has no index. */
  from: string;
  to: string;
  events: number;
  truncated: boolean;
  totals: SubtreeTotals;
  /** Top-level events, oldest first: the runs, and orphans whose parent is not in the trace. */
  roots: TraceNode[];
}

export interface AgentRunRow {
  workspace: string;
  id: string;
  trace_id: string | null;
  session_id: string | null;
  user_id: string | null;
  agent: string | null;
  name: string | null;
  status: string;
  start: string;
  duration_ms: number | null;
  error: ErrorInfo | null;
  /** The run and every event nested under it through parent_id: steps, calls, tokens, cost. */
  totals: SubtreeTotals;
}

export interface AgentRunsResult {
  runs: AgentRunRow[];
  /** True when the runs' traces held more than RUN_MEMBER_CAP events and totals are partial. */
  truncated: boolean;
}

/**
 * One trace as a tree: every event sharing the trace_id, nested through parent_id, with subtree
 * totals on every node. Events whose parent is not in the trace are roots. Given `id` instead of
 * `trace_id`, the event's trace is shown, searched (unless from/to are given) from an hour before
 * the event to an hour after it ended; otherwise in [from, to) (default: the last 24 h). Reads at
 * most TRACE_EVENT_CAP events through the (workspace, ts) index.
 */
export async function trace(
  store: Store,
  p: z.output<typeof traceParams>,
  now = Date.now(),
): Promise<TraceResult> {
  const db = store.reader;
  const anchor = p.id === undefined ? null : await eventById(db, p.workspace, p.id);
  const window =
    anchor && p.from === undefined && p.to === undefined
      ? { from: anchor.ts - HOUR, to: anchor.ts + (anchor.duration_ms ?? 0) + HOUR + 1 }
      : resolveRange(p, now);
  const traceId = anchor ? anchor.trace_id : (p.trace_id ?? null);
  const rows = traceId === null ? [anchor!] : await traceRows(db, p.workspace, traceId, window);
  const truncated = rows.length > TRACE_EVENT_CAP;
  const forest = buildForest(rows.slice(0, TRACE_EVENT_CAP));
  const all = forest.roots.reduce((s, r) => addSum(s, r.sum), emptySum());
  return {
    workspace: p.workspace,
    trace_id: traceId,
    from: new Date(window.from).toISOString(),
    to: new Date(window.to).toISOString(),
    events: Math.min(rows.length, TRACE_EVENT_CAP),
    truncated,
    totals: totalsOf(all),
    roots: toNodes(forest.roots),
  };
}

async function eventById(db: Kysely<Database>, workspace: string, id: string): Promise<SpanRow> {
  const row = await db
    .selectFrom('events')
    .select(SPAN_COLUMNS)
    .where('workspace', '=', workspace)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new CairnError('not_found', `id: no event "${id}" in workspace "${workspace}"`);
  return row;
}

function traceRows(
  db: Kysely<Database>,
  workspace: string,
  traceId: string,
  w: { from: number; to: number },
): Promise<SpanRow[]> {
  return db
    .selectFrom('events')
    .select(SPAN_COLUMNS)
    .where('workspace', '=', workspace)
    .where('ts', '>=', w.from)
    .where('ts', '<', w.to)
    .where('trace_id', '=', traceId)
    .orderBy('ts')
    .orderBy('seq')
    .limit(TRACE_EVENT_CAP + 1)
    .execute();
}

/**
 * Agent runs started in [from, to), newest first, each with its subtree totals (steps, calls,
 * errors, tokens, cost of the run and everything nested under it). Two reads: the page of runs,
 * then the members of their traces between the first run's start and the last run's end (at most
 * RUN_MEMBER_CAP rows), folded into trees in JS.
 */
export async function agentRuns(
  store: Store,
  p: z.output<typeof agentRunsParams>,
  now = Date.now(),
): Promise<AgentRunsResult> {
  const { from, to } = resolveRange(p, now);
  let q = store.reader
    .selectFrom('events')
    .select(SPAN_COLUMNS)
    .where('ts', '>=', from)
    .where('ts', '<', to)
    .where('type', '=', 'agent_run');
  if (p.workspace !== undefined) q = q.where('workspace', '=', p.workspace);
  if (p.agent !== undefined) q = q.where('agent', '=', p.agent);
  if (p.status !== undefined) q = q.where('status', '=', p.status);
  const runs = await q.orderBy('ts', 'desc').orderBy('seq', 'desc').limit(p.limit).execute();
  const { members, truncated } = await runMembers(store.reader, runs);
  const forests = new Map<string, Map<string, Building>>();
  for (const [key, rows] of members) forests.set(key, buildForest(rows).all);
  return { runs: runs.map((r) => runRow(r, forests.get(traceKey(r))?.get(r.id)?.sum)), truncated };
}

function traceKey(r: { workspace: string; trace_id: string | null }): string {
  return `${r.workspace}\u0000${r.trace_id}`;
}

/** The events of the runs' traces, grouped by (workspace, trace_id), in time order. */
async function runMembers(
  db: Kysely<Database>,
  runs: readonly SpanRow[],
): Promise<{ members: Map<string, SpanRow[]>; truncated: boolean }> {
  const traced = runs.filter((r) => r.trace_id !== null);
  const members = new Map<string, SpanRow[]>();
  if (traced.length === 0) return { members, truncated: false };
  const from = Math.min(...traced.map((r) => r.ts)) - SKEW_MS;
  const to = Math.max(...traced.map((r) => r.ts + (r.duration_ms ?? 0))) + SKEW_MS;
  const workspaces = [...new Set(traced.map((r) => r.workspace))];
  const rows = await db
    .selectFrom('events')
    .select(SPAN_COLUMNS)
    .where('workspace', 'in', workspaces)
    .where('ts', '>=', from)
    .where('ts', '<=', to)
    .where('trace_id', 'in', [...new Set(traced.map((r) => r.trace_id!))])
    .orderBy('ts')
    .orderBy('seq')
    .limit(RUN_MEMBER_CAP + 1)
    .execute();
  for (const r of rows.slice(0, RUN_MEMBER_CAP)) {
    const key = traceKey(r);
    const list = members.get(key);
    if (list) list.push(r);
    else members.set(key, [r]);
  }
  return { members, truncated: rows.length > RUN_MEMBER_CAP };
}

function runRow(r: SpanRow, sum: Sum | undefined): AgentRunRow {
  return {
    workspace: r.workspace,
    id: r.id,
    trace_id: r.trace_id,
    session_id: r.session_id,
    user_id: r.user_id,
    agent: r.agent,
    name: r.name,
    status: r.status,
    start: new Date(r.ts).toISOString(),
    duration_ms: r.duration_ms,
    error: errorOf(r),
    totals: totalsOf(sum ?? ownSum(r)),
  };
}
