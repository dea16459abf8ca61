import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine.js';
import { openTestEngine, postgresAvailable, type BackendName } from '../../support/databases.js';
import { cairnRows, normalise, type Row } from './compare.js';

/**
 * How observability rows become Cairn events: per-row errors, revisions, derived fields, prices
 * and workspaces. The acceptance test covers PGlite; these run on SQLite and real PostgreSQL
 * (PGlite when no server answers).
 */
const NOW = Date.parse('2026-11-20T12:00:00Z');
const T = NOW - 3 * 3_600_000;
const BACKENDS: BackendName[] = ['sqlite', (await postgresAvailable()) ? 'postgres' : 'pglite'];

const items = (...values: object[]) => values.map((value) => ({ ok: true as const, value }));

function msg(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    table: 'chat_messages',
    id: 1,
    session_id: 'telegram:4242',
    role: 'assistant',
    content: 'hello',
    timestamp: T,
    created_at: T,
    input_tokens: 2_000,
    output_tokens: 500,
    cached_tokens: 1_000,
    model: 'gpt-4o-mini',
    ...overrides,
  };
}

function run(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    table: 'observability_events',
    event_id: 'evt-a',
    status: 'success',
    triggered_at: T,
    completed_at: T + 4_000,
    created_at: T,
    agents: JSON.stringify([
      { name: 'router', type: 'router', model: 'gpt-4o-mini', input_tokens: 100, output_tokens: 5 },
    ]),
    input_tokens: 100,
    output_tokens: 5,
    ...overrides,
  };
}

describe.each(BACKENDS)('observability import on %s', (kind) => {
  // One database per backend; each test writes to a workspace of its own, which the views key.
  let engine: Engine;
  let ws = '';
  let n = 0;
  beforeAll(async () => {
    engine = await openTestEngine(kind);
  });
  afterAll(() => engine?.close());
  beforeEach(() => {
    ws = `t${++n}`;
  });

  const importRows = (...rows: object[]) =>
    engine.importRows('observability', items(...rows), { now: NOW, workspace: ws });
  const view = async (name: string, where: (r: Row) => boolean = () => true) =>
    (await cairnRows(engine, name)).filter((r) => r['workspace'] === ws && where(r));

  it('rejects bad rows by index with a code naming the seed column, and stores the rest', async () => {
    const r = await importRows(
      msg({ id: 1 }),
      msg({ id: undefined }),
      msg({ id: 3, timestamp: 'yesterday' }),
      msg({ id: 4, input_tokens: -5 }),
      msg({ id: 5, is_archived: 2 }),
      run({ event_id: 'bad-json', agents: '[{"name":' }),
      run({ event_id: 'bad-status', status: 'exploded' }),
      run({
        event_id: 'bad-worker',
        agents: [{ name: 'o', workers: [{ name: 'w', output_tokens: 'many' }] }],
      }),
      run({
        event_id: 'too-old',
        triggered_at: Date.parse('2001-01-01T00:00:00Z'),
        completed_at: null,
      }),
      { table: 'analytics_messages', id: 9 },
      run({ event_id: 'good' }),
      msg({ id: 1, content: 'same id and revision, other content' }),
    );
    expect(r.rejected.map((x) => [x.index, x.code])).toEqual([
      [1, 'missing_field'],
      [2, 'invalid_timestamp'],
      [3, 'invalid_token_count'],
      [4, 'invalid_value'],
      [5, 'invalid_value'],
      [6, 'invalid_value'],
      [7, 'invalid_token_count'],
      [8, 'timestamp_out_of_range'],
      [9, 'unknown_table'],
      [11, 'duplicate_in_batch'],
    ]);
    const messages = r.rejected.map((x) => x.message);
    expect(messages[0]).toMatch(/^id: required/);
    expect(messages[1]).toMatch(/^timestamp: /);
    expect(messages[2]).toMatch(/^input_tokens: /);
    expect(messages[3]).toMatch(/^is_archived: must be 0 or 1/);
    expect(messages[4]).toMatch(/^agents: must be valid JSON/);
    expect(messages[5]).toMatch(/^status: must be one of pending, processing, success/);
    expect(messages[6]).toMatch(/^agents\[0\]\.workers\[0\]\.output_tokens: /);
    expect(messages[7]).toMatch(/^observability_events → Cairn agent_run .*: timestamp: /);
    expect(messages[9]).toMatch(/appears at row 0 of this batch/);
    expect(r.rejected[6]).toMatchObject({ table: 'observability_events', id: 'bad-worker' });
    // Stored: message 1, and the good run with its one step. A rejected run leaves no steps.
    expect(r.accepted).toBe(3);
    expect(await engine.store.countEvents(ws)).toBe(3);
    expect((await view('analytics_agent_steps_view')).map((s) => s['event_id'])).toEqual(['good']);
  });

  it('a repeat of a row in one batch is taken or rejected whole, never its extra steps alone', async () => {
    const chain = (...names: string[]) => JSON.stringify(names.map((name) => ({ name })));
    const r = await importRows(
      run({ event_id: 'ev1', agents: chain('router') }),
      run({ event_id: 'ev1', agents: chain('router', 'writer') }), // same revision, other content
      msg({ id: 7, content: 'a' }),
      msg({ id: 7, content: 'b' }), // same revision, other content
    );
    expect(r.rejected.map((x) => [x.index, x.table, x.id, x.code])).toEqual([
      [1, 'observability_events', 'ev1', 'duplicate_in_batch'],
      [3, 'chat_messages', '7', 'duplicate_in_batch'],
    ]);
    expect(r.rejected[0]!.message).toMatch(/^event_id: "ev1" appears at row 0 of this batch/);
    expect(r.rejected[1]!.message).toMatch(/^id: "7" appears at row 2 of this batch/);
    expect(r).toMatchObject({ accepted: 3, updated: 0, duplicates: 0 });
    const steps = await view('analytics_agent_steps_view');
    expect(steps.map((s) => [s['step_id'], s['agent_name']])).toEqual([['ev1-0', 'router']]);
    expect(await engine.store.countEvents(ws)).toBe(3);
    const [message] = await view('analytics_messages_view');
    expect(message).toMatchObject({ content: 'a' });
  });

  it('among repeats of a row in one batch the highest revision is kept whole; an identical one is a duplicate', async () => {
    const chain = (...names: string[]) => JSON.stringify(names.map((name) => ({ name })));
    const pending = { status: 'pending', completed_at: null };
    const r = await importRows(
      run({ event_id: 'up', ...pending, agents: chain('router', 'writer', 'critic') }),
      run({ event_id: 'up', agents: chain('router') }), // finished: supersedes row 0
      run({ event_id: 'down', agents: chain('router') }),
      run({ event_id: 'down', ...pending, agents: chain('router', 'writer') }), // older: dropped
      run({ event_id: 'same', agents: chain('router', 'writer') }),
      run({ event_id: 'same', agents: chain('router', 'writer') }), // redelivery
    );
    expect(r.rejected).toEqual([]);
    // Stored: up (run + 1 step), down (run + 1 step), same (run + 2 steps).
    expect(r).toMatchObject({ accepted: 7, updated: 0, duplicates: 4 + 3 + 3 });
    const steps = await view('analytics_agent_steps_view');
    expect(steps.map((s) => s['step_id']).sort()).toEqual(['down-0', 'same-0', 'same-1', 'up-0']);
    expect(await engine.store.countEvents(ws)).toBe(7);
  });

  it('a run that finishes later replaces the pending one, its steps included', async () => {
    const pending = run({
      status: 'pending',
      completed_at: null,
      agents: JSON.stringify([{ name: 'router', input_tokens: 100, output_tokens: 5 }]),
    });
    const done = run({
      agents: JSON.stringify([
        { name: 'router', input_tokens: 100, output_tokens: 5 },
        { name: 'orchestrator', workers: [{ name: 'code-worker', input_tokens: 7 }] },
      ]),
    });
    expect(await importRows(pending)).toMatchObject({ accepted: 2, updated: 0 });
    expect((await view('analytics_agent_steps_view'))[0]).toMatchObject({
      status: 'error', // the seed reports every step of an unfinished run as 'error'
      completed_at: null,
    });
    expect(await importRows(done)).toMatchObject({ accepted: 2, updated: 2 });
    const steps = await view('analytics_agent_steps_view');
    expect(steps.map((s) => [s['step_id'], s['parent_step_id'], s['status']]).sort()).toEqual([
      ['evt-a-0', null, 'success'],
      ['evt-a-1', null, 'success'],
      ['evt-a-1-0', 'evt-a-1', 'success'],
    ]);
    expect(steps.every((s) => normalise(s['completed_at']) === T + 4_000)).toBe(true);
    // The older version arriving late changes nothing.
    expect(await importRows(pending)).toMatchObject({ accepted: 0, updated: 0, duplicates: 2 });
    expect(await view('analytics_agent_steps_view')).toHaveLength(3);
    // An edit that drops agents from the chain: their steps leave the view.
    const trimmed = run({
      updated_at: T + 3_600_000,
      agents: JSON.stringify([{ name: 'router' }]),
    });
    expect(await importRows(trimmed)).toMatchObject({ updated: 2 });
    const left = await view('analytics_agent_steps_view');
    expect(left.map((s) => s['step_id'])).toEqual(['evt-a-0']);
  });

  it('archiving a message (a newer updated_at) takes it out of the conversation and daily views', async () => {
    await importRows(msg({ id: 1 }), msg({ id: 2, role: 'user', model: null, input_tokens: 9 }));
    const [before] = await view('analytics_conversations_view');
    expect(normalise(before!['message_count'])).toBe(2);
    const r = await importRows(
      msg({
        id: 2,
        role: 'user',
        model: null,
        input_tokens: 9,
        is_archived: 1,
        updated_at: T + 60_000,
      }),
    );
    expect(r).toMatchObject({ accepted: 0, updated: 1 });
    const [after] = await view('analytics_conversations_view');
    expect(normalise(after!['message_count'])).toBe(1);
    expect(normalise(after!['total_tokens'])).toBe(2_500);
    const archived = await view('analytics_messages_view', (m) => normalise(m['id']) === 2);
    expect(archived[0]).toMatchObject({ is_archived: 1 });
    expect(normalise(archived[0]!['updated_at'])).toBe(T + 60_000);
  });

  it('derives platform and user_id from a platform:user session id only when missing', async () => {
    await importRows(
      msg({ id: 1, session_id: 'telegram:4242' }),
      msg({ id: 2, session_id: 'github:duyet/repo#7' }),
      msg({ id: 3, session_id: 'web:w-1', platform: 'webchat', user_id: 'u-9' }),
      msg({ id: 4, session_id: 'no-colon' }),
    );
    const rows = await view('analytics_messages_view');
    const by = new Map(rows.map((m) => [normalise(m['id']), [m['platform'], m['user_id']]]));
    expect(by.get(1)).toEqual(['telegram', '4242']);
    expect(by.get(2)).toEqual(['github', 'duyet/repo#7']);
    expect(by.get(3)).toEqual(['webchat', 'u-9']);
    expect(by.get(4)).toEqual([null, null]);
  });

  it('prices messages from the published table, and from a workspace override when one is set', async () => {
    await importRows(msg({ id: 1 }));
    // gpt-4o-mini: 1,000 uncached × $0.15/M + 1,000 cached × $0.075/M + 500 out × $0.60/M.
    const listed = (1_000 * 0.15 + 1_000 * 0.075 + 500 * 0.6) / 1e6;
    const [daily] = await view('analytics_user_daily_view');
    expect(Number(daily!['estimated_cost_usd'])).toBeCloseTo(listed, 12);
    await engine.pricer.putOverride(
      {
        id: 'cfg-1',
        workspace: ws,
        model: 'gpt-4o-mini',
        provider: null,
        input_per_mtok: 1,
        output_per_mtok: 2,
        cache_read_per_mtok: 0.5,
        cache_write_per_mtok: null,
        effective_from: 0,
      },
      NOW,
    );
    await importRows(msg({ id: 2 }));
    const [second] = await view('analytics_messages_view', (m) => normalise(m['id']) === 2);
    expect(Number(second!['estimated_cost_usd'])).toBeCloseTo(
      (1_000 * 1 + 1_000 * 0.5 + 500 * 2) / 1e6,
      12,
    );
  });

  it('counts each token once in Cairn’s own totals: steps carry their agents, the run the rest', async () => {
    await importRows(
      run({
        agents: JSON.stringify([
          { name: 'router', input_tokens: 100, output_tokens: 5 },
          { name: 'orchestrator', input_tokens: 300, workers: [{ name: 'w', input_tokens: 50 }] },
        ]),
        input_tokens: 1_000, // 550 beyond the agents: kept on the run
        output_tokens: 5,
      }),
    );
    const total = (await engine.query(
      'summary',
      { from: String(T - 1), to: String(NOW), workspace: ws },
      NOW,
    )) as {
      rows: Row[];
    };
    expect(total.rows[0]).toMatchObject({ input_tokens: 1_000, output_tokens: 5 });
  });

  it('keeps workspaces apart: the same seed ids in two workspaces are two conversations', async () => {
    const names = [`${ws}-acme`, `${ws}-globex`];
    for (const workspace of names)
      await engine.importRows('observability', items(msg({ id: 1 }), msg({ id: 2 })), {
        now: NOW,
        workspace,
      });
    const conversations = (await cairnRows(engine, 'analytics_conversations_view')).filter((c) =>
      names.includes(String(c['workspace'])),
    );
    expect(
      conversations.map((c) => [c['workspace'], normalise(c['message_count'])]).sort(),
    ).toEqual(names.map((w) => [w, 2]));
    const q = (await engine.query('observability/conversations', { workspace: names[0] }, NOW)) as {
      rows: Row[];
    };
    expect(q.rows.map((c) => c['workspace'])).toEqual([names[0]]);
  });
});
