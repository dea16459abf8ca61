import type { ExpressionBuilder } from 'kysely';
import { z } from 'zod';
import type { Database } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { rangeParams, resolveRange } from './params.js';
import { errorOf, tokensOf, usd, type ErrorInfo, type Tokens } from './trace-forest.js';

/** Most events returned for one session; `truncated` says when it had more. */
export const SESSION_EVENT_CAP = 5_000;
/** Message bodies are cut to this many characters in a timeline (in SQL, so big ones never travel). */
export const CONTENT_CHARS = 2_000;
const FAILED = ['error', 'timeout'] as const;

const text = z.string().min(1).max(512);
const range = rangeParams.pick({ from: true, to: true, workspace: true });

export const sessionsParams = range.extend({
  user_id: text.optional().describe('Only sessions with an event of this user'),
  platform: text.optional().describe('Only sessions with an event on this platform'),
  app: text.optional().describe('Only sessions with an event of this app'),
  limit: z.coerce.number().int().min(1).max(1_000).default(50).describe('Sessions per page'),
  offset: z.coerce
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .default(0)
    .describe('Skip this many (next_offset of the previous page)'),
});

export const sessionParams = range.extend({
  session_id: text.describe('The session or conversation to show'),
});

export interface SessionRow {
  workspace: string;
  session_id: string;
  user_id: string | null;
  platform: string | null;
  app: string | null;
  started_at: string;
  ended_at: string;
  /** Last event's end (start + duration) minus the first event's start. */
  duration_ms: number;
  events: number;
  messages: number;
  llm_calls: number;
  tool_calls: number;
  agent_runs: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

export interface SessionsResult {
  sessions: SessionRow[];
  /** The offset of the next page, or null when this page is the last. */
  next_offset: number | null;
}

export interface TimelineEvent {
  id: string;
  workspace: string;
  type: string;
  ts: string;
  duration_ms: number | null;
  /** The per-type name: step name, tool method, message role, activity … */
  name: string | null;
  /** The message's role (user, assistant …); null for other types. */
  role: string | null;
  status: string;
  agent: string | null;
  model: string | null;
  tool: string | null;
  trace_id: string | null;
  parent_id: string | null;
  tokens: Tokens;
  cost_usd: number | null;
  /** Message content, cut to CONTENT_CHARS characters. */
  content: string | null;
  content_truncated: boolean;
  error: ErrorInfo | null;
}

export interface SessionResult {
  session_id: string;
  events: TimelineEvent[];
  truncated: boolean;
}

/** 1 when the condition holds, else 0: summed, it counts rows (portable CASE, no FILTER). */
function countIf(
  eb: ExpressionBuilder<Database, 'events'>,
  column: 'type' | 'status' | 'user_id' | 'platform' | 'app',
  values: readonly string[],
) {
  return eb.fn.sum<number>(
    eb.case().when(column, 'in', values).then(eb.lit(1)).else(eb.lit(0)).end(),
  );
}

/**
 * Sessions (events sharing a session_id) with activity in [from, to), newest start first, paged
 * by offset. Aggregated in the database in one pass over the (workspace, ts) index; only a page
 * crosses the wire. A session's numbers cover its events inside the range. The filters keep
 * sessions with at least one matching event; user, platform and app show the greatest value when
 * a session has several. Ties on start time are broken by workspace and session_id in the
 * database's collation.
 */
export async function sessions(
  store: Store,
  p: z.output<typeof sessionsParams>,
  now = Date.now(),
): Promise<SessionsResult> {
  const { from, to } = resolveRange(p, now);
  let q = store.reader
    .selectFrom('events')
    .where('ts', '>=', from)
    .where('ts', '<', to)
    .where('session_id', 'is not', null)
    .select((eb) => [
      'workspace',
      'session_id',
      eb.fn.max('user_id').as('user_id'),
      eb.fn.max('platform').as('platform'),
      eb.fn.max('app').as('app'),
      eb.fn.min('ts').as('started_at'),
      eb.fn.max(eb('ts', '+', eb.fn.coalesce('duration_ms', eb.lit(0)))).as('ended_at'),
      eb.fn.countAll<number>().as('events'),
      countIf(eb, 'type', ['message']).as('messages'),
      countIf(eb, 'type', ['llm_call']).as('llm_calls'),
      countIf(eb, 'type', ['tool_call']).as('tool_calls'),
      countIf(eb, 'type', ['agent_run']).as('agent_runs'),
      countIf(eb, 'status', FAILED).as('errors'),
      eb.fn.sum<number>('input_tokens').as('input_tokens'),
      eb.fn.sum<number>('output_tokens').as('output_tokens'),
      eb.fn.sum<number | null>('cost_nanos').as('cost_nanos'),
    ])
    .groupBy(['workspace', 'session_id']);
  if (p.workspace !== undefined) q = q.where('workspace', '=', p.workspace);
  for (const f of ['user_id', 'platform', 'app'] as const) {
    const v = p[f];
    if (v !== undefined) q = q.having((eb) => eb(countIf(eb, f, [v]), '>', 0));
  }
  const rows = await q
    .orderBy('started_at', 'desc')
    .orderBy('workspace')
    .orderBy('session_id')
    .limit(p.limit + 1)
    .offset(p.offset)
    .execute();
  const more = rows.length > p.limit;
  return {
    sessions: rows.slice(0, p.limit).map(sessionRow),
    next_offset: more ? p.offset + p.limit : null,
  };
}

type AggregateRow = Record<
  'events' | 'messages' | 'llm_calls' | 'tool_calls' | 'agent_runs' | 'errors',
  number | string
> & {
  workspace: string;
  session_id: string | null;
  user_id: string | null;
  platform: string | null;
  app: string | null;
  started_at: number | string;
  ended_at: number | string;
  input_tokens: number | string;
  output_tokens: number | string;
  cost_nanos: number | string | null;
};

/** PostgreSQL sums come back as numeric; Number() makes every backend's answer the same. */
function sessionRow(r: AggregateRow): SessionRow {
  const started = Number(r.started_at);
  const ended = Number(r.ended_at);
  return {
    workspace: r.workspace,
    session_id: r.session_id!,
    user_id: r.user_id,
    platform: r.platform,
    app: r.app,
    started_at: new Date(started).toISOString(),
    ended_at: new Date(ended).toISOString(),
    duration_ms: ended - started,
    events: Number(r.events),
    messages: Number(r.messages),
    llm_calls: Number(r.llm_calls),
    tool_calls: Number(r.tool_calls),
    agent_runs: Number(r.agent_runs),
    errors: Number(r.errors),
    input_tokens: Number(r.input_tokens),
    output_tokens: Number(r.output_tokens),
    cost_usd: usd(Number(r.cost_nanos ?? 0)),
  };
}

/**
 * One session's events on one timeline, oldest first: its messages, agent runs and their steps,
 * LLM and tool calls, activity and errors. session_id has no index, so the session is found in
 * [from, to) (default: the last 24 h) through the (workspace, ts) index; at most
 * SESSION_EVENT_CAP events are returned, with message bodies cut to CONTENT_CHARS characters by
 * the database (substr and length count characters on SQLite and PostgreSQL alike).
 */
export async function session(
  store: Store,
  p: z.output<typeof sessionParams>,
  now = Date.now(),
): Promise<SessionResult> {
  const { from, to } = resolveRange(p, now);
  let q = store.reader
    .selectFrom('events')
    .where('ts', '>=', from)
    .where('ts', '<', to)
    .where('session_id', '=', p.session_id)
    .select((eb) => [
      'id',
      'workspace',
      'type',
      'ts',
      'duration_ms',
      'name',
      'status',
      'agent',
      'model',
      'tool',
      'trace_id',
      'parent_id',
      'input_tokens',
      'output_tokens',
      'cache_read_tokens',
      'cache_write_tokens',
      'reasoning_tokens',
      'cost_nanos',
      'error_type',
      'error_code',
      'error_message',
      eb.fn<string | null>('substr', ['content', eb.lit(1), eb.lit(CONTENT_CHARS)]).as('content'),
      eb.fn<number | null>('length', ['content']).as('content_length'),
    ]);
  if (p.workspace !== undefined) q = q.where('workspace', '=', p.workspace);
  const rows = await q
    .orderBy('ts')
    .orderBy('seq')
    .limit(SESSION_EVENT_CAP + 1)
    .execute();
  return {
    session_id: p.session_id,
    events: rows.slice(0, SESSION_EVENT_CAP).map((r) => ({
      id: r.id,
      workspace: r.workspace,
      type: r.type,
      ts: new Date(r.ts).toISOString(),
      duration_ms: r.duration_ms,
      name: r.name,
      role: r.type === 'message' ? r.name : null,
      status: r.status,
      agent: r.agent,
      model: r.model,
      tool: r.tool,
      trace_id: r.trace_id,
      parent_id: r.parent_id,
      tokens: tokensOf(r),
      cost_usd: r.cost_nanos === null ? null : usd(r.cost_nanos),
      content: r.content,
      content_truncated: Number(r.content_length ?? 0) > CONTENT_CHARS,
      error: errorOf(r),
    })),
    truncated: rows.length > SESSION_EVENT_CAP,
  };
}
