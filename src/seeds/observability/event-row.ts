import { CairnError } from '../../core/errors.js';
import { describe } from '../../core/validate-event.js';
import { AGENT_FIELDS, flattenChain, stepTokens, type ChainStep } from './agent-chain.js';
import { withAttributes } from './message-row.js';
import {
  extraColumns,
  readCount,
  readDuration,
  readId,
  readInteger,
  readJson,
  readJsonText,
  readText,
  readTime,
  type Values,
} from './values.js';

/** Columns of the seed's `observability_events` table (0001) that Cairn maps. */
export const OBSERVABILITY_EVENT_COLUMNS = [
  'event_id',
  'request_id',
  'app_source',
  'event_type',
  'platform',
  'session_id',
  'user_id',
  'username',
  'chat_id',
  'repo',
  'status',
  'error_message',
  'classification_type',
  'classification_category',
  'classification_complexity',
  'classification_confidence',
  'agents',
  'input_tokens',
  'output_tokens',
  'total_tokens',
  'cached_tokens',
  'reasoning_tokens',
  'model',
  'metadata',
  'triggered_at',
  'completed_at',
  'duration_ms',
  'created_at',
  'updated_at',
] as const;

const KNOWN = new Set<string>(OBSERVABILITY_EVENT_COLUMNS);

/** The seed's statuses: Cairn's outcome, and how far along the row is (for `revision`). */
const STATUSES: Readonly<Record<string, { status: string; stage: number }>> = {
  pending: { status: 'ok', stage: 0 },
  processing: { status: 'ok', stage: 1 },
  success: { status: 'ok', stage: 2 },
  error: { status: 'error', stage: 2 },
  timeout: { status: 'timeout', stage: 2 },
  cancelled: { status: 'cancelled', stage: 2 },
};

/** An agent's own status values that mean it failed. */
const FAILED = new Set(['error', 'failed', 'timeout']);

/** The Cairn id of the agent_run an observability_events row becomes (the views join on it). */
export const runEventId = (eventId: string) => `observability_events:${eventId}`;

/**
 * One `observability_events` row → an `agent_run` event and one `agent_step` event per agent of
 * its chain, nested workers included (each step's parent_id is its parent's event id).
 *
 * `revision` = (updated_at, else completed_at, else 0) × 4 + stage (pending 0, processing 1,
 * finished 2): it grows as the seed's row moves on — a pending webhook that completes, a chain
 * that gains agents — even when the seed has no updated_at column. Every step carries its run's
 * revision, so a re-sent finished run replaces its steps too.
 *
 * The steps carry their agents' tokens and models, so each is priced at its own model's rate;
 * the run carries only what its totals hold beyond its steps' sums, so Cairn's totals count
 * each token once. The seed's own totals stay in the run's detail.
 */
export function observabilityToEvents(
  values: Values,
  workspace: string,
): Record<string, unknown>[] {
  const eventId = readId(values, 'event_id');
  const start = readTime(values, 'triggered_at') ?? readTime(values, 'created_at');
  if (start === null) throw new CairnError('missing_field', 'triggered_at: required');
  // No status at all: nothing to say it finished, and the seed's view calls it 'error' too.
  const seedStatus = readText(values, 'status');
  const outcome = seedStatus === null ? STATUSES['pending'] : STATUSES[seedStatus];
  if (!outcome)
    throw new CairnError(
      'invalid_value',
      `status: must be one of ${Object.keys(STATUSES).join(', ')}, got ${describe(seedStatus)}`,
    );
  const completedAt = readTime(values, 'completed_at');
  const steps = flattenChain(readJson(values, 'agents'), eventId);
  const revision = (readTime(values, 'updated_at') ?? completedAt ?? 0) * 4 + outcome.stage;
  const context = {
    workspace,
    revision,
    app: readText(values, 'app_source'),
    platform: readText(values, 'platform'),
    session_id: readText(values, 'session_id'),
    user_id: readText(values, 'user_id'),
    trace_id: eventId,
  };
  const runDuration =
    readDuration(values, 'duration_ms') ??
    (completedAt !== null && completedAt >= start ? completedAt - start : null);
  const errorMessage = readText(values, 'error_message');
  const run = {
    ...context,
    id: runEventId(eventId),
    type: 'agent_run',
    timestamp: start,
    duration_ms: runDuration,
    agent: steps[0] ? readText(steps[0].agent, 'name') : null,
    model: readText(values, 'model'),
    status: outcome.status,
    ...(errorMessage ? { error: { message: errorMessage } } : {}),
    usage: remainder(values, steps),
    agent_run: runDetail(values, seedStatus, completedAt),
    ...withAttributes(extraColumns(values, KNOWN)),
  };
  return [run, ...stepEvents(steps, context, start)];
}

function runDetail(values: Values, status: string | null, completedAt: number | null) {
  const text = (f: string) => readText(values, f);
  return {
    name: text('event_type') ?? text('app_source'),
    status,
    request_id: text('request_id'),
    event_type: text('event_type'),
    username: text('username'),
    chat_id: text('chat_id'),
    repo: text('repo'),
    classification_type: text('classification_type'),
    classification_category: text('classification_category'),
    classification_complexity: text('classification_complexity'),
    classification_confidence: values['classification_confidence'] ?? null,
    completed_at: completedAt,
    created_at: readTime(values, 'created_at'),
    updated_at: readTime(values, 'updated_at'),
    metadata: readJsonText(values, 'metadata'),
    input_tokens: readCount(values, 'input_tokens'),
    output_tokens: readCount(values, 'output_tokens'),
    total_tokens: readInteger(values, 'total_tokens', 'invalid_token_count'),
    cached_tokens: readCount(values, 'cached_tokens'),
    reasoning_tokens: readCount(values, 'reasoning_tokens'),
  };
}

/** What the run's totals hold beyond its steps' sums (never below 0). */
function remainder(values: Values, steps: readonly ChainStep[]): Record<string, number> {
  const inSteps = stepTokens(steps);
  const seedField: Record<string, string> = {
    input_tokens: 'input_tokens',
    output_tokens: 'output_tokens',
    cache_read_tokens: 'cached_tokens',
    reasoning_tokens: 'reasoning_tokens',
  };
  return Object.fromEntries(
    Object.entries(seedField).map(([f, seed]) => [
      f,
      Math.max(0, readCount(values, seed) - (inSteps[f] ?? 0)),
    ]),
  );
}

/**
 * The steps as events. A step starts when its previous sibling ended (the chain runs in order;
 * a worker starts with its parent) unless the agent says when it started.
 */
function stepEvents(
  steps: readonly ChainStep[],
  context: Record<string, unknown> & { trace_id: string },
  runStart: number,
): Record<string, unknown>[] {
  const startOf = new Map<string, number>();
  const nextFree = new Map<string | null, number>();
  return steps.map((step) => {
    const a = step.agent;
    const parentStart = step.parentStepId ? (startOf.get(step.parentStepId) ?? runStart) : runStart;
    const start = readTime(a, 'started_at') ?? nextFree.get(step.parentStepId) ?? parentStart;
    const duration = readDuration(a, 'duration_ms');
    startOf.set(step.stepId, start);
    nextFree.set(step.parentStepId, start + Math.round(duration ?? 0));
    return stepEvent(step, context, start, duration);
  });
}

function stepEvent(
  step: ChainStep,
  context: Record<string, unknown> & { trace_id: string },
  start: number,
  duration: number | null,
): Record<string, unknown> {
  const a = step.agent;
  const name = readText(a, 'name');
  const error = readText(a, 'error');
  const seedStatus = readText(a, 'status');
  const tools = a['tools'];
  const toolCalls = readInteger(a, 'tool_calls');
  return {
    ...context,
    id: `${runEventId(context.trace_id)}:${step.path}`,
    type: 'agent_step',
    timestamp: start,
    duration_ms: duration,
    parent_id: step.parentStepId
      ? `${runEventId(context.trace_id)}:${step.path.slice(0, step.path.lastIndexOf('.'))}`
      : runEventId(context.trace_id),
    agent: name,
    model: readText(a, 'model'),
    status: error !== null || FAILED.has(seedStatus ?? '') ? 'error' : 'ok',
    ...(error ? { error: { message: error } } : {}),
    usage: stepTokens([step]),
    ...(toolCalls !== null ? { counters: { tool_calls: toolCalls } } : {}),
    agent_step: {
      name,
      index: step.index,
      step_id: step.stepId,
      agent_type: readText(a, 'type'),
      ...(tools !== undefined ? { tools } : {}),
      ...extraColumns(a, AGENT_FIELDS),
    },
  };
}
