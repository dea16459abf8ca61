import type { Status } from '../core/event-schema.js';
import { STEP_NAMES, type ModelSpec } from './catalog.js';
import { llmFailure, toolFailure, type Failure } from './failures.js';
import { WeightedTable, type Prng } from './prng.js';
import { envelope, type SessionScope } from './session-scope.js';
import { callLatency, drawUsage } from './token-usage.js';
import type { Agent } from './w-agent-world.js';
import type { WireError, WireEventLike } from './wire-event-like.js';

/** What the conversation needs to know about a finished agent run. */
export interface RunOutcome {
  id: string;
  traceId: string;
  agent: string;
  model: ModelSpec;
  end: number;
  status: Status;
  error?: WireError;
}

interface RunState {
  s: SessionScope;
  traceId: string;
  agent: Agent;
  model: ModelSpec;
  /** Grows as the agent's scratchpad fills, so later calls in a run read more tokens. */
  contextTokens: number;
  tally: { steps: number; llm_calls: number; tool_calls: number };
}

/** Where a span ended and, if it failed, why. */
interface SpanEnd {
  end: number;
  failure: Failure | null;
}

type StepsEnd = { end: number; status: Status; error?: WireError };

// Behaviour of the simulated agents. Failures propagate only partly: agents retry and work around
// errors, which is why a run's error rate is not simply the sum of its calls' error rates.
const LLM_RETRY_CHANCE = 0.6;
const TOOL_FAILURE_TOLERATED = 0.5;
const STEP_FAILURE_FAILS_RUN = 0.7;
const CANCEL_CHANCE = 0.004;
const NESTED_STEP_CHANCE = 0.15;
const DIGEST_CHANCE = 0.5;
const OTHER_MODEL_CHANCE = 0.2;
const LENGTH_STOP_CHANCE = 0.01;

const stepCounts = new WeightedTable([2, 3, 4, 5, 6], [20, 30, 25, 15, 10]);
const toolCounts = new WeightedTable([0, 1, 2, 3], [30, 35, 22, 13]);

/**
 * One agent run: a trace of steps (some with nested sub-steps), each making LLM calls and MCP
 * tool calls. Children are generated before their parent span, whose duration covers them.
 */
export function agentRun(s: SessionScope, start: number, contextTokens: number): RunOutcome {
  const prng = s.prng;
  const r: RunState = {
    s,
    traceId: prng.hex128(),
    agent: prng.weighted(s.world.agents),
    model: prng.weighted(s.world.models),
    contextTokens,
    tally: { steps: 0, llm_calls: 0, tool_calls: 0 },
  };
  const id = prng.uuid();
  const done = runSteps(r, id, start + overhead(prng));
  const e = span(r, envelope(s, 'agent_run', start, id), done.end - start, undefined);
  finish(e, done.status, done.error);
  e.counters = { ...r.tally };
  e.agent_run = { name: r.agent.name };
  return { id, traceId: r.traceId, agent: r.agent.name, model: r.model, ...done };
}

function runSteps(r: RunState, runId: string, t: number): StepsEnd {
  const prng = r.s.prng;
  const count = prng.weighted(stepCounts);
  for (let i = 0; i < count; i++) {
    // A user pressing "stop" between steps.
    if (i > 0 && prng.chance(CANCEL_CHANCE)) return { end: t, status: 'cancelled' };
    const name = stepName(prng, i, count);
    const step = agentStep(r, runId, name, i, t, 0);
    t = step.end + overhead(prng);
    if (step.failure && prng.chance(STEP_FAILURE_FAILS_RUN)) {
      return { end: t, status: 'error', error: runError(name, step.failure) };
    }
  }
  return { end: t, status: 'ok' };
}

function stepName(prng: Prng, index: number, count: number): string {
  if (index === 0) return STEP_NAMES.first;
  if (index === count - 1) return STEP_NAMES.last;
  return prng.pick(STEP_NAMES.middle);
}

function runError(step: string, cause: Failure): WireError {
  return {
    type: 'agent_error',
    code: 'step_failed',
    message: `step "${step}" failed: ${cause.error.message}`,
  };
}

function agentStep(
  r: RunState,
  parentId: string,
  name: string,
  index: number,
  start: number,
  depth: number,
): SpanEnd {
  r.tally.steps++;
  const id = r.s.prng.uuid();
  const body = stepBody(r, id, start + overhead(r.s.prng), depth);
  const e = span(r, envelope(r.s, 'agent_step', start, id), body.end - start, parentId);
  finish(e, body.failure?.status ?? 'ok', body.failure ? { ...body.failure.error } : undefined);
  e.agent_step = { name, index };
  return body;
}

/** Think, act with tools, maybe delegate to sub-steps, then digest the tools' results. */
function stepBody(r: RunState, stepId: string, t: number, depth: number): SpanEnd {
  const prng = r.s.prng;
  const tools = prng.weighted(toolCounts);
  const plan = llmWithRetry(r, stepId, t, tools > 0 ? 'tool_calls' : 'stop');
  if (plan.failure) return plan;
  const acted = toolCalls(r, stepId, plan.end, tools);
  if (acted.failure) return acted;
  const delegated =
    depth === 0 && prng.chance(NESTED_STEP_CHANCE) ? subSteps(r, stepId, acted.end) : acted;
  if (delegated.failure || tools === 0 || !prng.chance(DIGEST_CHANCE)) return delegated;
  return llmWithRetry(r, stepId, delegated.end + overhead(prng), 'stop');
}

/** Tool calls in sequence; a failed call ends the step unless the agent works around it. */
function toolCalls(r: RunState, stepId: string, t: number, count: number): SpanEnd {
  for (let i = 0; i < count; i++) {
    const call = toolCall(r, stepId, t + overhead(r.s.prng));
    t = call.end;
    if (call.failure && !r.s.prng.chance(TOOL_FAILURE_TOLERATED)) return call;
  }
  return { end: t, failure: null };
}

function subSteps(r: RunState, parentId: string, t: number): SpanEnd {
  const count = r.s.prng.int(1, 2);
  for (let i = 0; i < count; i++) {
    const step = agentStep(r, parentId, r.s.prng.pick(STEP_NAMES.nested), i, t, 1);
    if (step.failure) return step;
    t = step.end + overhead(r.s.prng);
  }
  return { end: t, failure: null };
}

/** Transient provider errors are often retried once after a short back-off. */
function llmWithRetry(r: RunState, parentId: string, t: number, reason: string): SpanEnd {
  const first = llmCall(r, parentId, t, reason);
  if (!first.failure || !r.s.prng.chance(LLM_RETRY_CHANCE)) return first;
  return llmCall(r, parentId, first.end + r.s.prng.int(200, 2_000), reason);
}

function llmCall(r: RunState, parentId: string, t: number, reason: string): SpanEnd {
  const { prng, world } = r.s;
  r.tally.llm_calls++;
  const model = prng.chance(OTHER_MODEL_CHANCE) ? prng.weighted(world.models) : r.model;
  const failure = prng.chance(world.options.errorRate) ? llmFailure(prng, model) : null;
  const duration = failure?.durationMs ?? callLatency(prng, 0.6);
  const e = span(r, envelope(r.s, 'llm_call', t), duration, parentId);
  e.model = model.id;
  e.provider = model.provider;
  finish(e, failure?.status ?? 'ok', failure?.error);
  if (failure) e.llm_call = { operation: 'chat' };
  else completed(r, e, model, reason);
  return { end: t + duration, failure };
}

function completed(r: RunState, e: WireEventLike, model: ModelSpec, reason: string): void {
  const usage = drawUsage(r.s.prng, model, r.contextTokens);
  r.contextTokens += usage.output_tokens;
  e.usage = usage;
  const truncated = reason === 'stop' && r.s.prng.chance(LENGTH_STOP_CHANCE);
  e.llm_call = { operation: 'chat', finish_reason: truncated ? 'length' : reason };
}

function toolCall(r: RunState, parentId: string, t: number): SpanEnd {
  const { prng, world, client } = r.s;
  r.tally.tool_calls++;
  const tool = prng.weighted(r.agent.tools);
  const failure = prng.chance(world.options.errorRate) ? toolFailure(prng, tool) : null;
  const duration = failure?.durationMs ?? callLatency(prng, 0.8);
  const e = span(r, envelope(r.s, 'tool_call', t), duration, parentId);
  e.tool = tool.name;
  e.client_name = client.name;
  e.client_version = client.version;
  finish(e, failure?.status ?? 'ok', failure?.error);
  e.counters = {
    arguments: prng.int(0, 4),
    response_bytes: failure ? 0 : Math.round(prng.logNormal(1_800, 1.1)),
  };
  e.attributes = { mcp_server: tool.server };
  e.tool_call = { method: 'tools/call', request_id: r.s.nextRequestId++ };
  return { end: t + duration, failure };
}

/** Trace context shared by every span of a run. */
function span(
  r: RunState,
  e: WireEventLike,
  durationMs: number,
  parentId: string | undefined,
): WireEventLike {
  e.duration_ms = durationMs;
  e.trace_id = r.traceId;
  if (parentId !== undefined) e.parent_id = parentId;
  e.agent = r.agent.name;
  return e;
}

function finish(e: WireEventLike, status: Status, error: WireError | undefined): void {
  e.status = status;
  if (error) e.error = error;
}

/** Orchestration time between spans: scheduling, serialisation, network. */
function overhead(prng: Prng): number {
  return prng.int(2, 40);
}
