import {
  ASSISTANT_REPLIES,
  FAILED_REPLY,
  FEEDBACK_COMMENTS,
  MIDWAY_ACTIVITIES,
  PAGES,
  USER_PROMPTS,
  type ModelSpec,
} from './catalog.js';
import type { Prng } from './prng.js';
import { envelope, type SessionScope } from './session-scope.js';
import { drawUsage } from './token-usage.js';
import { agentRun, type RunOutcome } from './w-agent-run.js';
import { userAt, type World } from './w-agent-world.js';
import type { WireEventLike } from './wire-event-like.js';

// Shape of a conversation. A turn is a user message and the assistant's answer, which an agent
// run produces in a share of turns; the rest are answered by a single generation.
const MEAN_EXTRA_TURNS = 2;
const MAX_TURNS = 12;
const AGENT_TURN_SHARE = 0.45;
const FEEDBACK_CHANCE = 0.1;
const APP_ERROR_CHANCE = 0.01;
const RUN_FAILURE_REPORTED = 0.5;
const MIDWAY_ACTIVITY_CHANCE = 0.15;

/**
 * All events of one session starting at `start`, in generation order: start, opening activity,
 * the conversation with its agent runs, feedback and errors, closing activity, end.
 */
export function buildSession(prng: Prng, world: World, start: number): WireEventLike[] {
  const s: SessionScope = {
    prng,
    world,
    user: userAt(world, prng.int(0, world.users - 1)),
    sessionId: prng.uuid(),
    client: prng.weighted(world.clients),
    nextRequestId: 1,
    out: [],
  };
  envelope(s, 'session', start).session = { action: 'start' };
  let t = openingActivities(s, start);
  const turns = turnCount(prng);
  let runs = 0;
  for (let i = 0; i < turns; i++) {
    const turn = conversationTurn(s, t + thinkTime(prng), i);
    t = turn.end;
    if (turn.ran) runs++;
  }
  t = closingActivities(s, t);
  const end = envelope(s, 'session', t + Math.round(prng.between(5_000, 120_000)));
  end.session = { action: 'end' };
  end.counters = { messages: 2 * turns, agent_runs: runs };
  return s.out;
}

/** 1 + a geometric number of extra turns: most sessions are short, a few go on and on. */
function turnCount(prng: Prng): number {
  let n = 1;
  while (n < MAX_TURNS && prng.chance(MEAN_EXTRA_TURNS / (MEAN_EXTRA_TURNS + 1))) n++;
  return n;
}

/** Time a user takes to read and type: seconds to minutes. */
function thinkTime(prng: Prng): number {
  return Math.round(prng.logNormal(12_000, 0.8));
}

function activity(s: SessionScope, t: number, name: string, page?: string): void {
  envelope(s, 'activity', t).activity = page === undefined ? { name } : { name, page };
}

/** Web users log in and land on pages; chat platforms have no pages; API clients make calls. */
function openingActivities(s: SessionScope, start: number): number {
  const prng = s.prng;
  let t = start + prng.int(100, 1_500);
  if (s.user.platform === 'api') activity(s, t, 'api_call');
  if (s.user.platform !== 'web') return t;
  if (prng.chance(0.35)) {
    activity(s, t, 'login');
    t += prng.int(500, 3_000);
  }
  activity(s, t, 'page_view', '/chat');
  if (prng.chance(0.4)) activity(s, (t += prng.int(2_000, 20_000)), 'page_view', prng.pick(PAGES));
  return t;
}

function closingActivities(s: SessionScope, t: number): number {
  const prng = s.prng;
  if (prng.chance(MIDWAY_ACTIVITY_CHANCE))
    activity(s, (t += prng.int(1_000, 30_000)), prng.pick(MIDWAY_ACTIVITIES));
  if (s.user.platform === 'web' && prng.chance(0.2))
    activity(s, (t += prng.int(1_000, 10_000)), 'logout');
  return t;
}

interface TurnEnd {
  end: number;
  ran: boolean;
}

function conversationTurn(s: SessionScope, t: number, index: number): TurnEnd {
  const prng = s.prng;
  const contextTokens = index * 600;
  message(s, t, 'user', prng.pick(USER_PROMPTS));
  const run = prng.chance(AGENT_TURN_SHARE)
    ? agentRun(s, t + prng.int(50, 300), contextTokens)
    : null;
  const replyAt = run ? run.end + prng.int(10, 80) : t + prng.int(80, 400);
  const reply = answer(s, replyAt, run, contextTokens);
  let end = replyAt + (reply.duration_ms ?? 0);
  if (run && run.status === 'error' && prng.chance(RUN_FAILURE_REPORTED)) runFailure(s, end, run);
  if (prng.chance(APP_ERROR_CHANCE)) appError(s, end + prng.int(10, 2_000));
  if (prng.chance(FEEDBACK_CHANCE)) end = feedback(s, end, reply, run);
  return { end, ran: run !== null };
}

function message(
  s: SessionScope,
  t: number,
  role: 'user' | 'assistant',
  content: string,
): WireEventLike {
  const e = envelope(s, 'message', t);
  e.message = {
    role,
    content,
    message_id: `msg_${s.prng.hex128().slice(0, 24)}`,
    visibility: 'private',
  };
  return e;
}

/** The assistant's answer is itself a generation (the final synthesis), with its own usage. */
function answer(
  s: SessionScope,
  t: number,
  run: RunOutcome | null,
  contextTokens: number,
): WireEventLike {
  const prng = s.prng;
  const model: ModelSpec = run ? run.model : prng.weighted(s.world.models);
  const text = run && run.status !== 'ok' ? FAILED_REPLY : prng.pick(ASSISTANT_REPLIES);
  const e = message(s, t, 'assistant', text);
  e.duration_ms = Math.round(prng.logNormal(1_200, 0.5));
  if (run) {
    e.trace_id = run.traceId;
    e.agent = run.agent;
  }
  e.model = model.id;
  e.provider = model.provider;
  e.usage = drawUsage(prng, model, contextTokens);
  return e;
}

/** The app surfaces a failed run to the user: an `error` event in the run's trace. */
function runFailure(s: SessionScope, t: number, run: RunOutcome): void {
  const e = envelope(s, 'error', t);
  e.trace_id = run.traceId;
  e.parent_id = run.id;
  e.agent = run.agent;
  e.status = 'error';
  e.error = {
    type: 'agent_error',
    code: 'run_failed',
    message: run.error?.message ?? 'agent run failed',
  };
}

/** Errors outside LLM and tool calls: rendering, webhooks, message delivery. */
function appError(s: SessionScope, t: number): void {
  const e = envelope(s, 'error', t);
  e.status = 'error';
  e.error =
    s.user.platform === 'web'
      ? {
          type: 'ui_error',
          code: 'E_RENDER',
          message: 'Failed to render the markdown table in the answer',
        }
      : {
          type: 'delivery_error',
          code: 502,
          message: `${s.user.platform} webhook returned 502 Bad Gateway`,
        };
}

/** Thumbs up (1) or down (0) on the answer, more often down when the run failed. */
function feedback(
  s: SessionScope,
  t: number,
  reply: WireEventLike,
  run: RunOutcome | null,
): number {
  const prng = s.prng;
  const at = t + prng.int(1_000, 20_000);
  const up = prng.chance(run && run.status !== 'ok' ? 0.2 : 0.8);
  const e = envelope(s, 'feedback', at);
  if (run) e.trace_id = run.traceId;
  const score = up ? 1 : 0;
  // A minority of ratings come with a comment, which agrees with the rating.
  e.feedback = prng.chance(0.25)
    ? {
        name: 'thumbs',
        score,
        comment: prng.pick(FEEDBACK_COMMENTS[up ? 'up' : 'down']),
        target_id: reply.id,
      }
    : { name: 'thumbs', score, target_id: reply.id };
  return at;
}
