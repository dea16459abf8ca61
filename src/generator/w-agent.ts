import { DeliveryQueue } from './delivery-queue.js';
import { Prng } from './prng.js';
import { buildSession } from './w-agent-session.js';
import {
  DAY_MS,
  resolveOptions,
  type ResolvedOptions,
  type WAgentOptions,
} from './w-agent-options.js';
import { buildWorld } from './w-agent-world.js';
import type { WireEventLike } from './wire-event-like.js';

export type { WAgentOptions } from './w-agent-options.js';
export type { WireEventLike } from './wire-event-like.js';

/** Transport delay of an on-time event: spans are reported when they end, plus up to 2 s. */
export const MAX_JITTER_MS = 2_000;

/** Sessions follow the sun: ±50 % around the mean, busiest at 15:00 UTC, quietest at 03:00. */
const DIURNAL_AMPLITUDE = 0.5;
const PEAK_HOUR_UTC = 15;

/**
 * The W-agent reference workload (DESIGN.md) as a stream of wire events in delivery order:
 * sessions of chat, agent runs with nested steps, LLM and MCP tool calls, activity, feedback and
 * errors, with duplicate redeliveries and late events mixed in.
 *
 * Deterministic: the same options give a byte-identical sequence. Streaming: only in-flight events
 * are held (open sessions, late and redelivered events), so memory follows the traffic rate and
 * `lateMaxMs`, not the length of the stream. A redelivery yields the very object delivered before;
 * consumers must not mutate yielded events.
 */
export function* generateWAgent(options: WAgentOptions): Generator<WireEventLike> {
  const o = resolveOptions(options);
  const world = buildWorld(o);
  const content = new Prng(o.seed, 'content');
  const delivery = new Prng(o.seed, 'delivery');
  const queue = new DeliveryQueue();
  for (const start of sessionStarts(new Prng(o.seed, 'arrivals'), o)) {
    // Every event of this session or a later one is delivered at or after `start`.
    yield* deliverUntil(queue, start, delivery, o);
    for (const e of buildSession(content, world, start)) schedule(queue, e, delivery, o);
  }
  yield* deliverUntil(queue, Number.POSITIVE_INFINITY, delivery, o);
}

/**
 * Session start times, ascending: a Poisson process whose rate follows the time of day, made by
 * thinning a constant-rate process at the peak rate. Over whole days it averages `sessionsPerDay`.
 */
export function* sessionStarts(prng: Prng, o: ResolvedOptions): Generator<number> {
  if (o.sessionsPerDay <= 0) return;
  const peak = 1 + DIURNAL_AMPLITUDE;
  const meanGap = DAY_MS / (o.sessionsPerDay * peak);
  for (let t = o.start + prng.exponential(meanGap); t < o.end; t += prng.exponential(meanGap)) {
    if (prng.float() * peak < diurnalFactor(t)) yield Math.floor(t);
  }
}

/** The traffic multiplier at time t; its mean over any 24 hours is exactly 1. */
export function diurnalFactor(t: number): number {
  const dayFraction = (((t % DAY_MS) + DAY_MS) % DAY_MS) / DAY_MS;
  return 1 + DIURNAL_AMPLITUDE * Math.sin(2 * Math.PI * (dayFraction - (PEAK_HOUR_UTC - 6) / 24));
}

/** An event is received when it ends, plus jitter; a late one is also held up to `lateMaxMs`. */
function schedule(queue: DeliveryQueue, e: WireEventLike, prng: Prng, o: ResolvedOptions): void {
  let at = e.timestamp + (e.duration_ms ?? 0) + prng.float() * MAX_JITTER_MS;
  if (prng.chance(o.lateRate)) at += prng.float() * o.lateMaxMs;
  queue.push(at, e, false);
}

/** Yields everything due before `until`; each first delivery may be redelivered a little later. */
function* deliverUntil(
  queue: DeliveryQueue,
  until: number,
  prng: Prng,
  o: ResolvedOptions,
): Generator<WireEventLike> {
  while (queue.size > 0 && queue.peekAt() < until) {
    const d = queue.pop();
    yield d.event;
    if (!d.redelivery && prng.chance(o.duplicateRate)) {
      queue.push(d.at + redeliveryDelay(prng), d.event, true);
    }
  }
}

/** Retries after a lost acknowledgement: seconds to a few minutes (capped at 15). */
function redeliveryDelay(prng: Prng): number {
  return Math.min(prng.logNormal(20_000, 1), 900_000);
}

/**
 * A small, realistic demo: the 7 days ending at `now`, about 300 sessions a day across 3
 * workspaces and a few hundred users — a few tens of thousands of events.
 */
export function demoOptions(now: number): WAgentOptions {
  return {
    seed: 42,
    start: now - 7 * DAY_MS,
    end: now,
    workspaces: 3,
    usersPerMonth: 1_700,
    sessionsPerDay: 300,
  };
}
