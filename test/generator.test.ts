import { describe, expect, it } from 'vitest';
import { validateEvent, type ValidationContext } from '../src/core/validate-event.js';
import { MODELS } from '../src/generator/catalog.js';
import {
  demoOptions,
  generateWAgent,
  type WAgentOptions,
  type WireEventLike,
} from '../src/generator/w-agent.js';

const DAY = 86_400_000;
const START = Date.UTC(2025, 2, 3);

/** Two whole days (the diurnal cycle averages out) at a rate that keeps the test quick. */
const OPTIONS: WAgentOptions = {
  seed: 7,
  start: START,
  end: START + 2 * DAY,
  sessionsPerDay: 1_500,
  lateMaxMs: 6 * 3_600_000,
};
const DEFAULT_RATES = { errorRate: 0.02, duplicateRate: 0.1, lateRate: 0.05 };

const stream = [...generateWAgent(OPTIONS)];
const firsts = firstDeliveries(stream);
const byId = new Map(firsts.map((e) => [e.id, e]));

function firstDeliveries(events: readonly WireEventLike[]): WireEventLike[] {
  const seen = new Set<string>();
  return events.filter((e) => !seen.has(e.id) && seen.add(e.id));
}

/** Four binomial standard deviations: a fixed seed never flakes, and a real bias still shows. */
function binomialTolerance(p: number, n: number): number {
  return 4 * Math.sqrt((p * (1 - p)) / n);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function sessionStarts(events: readonly WireEventLike[]): WireEventLike[] {
  return events.filter((e) => e.type === 'session' && e.session?.action === 'start');
}

const calls = firsts.filter((e) => e.type === 'llm_call' || e.type === 'tool_call');

describe('W-agent generator: determinism', () => {
  const small: WAgentOptions = { start: START, end: START + DAY / 4, sessionsPerDay: 400 };
  const serialise = (o: WAgentOptions) => [...generateWAgent(o)].map((e) => JSON.stringify(e));

  it('gives a byte-identical stream for the same options', () => {
    const a = serialise(small);
    expect(a.length).toBeGreaterThan(100);
    expect(serialise(small)).toEqual(a);
    expect(serialise({ ...small, seed: 'abc' })).toEqual(serialise({ ...small, seed: 'abc' }));
  });

  it('gives a different stream for a different seed', () => {
    expect(serialise({ ...small, seed: 43 })).not.toEqual(serialise(small));
    expect(serialise({ ...small, seed: '42' })).not.toEqual(serialise(small));
  });

  it('keeps the same unique events when only the delivery rates change', () => {
    const plain = { ...small, duplicateRate: 0, lateRate: 0 };
    const ids = (o: WAgentOptions) => new Set([...generateWAgent(o)].map((e) => e.id));
    expect(ids(plain)).toEqual(ids(small));
  });
});

describe('W-agent generator: contract', () => {
  it('yields only events that Cairn accepts', () => {
    const ctx: ValidationContext = {
      defaultWorkspace: 'default',
      maxEventBytes: 1_048_576,
      window: { now: OPTIONS.end + DAY, maxFutureMs: DAY, maxPastMs: 3650 * DAY },
    };
    const rejected = firsts
      .map((e) => validateEvent(e, ctx))
      .filter((r) => !r.ok)
      .slice(0, 3);
    expect(rejected).toEqual([]);
  });

  it('never sets cost_usd and uses epoch-millisecond integer timestamps', () => {
    const bad = firsts.filter((e) => 'cost_usd' in e || !Number.isInteger(e.timestamp));
    expect(bad).toEqual([]);
  });

  it('produces every event type', () => {
    const types = new Set(firsts.map((e) => e.type));
    expect([...types].sort()).toEqual(
      [
        'activity',
        'agent_run',
        'agent_step',
        'error',
        'feedback',
        'llm_call',
        'message',
        'session',
        'tool_call',
      ].sort(),
    );
  });

  it('honours sessionsPerDay (within Poisson noise) at two different rates', () => {
    const other: WAgentOptions = {
      start: START,
      end: START + 5 * DAY,
      sessionsPerDay: 200,
      seed: 3,
    };
    const counted: Array<[WAgentOptions, number]> = [
      [OPTIONS, sessionStarts(firsts).length],
      [other, sessionStarts(firstDeliveries([...generateWAgent(other)])).length],
    ];
    for (const [o, n] of counted) {
      const expected = o.sessionsPerDay! * ((o.end - o.start) / DAY);
      expect(Math.abs(n - expected)).toBeLessThan(4 * Math.sqrt(expected));
    }
  });

  it('starts sessions inside [start, end)', () => {
    const outside = sessionStarts(firsts).filter(
      (e) => e.timestamp < OPTIONS.start || e.timestamp >= OPTIONS.end,
    );
    expect(outside).toEqual([]);
  });

  it('streams: the first events of a ten-year workload come at once', () => {
    const tenYears = generateWAgent({ start: START, end: START + 3650 * DAY });
    const head: WireEventLike[] = [];
    for (const e of tenYears) if (head.push(e) >= 1_000) break;
    expect(head.length).toBe(1_000);
  });

  it('rejects impossible options, naming the option', () => {
    const base = { start: START, end: START + DAY };
    expect(() => generateWAgent({ ...base, models: 99 }).next()).toThrow(/models/);
    expect(() => generateWAgent({ ...base, errorRate: 2 }).next()).toThrow(/errorRate/);
    expect(() => generateWAgent({ start: START, end: START - 1 }).next()).toThrow(/end/);
  });
});

describe('W-agent generator: delivery', () => {
  it('redelivers about duplicateRate of events, identical and later in the stream', () => {
    // Later in the stream by construction: the first copy of an id is the one kept in `first`.
    const first = new Map<string, string>();
    const repeats: string[] = [];
    for (const e of stream) {
      const json = JSON.stringify(e);
      if (!first.has(e.id)) first.set(e.id, json);
      else if (first.get(e.id) !== json) repeats.push(`changed: ${e.id}`);
      else repeats.push(e.id);
    }
    expect(repeats.filter((r) => r.startsWith('changed'))).toEqual([]);
    expect(new Set(repeats).size).toBe(repeats.length); // at most one redelivery each
    const rate = repeats.length / first.size;
    const p = DEFAULT_RATES.duplicateRate;
    expect(Math.abs(rate - p)).toBeLessThan(binomialTolerance(p, first.size));
  });

  it('delivers about lateRate of events late, and none later than lateMaxMs', () => {
    // An on-time event arrives when it ends (plus a little jitter), so nothing delivered before it
    // can have started more than its own duration (plus that jitter) after it. A late event can.
    const slackMs = 60_000;
    let newest = Number.NEGATIVE_INFINITY;
    let late = 0;
    let maxLag = 0;
    const seen = new Set<string>();
    for (const e of stream) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      const lag = newest - e.timestamp - (e.duration_ms ?? 0);
      if (lag > slackMs) late++;
      maxLag = Math.max(maxLag, lag);
      newest = Math.max(newest, e.timestamp);
    }
    expect(maxLag).toBeLessThan(OPTIONS.lateMaxMs! + slackMs);
    const p = DEFAULT_RATES.lateRate;
    const rate = late / seen.size;
    // The detector misses late events held back by less than about `slackMs` (~0.3 % of them).
    expect(Math.abs(rate - p)).toBeLessThan(binomialTolerance(p, seen.size) + 0.01 * p);
  });
});

describe('W-agent generator: calls, traces and tokens', () => {
  it('fails about errorRate of LLM and tool calls, with typed errors', () => {
    const failed = calls.filter((e) => e.status !== 'ok');
    const p = DEFAULT_RATES.errorRate;
    expect(Math.abs(failed.length / calls.length - p)).toBeLessThan(
      binomialTolerance(p, calls.length),
    );
    expect(failed.filter((e) => !e.error?.type || !e.error.message)).toEqual([]);
    const toolFailures = failed.filter((e) => e.type === 'tool_call');
    expect(toolFailures.some((e) => e.status === 'timeout')).toBe(true);
    expect(toolFailures.some((e) => e.error?.type === 'tool_error')).toBe(true);
    expect(toolFailures.some((e) => e.error?.code === -32603)).toBe(true);
  });

  it('fails some runs that contain a failed step, and no run without one', () => {
    const failedSteps = new Set(
      firsts.filter((e) => e.type === 'agent_step' && e.status !== 'ok').map((e) => e.trace_id),
    );
    const failedRuns = firsts.filter((e) => e.type === 'agent_run' && e.status === 'error');
    expect(failedRuns.length).toBeGreaterThan(0);
    expect(failedRuns.filter((run) => !failedSteps.has(run.trace_id))).toEqual([]);
  });

  it('resolves every parent_id to an event of the same trace', () => {
    const children = firsts.filter((e) => e.parent_id !== undefined);
    expect(children.length).toBeGreaterThan(0);
    const orphans = children.filter((e) => byId.get(e.parent_id!)?.trace_id !== e.trace_id);
    expect(orphans).toEqual([]);
    const nested = children.filter(
      (e) => e.type === 'agent_step' && byId.get(e.parent_id!)?.type === 'agent_step',
    );
    expect(nested.length).toBeGreaterThan(0);
  });

  it('makes every span lie within its parent span', () => {
    const spans = new Set(['agent_step', 'llm_call', 'tool_call']);
    const outside = firsts.filter((e) => {
      const parent = spans.has(e.type) && e.parent_id ? byId.get(e.parent_id) : undefined;
      if (parent?.duration_ms === undefined) return false;
      const end = e.timestamp + (e.duration_ms ?? 0);
      return e.timestamp < parent.timestamp || end > parent.timestamp + parent.duration_ms;
    });
    expect(outside).toEqual([]);
  });

  it('keeps token counts consistent; only reasoning models reason', () => {
    const reasoningModels = new Set(MODELS.filter((m) => m.reasoning).map((m) => m.id));
    const withUsage = firsts.filter((e) => e.usage !== undefined);
    expect(withUsage.length).toBeGreaterThan(0);
    const inconsistent = withUsage.filter((e) => {
      const u = e.usage!;
      return (
        !e.model ||
        u.cache_read_tokens + u.cache_write_tokens > u.input_tokens ||
        u.reasoning_tokens > u.output_tokens ||
        (u.reasoning_tokens > 0 && !reasoningModels.has(e.model))
      );
    });
    expect(inconsistent).toEqual([]);
    expect(withUsage.some((e) => e.usage!.reasoning_tokens > 0)).toBe(true);
    expect(withUsage.some((e) => e.usage!.cache_read_tokens > 0)).toBe(true);
  });

  it('has a median LLM/tool call latency within 15 % of 400 ms', () => {
    const m = median(calls.map((e) => e.duration_ms!));
    expect(Math.abs(m - 400) / 400).toBeLessThan(0.15);
  });
});

describe('W-agent generator: tenants and users', () => {
  it('keeps each user in one workspace, with skewed traffic across workspaces', () => {
    const workspacesOf = new Map<string, Set<string>>();
    const perWorkspace = new Map<string, number>();
    for (const e of firsts) {
      const ws = e.workspace!;
      perWorkspace.set(ws, (perWorkspace.get(ws) ?? 0) + 1);
      workspacesOf.set(e.user_id!, (workspacesOf.get(e.user_id!) ?? new Set()).add(ws));
    }
    expect([...workspacesOf.values()].filter((set) => set.size > 1)).toEqual([]);
    const counts = [...perWorkspace.values()].sort((a, b) => b - a);
    expect(perWorkspace.size).toBeLessThanOrEqual(20);
    expect(counts[0]!).toBeGreaterThan(4 * counts[counts.length - 1]!);
  });

  it('makes a small demo: 7 days, 3 workspaces, a few hundred users', () => {
    const now = Date.UTC(2025, 5, 1, 12);
    const o = demoOptions(now);
    const demo = firstDeliveries([...generateWAgent(o)]);
    const users = new Set(demo.map((e) => e.user_id));
    expect(new Set(demo.map((e) => e.workspace)).size).toBe(3);
    expect(users.size).toBeGreaterThan(100);
    expect(users.size).toBeLessThan(1_000);
    expect(demo.length).toBeGreaterThan(10_000);
    expect(demo.length).toBeLessThan(100_000);
    expect(sessionStarts(demo).filter((e) => e.timestamp < now - 7 * DAY)).toEqual([]);
  });
});
