import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import {
  CONTENT_CHARS,
  session,
  sessionParams,
  sessions,
  sessionsParams,
} from '../../src/query/sessions.js';
import { openTestEngine } from '../support/databases.js';
import { useWorkloadEngines } from '../support/workload-engines.js';
import { items, NOW, wire } from '../support/events.js';

const t0 = Date.parse('2026-11-19T10:00:00Z');
const range = { from: String(t0 - 60_000), to: String(t0 + 3_600_000) };
const long = 'é'.repeat(CONTENT_CHARS + 500);

/** An event without the LLM defaults of wire(): no model, usage or price unless given. */
function ev(o: Record<string, unknown>): Record<string, unknown> {
  return wire({
    model: undefined,
    provider: undefined,
    usage: undefined,
    duration_ms: undefined,
    ...o,
  });
}
const inA = { workspace: 'sw', session_id: 'A', user_id: 'u1', platform: 'web', app: 'bot' };
const inB = { workspace: 'sw', session_id: 'B', user_id: 'u2', platform: 'slack', app: 'bot2' };

// Session A: messages around an agent run (a step, an LLM call, a failed tool call). Session B
// ends with a long LLM call. The id A again in another workspace is another session; an event
// without a session_id belongs to none.
// prettier-ignore
const handEvents = [
  ev({ ...inA, id: 'a1', type: 'session', timestamp: t0, session: { action: 'start' } }),
  ev({ ...inA, id: 'a2', type: 'message', timestamp: t0 + 1_000, message: { role: 'user', content: 'hi' } }),
  ev({ ...inA, id: 'a3', type: 'agent_run', timestamp: t0 + 2_000, duration_ms: 3_000, trace_id: 'TA', agent: 'helper' }),
  ev({ ...inA, id: 'a4', type: 'agent_step', timestamp: t0 + 2_100, duration_ms: 2_000, trace_id: 'TA', parent_id: 'a3' }),
  ev({ ...inA, id: 'a5', type: 'llm_call', timestamp: t0 + 2_200, duration_ms: 900, trace_id: 'TA', parent_id: 'a4', model: 'm1', cost_usd: 0.01, usage: { input_tokens: 500, output_tokens: 80 } }),
  ev({ ...inA, id: 'a6', type: 'tool_call', timestamp: t0 + 3_200, duration_ms: 30_000, trace_id: 'TA', parent_id: 'a4', tool: 'search', status: 'timeout' }),
  ev({ ...inA, id: 'a7', type: 'message', timestamp: t0 + 6_000, duration_ms: 500, model: 'm1', cost_usd: 0.002, usage: { input_tokens: 30, output_tokens: 10 }, message: { role: 'assistant', content: long } }),
  ev({ ...inA, id: 'a8', type: 'session', timestamp: t0 + 10_000, session: { action: 'end' } }),
  ev({ ...inB, id: 'b1', type: 'message', timestamp: t0 + 60_000, message: { role: 'user', content: 'yo' } }),
  ev({ ...inB, id: 'b2', type: 'llm_call', timestamp: t0 + 61_000, duration_ms: 1_234.5, model: 'm1', cost_usd: 0.5 }),
  ev({ ...inA, workspace: 'sw2', id: 'c1', type: 'message', timestamp: t0 + 30_000, message: { role: 'user', content: 'x' } }),
  ev({ workspace: 'sw', id: 'n1', type: 'llm_call', timestamp: t0 + 5_000, model: 'm1' }),
];

type Wire = Record<string, unknown>;
const num = (e: Wire, k: string) => (e[k] as number | undefined) ?? 0;
const tokens = (e: Wire, k: string) => (e.usage as Record<string, number> | undefined)?.[k] ?? 0;

/** A session's row computed straight from its wire events (cost left to the caller). */
function expectedRow(evs: Wire[]) {
  const starts = evs.map((e) => e.timestamp as number);
  const ends = evs.map((e) => (e.timestamp as number) + num(e, 'duration_ms'));
  const count = (t: string) => evs.filter((e) => e.type === t).length;
  return {
    workspace: evs[0]!.workspace,
    session_id: evs[0]!.session_id,
    started_at: new Date(Math.min(...starts)).toISOString(),
    ended_at: new Date(Math.max(...ends)).toISOString(),
    duration_ms: Math.max(...ends) - Math.min(...starts),
    events: evs.length,
    messages: count('message'),
    llm_calls: count('llm_call'),
    tool_calls: count('tool_call'),
    agent_runs: count('agent_run'),
    errors: evs.filter(
      (e) => e.status === 'error' || e.status === 'timeout' || (e.error && !e.status),
    ).length,
    input_tokens: evs.reduce((s, e) => s + tokens(e, 'input_tokens'), 0),
    output_tokens: evs.reduce((s, e) => s + tokens(e, 'output_tokens'), 0),
  };
}

describe('sessions and session on hand-written events', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine('sqlite');
    expect((await engine.ingest(items(...handEvents), NOW)).rejected).toEqual([]);
  });
  afterAll(() => engine.close());

  const list = (p: Record<string, unknown>) =>
    sessions(engine.store, sessionsParams.parse({ ...range, ...p }), NOW);
  const ids = async (p: Record<string, unknown>) =>
    (await list(p)).sessions.map((s) => `${s.workspace}/${s.session_id}`);

  it('lists sessions newest first with their counts, tokens and cost', async () => {
    const r = await list({});
    expect(r.sessions.map((s) => `${s.workspace}/${s.session_id}`)).toEqual([
      'sw/B',
      'sw2/A',
      'sw/A',
    ]);
    const a = handEvents.filter((e) => e.workspace === 'sw' && e.session_id === 'A');
    expect(r.sessions[2]).toEqual({
      ...expectedRow(a),
      user_id: 'u1',
      platform: 'web',
      app: 'bot',
      cost_usd: 0.012,
    });
    expect(r.sessions[2]).toMatchObject({ duration_ms: 33_200, messages: 2, errors: 1 });
    expect(r.sessions[0]).toMatchObject({ duration_ms: 2_234.5, cost_usd: 0.5 });
    expect(r.next_offset).toBeNull();
  });

  it('pages by offset', async () => {
    const first = await list({ limit: '2' });
    expect(first.sessions.map((s) => s.session_id)).toEqual(['B', 'A']);
    expect(first.next_offset).toBe(2);
    const second = await list({ limit: '2', offset: '2' });
    expect(second.sessions.map((s) => `${s.workspace}/${s.session_id}`)).toEqual(['sw/A']);
    expect(second.next_offset).toBeNull();
  });

  it('filters by workspace, user, platform and app', async () => {
    expect(await ids({ workspace: 'sw' })).toEqual(['sw/B', 'sw/A']);
    expect(await ids({ user_id: 'u1' })).toEqual(['sw2/A', 'sw/A']);
    expect(await ids({ platform: 'slack' })).toEqual(['sw/B']);
    expect(await ids({ app: 'bot', workspace: 'sw' })).toEqual(['sw/A']);
    expect(await ids({ user_id: 'nobody' })).toEqual([]);
  });

  it('shows one session’s messages and agent steps on one timeline', async () => {
    const s = await session(
      engine.store,
      sessionParams.parse({ ...range, workspace: 'sw', session_id: 'A' }),
      NOW,
    );
    expect(s.events.map((e) => e.id)).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8']);
    expect(s.truncated).toBe(false);
    expect(s.events[1]).toMatchObject({
      type: 'message',
      role: 'user',
      content: 'hi',
      content_truncated: false,
    });
    expect(s.events[4]).toMatchObject({
      parent_id: 'a4',
      model: 'm1',
      cost_usd: 0.01,
      tokens: { input: 500, output: 80, cache_read: 0, cache_write: 0, reasoning: 0 },
      ts: new Date(t0 + 2_200).toISOString(),
    });
    expect(s.events[5]).toMatchObject({ tool: 'search', status: 'timeout', role: null });
    expect(s.events[6]!.content).toBe(long.slice(0, CONTENT_CHARS));
    expect(s.events[6]).toMatchObject({ role: 'assistant', content_truncated: true });
  });

  it('answers an empty range with nothing', async () => {
    const empty = { from: String(t0 - 7_200_000), to: String(t0 - 3_600_000) };
    expect(await list(empty)).toEqual({ sessions: [], next_offset: null });
    const s = await session(engine.store, sessionParams.parse({ ...empty, session_id: 'A' }), NOW);
    expect(s).toEqual({ session_id: 'A', events: [], truncated: false });
  });
});

describe('the parity workload', () => {
  const { events, engines, backends, wide } = useWorkloadEngines();

  it('sessions and timelines answer alike on every backend', async () => {
    const answers = await Promise.all(
      backends.map(async (b) => {
        const store = engines.get(b)!.store;
        const list = await sessions(store, sessionsParams.parse({ ...wide, limit: '1000' }));
        const page = await sessions(
          store,
          sessionsParams.parse({ ...wide, limit: '7', offset: '21' }),
        );
        const timelines = await Promise.all(
          list.sessions
            .slice(0, 20)
            .map((s) =>
              session(
                store,
                sessionParams.parse({ ...wide, workspace: s.workspace, session_id: s.session_id }),
              ),
            ),
        );
        return { list, page, timelines };
      }),
    );
    expect(answers[0]!.list.sessions.length).toBeGreaterThan(100);
    expect(answers[0]!.page.sessions).toEqual(answers[0]!.list.sessions.slice(21, 28));
    for (const a of answers.slice(1)) expect(a).toEqual(answers[0]);
  });

  it('every session’s numbers equal a computation from the generated stream', async () => {
    const unique = new Map<string, Wire>();
    for (const e of events) unique.set(`${e.workspace as string}\u0000${e.id as string}`, e);
    const bySession = new Map<string, Wire[]>();
    for (const e of unique.values()) {
      const key = `${e.workspace as string}/${e.session_id as string}`;
      bySession.set(key, [...(bySession.get(key) ?? []), e]);
    }
    const store = engines.get('sqlite')!.store;
    const { sessions: rows } = await sessions(
      store,
      sessionsParams.parse({ ...wide, limit: '1000' }),
    );
    expect(rows).toHaveLength(bySession.size);
    for (const r of rows) {
      const { cost_usd: _c, user_id: _u, platform: _p, app: _a, ...rest } = r;
      expect(rest).toEqual(expectedRow(bySession.get(`${r.workspace}/${r.session_id}`)!));
    }
  });
});
