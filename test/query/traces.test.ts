import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import type { TraceNode } from '../../src/query/trace-forest.js';
import { agentRuns, agentRunsParams, trace, traceParams } from '../../src/query/traces.js';
import { openTestEngine } from '../support/databases.js';
import { useWorkloadEngines } from '../support/workload-engines.js';
import { items, NOW, wire } from '../support/events.js';

const t0 = Date.parse('2026-11-19T10:00:00Z');
const WS = 'tw';
const range = { from: String(t0 - 60_000), to: String(t0 + 3_600_000) };

/** A span without the LLM defaults of wire(): no model, usage or price unless given. */
function span(o: Record<string, unknown>): Record<string, unknown> {
  return wire({ model: undefined, provider: undefined, usage: undefined, workspace: WS, ...o });
}

const u = (input: number, output: number, extra: Record<string, number> = {}) => ({
  usage: { input_tokens: input, output_tokens: output, ...extra },
});

// A run with two levels of nested steps, a failed tool call (JSON-RPC -32602) and a timed-out
// LLM call; an orphan whose parent never arrived; the assistant's answer in the same trace; and
// noise that must stay out (another trace, the same trace id in another workspace).
// prettier-ignore
const handEvents = [
  span({ id: 'R', type: 'agent_run', timestamp: t0, duration_ms: 10_000, agent: 'planner', trace_id: 'T', agent_run: { name: 'plan-trip' } }),
  span({ id: 'S1', type: 'agent_step', timestamp: t0 + 100, trace_id: 'T', parent_id: 'R', agent_step: { name: 'think' } }),
  span({ id: 'L1', type: 'llm_call', timestamp: t0 + 200, trace_id: 'T', parent_id: 'S1', model: 'm1', cost_usd: 0.001, ...u(100, 20, { cache_read_tokens: 50 }) }),
  span({ id: 'C1', type: 'tool_call', timestamp: t0 + 1_000, trace_id: 'T', parent_id: 'S1', tool: 'search', error: { type: 'jsonrpc_error', code: -32602, message: 'Invalid params' } }),
  span({ id: 'S2', type: 'agent_step', timestamp: t0 + 2_000, trace_id: 'T', parent_id: 'S1', agent_step: { name: 'delegate' } }),
  span({ id: 'L2', type: 'llm_call', timestamp: t0 + 2_100, trace_id: 'T', parent_id: 'S2', model: 'm1', cost_usd: 0.002, ...u(200, 40, { reasoning_tokens: 10 }) }),
  span({ id: 'C2', type: 'tool_call', timestamp: t0 + 2_500, trace_id: 'T', parent_id: 'S2', tool: 'fetch' }),
  span({ id: 'S3', type: 'agent_step', timestamp: t0 + 5_000, trace_id: 'T', parent_id: 'R', agent_step: { name: 'answer' } }),
  span({ id: 'L3', type: 'llm_call', timestamp: t0 + 5_100, trace_id: 'T', parent_id: 'S3', model: 'm1', status: 'timeout' }),
  span({ id: 'O', type: 'tool_call', timestamp: t0 + 6_000, trace_id: 'T', parent_id: 'gone', tool: 'search', cost_usd: 0.0005 }),
  span({ id: 'M', type: 'message', timestamp: t0 + 11_000, trace_id: 'T', model: 'm1', cost_usd: 0.0001, ...u(10, 5), message: { role: 'assistant', content: 'done' } }),
  span({ id: 'R2', type: 'agent_run', timestamp: t0 + 20_000, duration_ms: 50, agent: 'writer', trace_id: 'T2', error: { type: 'agent_error', message: 'x' } }),
  span({ id: 'X', type: 'tool_call', timestamp: t0 + 300, trace_id: 'T', parent_id: 'R', workspace: 'other' }),
  // A parent_id cycle must not lose events or loop.
  span({ id: 'Y1', type: 'agent_step', timestamp: t0 + 30_000, trace_id: 'T3', parent_id: 'Y2' }),
  span({ id: 'Y2', type: 'agent_step', timestamp: t0 + 30_100, trace_id: 'T3', parent_id: 'Y1' }),
];

/** Reference totals: every event of the trace whose parent chain reaches `id`, walking up. */
function expectedTotals(id: string, trace = 'T') {
  const events = handEvents.filter((e) => e.workspace === WS && e.trace_id === trace);
  const byId = new Map(events.map((e) => [e.id as string, e]));
  const under = events.filter((e) => {
    for (let c: Record<string, unknown> | undefined = e; c; c = byId.get(c.parent_id as string))
      if (c.id === id) return true;
    return false;
  });
  const tok = (k: string) =>
    under.reduce((s, e) => s + ((e.usage as Record<string, number>)?.[k] ?? 0), 0);
  const count = (t: string) => under.filter((e) => e.type === t).length;
  return {
    events: under.length,
    errors: under.filter((e) => e.error !== undefined || e.status === 'timeout').length,
    steps: count('agent_step'),
    llm_calls: count('llm_call'),
    tool_calls: count('tool_call'),
    tokens: {
      input: tok('input_tokens'),
      output: tok('output_tokens'),
      cache_read: tok('cache_read_tokens'),
      cache_write: tok('cache_write_tokens'),
      reasoning: tok('reasoning_tokens'),
    },
    cost_usd: Number(under.reduce((s, e) => s + ((e.cost_usd as number) ?? 0), 0).toFixed(9)),
  };
}

function shape(n: TraceNode): unknown {
  return { [n.id]: n.children.map(shape) };
}

function walk(nodes: TraceNode[], f: (n: TraceNode) => void): void {
  for (const n of nodes) {
    f(n);
    walk(n.children, f);
  }
}

describe('trace and agent_runs on hand-written events', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine('sqlite');
    const r = await engine.ingest(items(...handEvents), NOW);
    expect(r.rejected).toEqual([]);
  });
  afterAll(() => engine.close());

  const runTrace = (p: Record<string, unknown>) =>
    trace(engine.store, traceParams.parse({ workspace: WS, ...range, ...p }), NOW);

  it('nests steps two levels deep; the orphan and the answer are roots', async () => {
    const t = await runTrace({ trace_id: 'T' });
    expect(t.roots.map(shape)).toEqual([
      {
        R: [
          { S1: [{ L1: [] }, { C1: [] }, { S2: [{ L2: [] }, { C2: [] }] }] },
          { S3: [{ L3: [] }] },
        ],
      },
      { O: [] },
      { M: [] },
    ]);
    expect(t).toMatchObject({ events: 11, truncated: false, trace_id: 'T' });
  });

  it('totals every subtree', async () => {
    const t = await runTrace({ trace_id: 'T' });
    const seen: string[] = [];
    walk(t.roots, (n) => {
      seen.push(n.id);
      expect(n.totals, n.id).toEqual(expectedTotals(n.id));
    });
    expect(seen).toHaveLength(11);
    expect(t.roots[0]!.totals).toMatchObject({ events: 9, errors: 2, steps: 3, cost_usd: 0.003 });
    expect(t.totals).toMatchObject({ events: 11, errors: 2, tool_calls: 3, cost_usd: 0.0036 });
  });

  it('carries each event’s own fields', async () => {
    const t = await runTrace({ trace_id: 'T' });
    const c1 = t.roots[0]!.children[0]!.children[1]!;
    expect(c1).toMatchObject({
      id: 'C1',
      type: 'tool_call',
      tool: 'search',
      status: 'error',
      start: new Date(t0 + 1_000).toISOString(),
      error: { type: 'jsonrpc_error', code: '-32602', message: 'Invalid params' },
      cost_usd: null,
    });
    expect(t.roots[0]).toMatchObject({ name: 'plan-trip', agent: 'planner', duration_ms: 10_000 });
  });

  it('finds the trace from a run id, in a window around the run', async () => {
    const byId = await trace(engine.store, traceParams.parse({ workspace: WS, id: 'S2' }), NOW);
    const byTrace = await runTrace({ trace_id: 'T' });
    expect(byId.roots).toEqual(byTrace.roots);
    expect(byId.from).toBe(new Date(t0 + 2_000 - 3_600_000).toISOString());
  });

  it('cuts a parent_id cycle at its earliest event', async () => {
    const t = await runTrace({ trace_id: 'T3' });
    expect(t.roots.map(shape)).toEqual([{ Y1: [{ Y2: [] }] }]);
  });

  it('rejects an unknown id and a missing or double selector', async () => {
    await expect(runTrace({ id: 'nope' })).rejects.toMatchObject({ code: 'not_found' });
    expect(traceParams.safeParse({ workspace: WS }).success).toBe(false);
    expect(traceParams.safeParse({ workspace: WS, id: 'R', trace_id: 'T' }).success).toBe(false);
  });

  it('lists runs newest first with subtree totals, filtered by agent and status', async () => {
    const runs = (p: Record<string, unknown>) =>
      agentRuns(engine.store, agentRunsParams.parse({ ...range, ...p }), NOW);
    const all = await runs({});
    expect(all.runs.map((r) => r.id)).toEqual(['R2', 'R']);
    expect(all.runs[1]!.totals).toEqual(expectedTotals('R'));
    expect(all.runs[0]).toMatchObject({ status: 'error', totals: { events: 1, errors: 1 } });
    expect((await runs({ agent: 'planner' })).runs.map((r) => r.id)).toEqual(['R']);
    expect((await runs({ status: 'error' })).runs.map((r) => r.id)).toEqual(['R2']);
    expect((await runs({ limit: '1' })).runs.map((r) => r.id)).toEqual(['R2']);
  });

  it('answers an empty range with nothing', async () => {
    const empty = { from: String(t0 - 7_200_000), to: String(t0 - 3_600_000) };
    expect((await runTrace({ trace_id: 'T', ...empty })).roots).toEqual([]);
    const none = await agentRuns(engine.store, agentRunsParams.parse(empty), NOW);
    expect(none).toEqual({ runs: [], truncated: false });
  });
});

describe('the parity workload', () => {
  const { events, engines, backends, wide } = useWorkloadEngines();

  it('agent_runs and trace answer alike on every backend', async () => {
    const answers = await Promise.all(
      backends.map(async (b) => {
        const store = engines.get(b)!.store;
        const { runs } = await agentRuns(store, agentRunsParams.parse({ ...wide, limit: '1000' }));
        const trees = await Promise.all(
          runs
            .slice(0, 25)
            .map((r) => trace(store, traceParams.parse({ workspace: r.workspace, id: r.id }))),
        );
        return { runs, trees };
      }),
    );
    expect(answers[0]!.runs.length).toBeGreaterThan(100);
    for (const a of answers.slice(1)) expect(a).toEqual(answers[0]);
  });

  it('each run’s steps and calls equal the generator’s own tally', async () => {
    const tally = new Map(
      events.filter((e) => e.type === 'agent_run').map((e) => [e.id, e.counters]),
    );
    const store = engines.get('sqlite')!.store;
    const { runs } = await agentRuns(store, agentRunsParams.parse({ ...wide, limit: '1000' }));
    expect(runs.length).toBe(tally.size);
    for (const r of runs) {
      const { steps, llm_calls, tool_calls } = r.totals;
      expect({ steps, llm_calls, tool_calls }, r.id).toEqual(tally.get(r.id));
    }
  });
});
