import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import {
  errorHotspots,
  errorHotspotsParams,
  recentErrors,
  recentErrorsParams,
} from '../../src/query/errors.js';
import { openTestEngine } from '../support/databases.js';
import { useWorkloadEngines } from '../support/workload-engines.js';
import { items, NOW, wire } from '../support/events.js';

const t0 = Date.parse('2026-11-19T10:00:00Z');
const range = { from: String(t0 - 60_000), to: String(t0 + 3_600_000) };
type Wire = Record<string, unknown>;

let n = 0;
/** An event at t0 + n seconds, without the LLM defaults of wire() unless given. */
function ev(type: string, o: Wire = {}): Wire {
  return wire({
    type,
    timestamp: t0 + 1_000 * ++n,
    workspace: 'ew',
    model: undefined,
    provider: undefined,
    usage: undefined,
    ...o,
  });
}
const err = (type: string, code: number | string | undefined, message: string) => ({
  error: code === undefined ? { type, message } : { type, code, message },
});

// prettier-ignore
const handEvents = [
  ev('tool_call', { tool: 'search', ...err('jsonrpc_error', -32603, 'Internal error A') }),
  ev('tool_call', { tool: 'search' }),
  ev('tool_call', { tool: 'search', status: 'timeout', ...err('timeout', -32001, 'Request timed out') }),
  ev('tool_call', { tool: 'search', status: 'cancelled' }),
  ev('tool_call', { tool: 'search', ...err('jsonrpc_error', -32603, 'Internal error B') }),
  ev('tool_call', { tool: 'fs', ...err('tool_error', undefined, 'ENOENT'), tool_call: { result: { isError: true } } }),
  ev('llm_call', { model: 'm-x', ...err('rate_limit_error', 429, 'Slow down') }),
  ev('llm_call', { model: 'm-x' }),
  ev('llm_call', { model: 'm-x', agent: 'planner', ...err('api_error', 500, 'Server error') }),
  ev('llm_call', { model: 'm-y', agent: 'planner' }),
  ev('agent_run', { agent: 'planner', ...err('agent_error', 'step_failed', 'step "x" failed') }),
  ev('agent_run', { agent: 'planner' }),
  ev('error', { ...err('ui_error', 'E_RENDER', 'x'.repeat(1_500)) }),
  ev('tool_call', { tool: 'search', ...err('jsonrpc_error', -32603, 'Internal error C') }),
  ev('tool_call', { tool: 'search', workspace: 'other', ...err('jsonrpc_error', -32603, 'elsewhere') }),
  ev('tool_call', { tool: 'search', timestamp: t0 - 3_600_000, ...err('jsonrpc_error', -32603, 'too early') }),
];

const failed = (e: Wire) =>
  e.status === 'error' ||
  e.status === 'timeout' ||
  (e.error !== undefined && e.status === undefined);
const subjectOf = (e: Wire): [string | null, string | null] =>
  e.tool
    ? ['tool', e.tool as string]
    : e.agent
      ? ['agent', e.agent as string]
      : e.model
        ? ['model', e.model as string]
        : [null, null];
const code = (e: Wire) => {
  const c = (e.error as { code?: unknown } | undefined)?.code;
  return c === undefined ? null : String(c);
};

/** Reference hotspots computed straight from wire events (labels are checked elsewhere). */
function expectedHotspots(events: Wire[]) {
  const iso = (t: number) => new Date(t).toISOString();
  const groups = new Map<string, Wire[]>();
  for (const e of events.filter(failed)) {
    const key = JSON.stringify([e.type, ...subjectOf(e), (e.error as Wire).type, code(e)]);
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  return [...groups.values()]
    .map((g) => {
      const last = g[g.length - 1]!;
      const total = events.filter(
        (e) =>
          e.type === last.type && JSON.stringify(subjectOf(e)) === JSON.stringify(subjectOf(last)),
      ).length;
      return {
        type: last.type,
        subject_kind: subjectOf(last)[0],
        subject: subjectOf(last)[1],
        error_type: (last.error as Wire).type,
        error_code: code(last),
        count: g.length,
        total,
        share: g.length / total,
        first_seen: iso(g[0]!.timestamp as number),
        last_seen: iso(last.timestamp as number),
        sample: { id: last.id, message: ((last.error as Wire).message as string).slice(0, 1_000) },
      };
    })
    .sort((a, b) => b.count - a.count || (a.last_seen < b.last_seen ? 1 : -1));
}

describe('error_hotspots and recent_errors on hand-written events', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine('sqlite');
    expect((await engine.ingest(items(...handEvents), NOW)).rejected).toEqual([]);
  });
  afterAll(() => engine.close());

  const hotspots = (p: Wire = {}) =>
    errorHotspots(engine.store, errorHotspotsParams.parse({ ...range, ...p }), NOW);
  const recent = (p: Wire = {}) =>
    recentErrors(engine.store, recentErrorsParams.parse({ ...range, ...p }), NOW);
  const inScope = handEvents.filter((e) => e.workspace === 'ew' && (e.timestamp as number) >= t0);

  it('groups failures by type, subject and error, largest first, with shares and a sample', async () => {
    const r = await hotspots({ workspace: 'ew' });
    expect(r.truncated).toBe(false);
    expect(r.hotspots.map(({ label: _l, ...h }) => h)).toEqual(expectedHotspots(inScope));
    expect(r.hotspots[0]).toMatchObject({
      type: 'tool_call',
      subject_kind: 'tool',
      subject: 'search',
      error_code: '-32603',
      label: 'internal error',
      count: 3,
      total: 6,
      share: 0.5,
      sample: { message: 'Internal error C' },
    });
    const byKind = Object.fromEntries(
      r.hotspots.map((h) => [`${h.type}/${h.subject_kind}/${h.subject}`, h.share]),
    );
    expect(byKind).toMatchObject({
      'llm_call/agent/planner': 0.5,
      'llm_call/model/m-x': 0.5,
      'error/null/null': 1,
    });
    expect(r.hotspots.find((h) => h.subject === 'fs')).toMatchObject({
      label: 'tool result isError',
      error_code: null,
    });
    expect(r.hotspots.find((h) => h.type === 'error')!.sample.message).toHaveLength(1_000);
  });

  it('spans workspaces unless one is given, filters by type and limits', async () => {
    expect((await hotspots()).hotspots[0]).toMatchObject({ subject: 'search', count: 4, total: 7 });
    const llm = await hotspots({ workspace: 'ew', type: 'llm_call' });
    expect(llm.hotspots.map((h) => h.error_code)).toEqual(['500', '429']);
    expect((await hotspots({ limit: '2' })).hotspots).toHaveLength(2);
  });

  it('lists the latest failures newest first with their context', async () => {
    const r = await recent({ workspace: 'ew', limit: '3' });
    expect(r.errors.map((e) => e.error.message)).toEqual([
      'Internal error C',
      'x'.repeat(1_500),
      'step "x" failed',
    ]);
    expect(r.errors[0]).toMatchObject({
      workspace: 'ew',
      type: 'tool_call',
      status: 'error',
      tool: 'search',
      ts: new Date(handEvents[13]!.timestamp as number).toISOString(),
      error: { type: 'jsonrpc_error', code: '-32603', label: 'internal error' },
    });
    const search = await recent({ tool: 'search', workspace: 'ew' });
    expect(search.errors.map((e) => e.error.code)).toEqual([
      '-32603',
      '-32603',
      '-32001',
      '-32603',
    ]);
    expect((await recent({ type: 'agent_run' })).errors.map((e) => e.agent)).toEqual(['planner']);
  });

  it('answers an empty range with nothing', async () => {
    const empty = { from: String(t0 - 7_200_000), to: String(t0 - 3_700_000) };
    expect(await hotspots(empty)).toEqual({ hotspots: [], truncated: false });
    expect(await recent(empty)).toEqual({ errors: [] });
  });
});

describe('the parity workload', () => {
  const { events, engines, backends, wide } = useWorkloadEngines();

  it('answers alike on every backend', async () => {
    const answers = await Promise.all(
      backends.map(async (b) => {
        const store = engines.get(b)!.store;
        return Promise.all([
          errorHotspots(store, errorHotspotsParams.parse({ ...wide, limit: '1000' })),
          errorHotspots(
            store,
            errorHotspotsParams.parse({ ...wide, workspace: 'ws-01', type: 'tool_call' }),
          ),
          recentErrors(store, recentErrorsParams.parse({ ...wide, limit: '300' })),
        ]);
      }),
    );
    expect(answers[0]![0].hotspots.length).toBeGreaterThan(10);
    for (const a of answers.slice(1)) expect(a).toEqual(answers[0]);
  });

  it('hotspots equal a computation from the generated stream', async () => {
    const unique = new Map<string, Wire>();
    for (const e of events) unique.set(`${e.workspace as string}\u0000${e.id as string}`, e);
    const ws = [...unique.values()]
      .filter((e) => e.workspace === 'ws-01')
      .sort((a, b) => (a.timestamp as number) - (b.timestamp as number));
    const r = await errorHotspots(
      engines.get('sqlite')!.store,
      errorHotspotsParams.parse({ ...wide, workspace: 'ws-01', limit: '1000' }),
    );
    const strip = ({ sample: _s, ...h }: { sample: unknown }) => h;
    const expected = expectedHotspots(ws).map(strip);
    expect(r.hotspots.map(({ label: _l, ...h }) => strip(h))).toEqual(
      expect.arrayContaining(expected),
    );
    expect(r.hotspots).toHaveLength(expected.length);
  });
});
