import type { z } from 'zod';
import { CairnError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { activeUsersParams, runActiveUsers } from './active-users.js';
import { resolveRange, summaryParams, timeseriesParams } from './params.js';
import { errorHotspots, errorHotspotsParams, recentErrors, recentErrorsParams } from './errors.js';
import { retentionParams, runRetention } from './retention.js';
import { session, sessionParams, sessions, sessionsParams } from './sessions.js';
import { toolUsage, toolUsageParams } from './tools.js';
import { agentRuns, agentRunsParams, trace, traceParams } from './traces.js';
import { summary } from './summary.js';
import { workspaces, workspacesParams } from './workspaces.js';
import { timeseries } from './timeseries.js';

/**
 * The named queries: each has a parameter schema (validated at the HTTP and CLI edges, and the
 * source of the OpenAPI document) and a runner. The HTTP API serves each at GET /v1/<name>;
 * `cairn query <name>` runs the same thing.
 */
export interface NamedQuery<S extends z.ZodType = z.ZodType> {
  summary: string;
  params: S;
  run(store: Store, params: z.output<S>, now: number): Promise<unknown>;
}

function define<S extends z.ZodType>(q: NamedQuery<S>): NamedQuery<S> {
  return q;
}

export const NAMED_QUERIES = {
  summary: define({
    summary: 'Requests, success, tokens, cost and latency by a dimension (or one total row).',
    params: summaryParams,
    run: (store, p, now) => summary(store, { ...p, ...resolveRange(p, now), by: p.by ?? null }),
  }),
  timeseries: define({
    summary:
      'Requests, errors, tokens, cost and latency per minute, hour, day or week in a time zone.',
    params: timeseriesParams,
    run: (store, p, now) => timeseries(store, { ...p, ...resolveRange(p, now), by: p.by ?? null }),
  }),
  active_users: define({
    summary: 'DAU, WAU (7 days), MAU (30 days), new and returning users per UTC day.',
    params: activeUsersParams,
    run: runActiveUsers,
  }),
  retention: define({
    summary:
      'Cohort retention: users by first active week (ISO, Monday UTC) or month, and how many return in each later period.',
    params: retentionParams,
    run: runRetention,
  }),
  sessions: define({
    summary:
      'Sessions and conversations in a range: messages, LLM and tool calls, runs, errors, tokens, cost, duration.',
    params: sessionsParams,
    run: sessions,
  }),
  session: define({
    summary: "One session's timeline: its messages, agent runs, steps and calls in time order.",
    params: sessionParams,
    run: session,
  }),
  trace: define({
    summary:
      'An agent trace as a tree of runs, steps and calls, with subtree totals on every node.',
    params: traceParams,
    run: trace,
  }),
  agent_runs: define({
    summary: 'Agent runs in a range, newest first, with status, duration, steps and cost.',
    params: agentRunsParams,
    run: agentRuns,
  }),
  tool_usage: define({
    summary:
      'Per tool: calls, errors, timeouts, latency quantiles, clients and JSON-RPC error codes.',
    params: toolUsageParams,
    run: toolUsage,
  }),
  error_hotspots: define({
    summary:
      'Where failures cluster: by type, tool/agent/model, error type and code, with share and a sample.',
    params: errorHotspotsParams,
    run: errorHotspots,
  }),
  recent_errors: define({
    summary: 'The latest failing events with their context and message.',
    params: recentErrorsParams,
    run: recentErrors,
  }),
  workspaces: define({
    summary: 'The workspaces that hold data, for choosing one (the dashboard’s selector).',
    params: workspacesParams,
    run: (store, p) => workspaces(store, p),
  }),
} as const;
export type QueryName = keyof typeof NAMED_QUERIES;

/**
 * Validates raw parameters (strings from a query string or the command line) and runs the query.
 * Every parameter problem becomes `invalid_parameter` with the parameter named.
 */
export async function runNamedQuery(
  store: Store,
  name: string,
  raw: Record<string, unknown>,
  now = Date.now(),
  catalogue: Readonly<Record<string, NamedQuery>> = NAMED_QUERIES,
): Promise<unknown> {
  const q = Object.hasOwn(catalogue, name) ? catalogue[name] : undefined;
  if (!q)
    throw new CairnError(
      'not_found',
      `no query named "${name}"; known: ${Object.keys(catalogue).join(', ')}`,
    );
  const parsed = q.params.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CairnError(
      'invalid_parameter',
      `${issue.path.join('.') || 'parameters'}: ${issue.message}`,
    );
  }
  try {
    return await q.run(store, parsed.data, now);
  } catch (err) {
    if (err instanceof RangeError) throw new CairnError('invalid_parameter', err.message);
    throw err;
  }
}
