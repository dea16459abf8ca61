import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine.js';
import { openTestEngine, postgresAvailable, type BackendName } from '../../support/databases.js';
import { cairnRows, normalise, type Row } from './compare.js';

/**
 * Cairn's detail schemas are loose, so any client can send a message or agent run whose detail
 * holds a string where the views read a number (`"sequence": "first"`; flags are checked on ingest). On PostgreSQL an
 * unguarded cast would fail the whole view — for every workspace. Such a member reads as null
 * (a flag as 0) on every engine, and no other workspace's rows change.
 */
const NOW = Date.parse('2026-11-20T12:00:00Z');
const T = NOW - 3 * 3_600_000;
const BACKENDS: BackendName[] = [
  'sqlite',
  'pglite',
  ...((await postgresAvailable()) ? (['postgres'] as const) : []),
];
const VIEWS = [
  'observability_chat_messages',
  'analytics_messages_view',
  'analytics_agent_steps_view',
  'analytics_conversations_view',
  'analytics_user_daily_view',
  'analytics_platform_daily_view',
];

const items = (...values: object[]) => values.map((value) => ({ ok: true as const, value }));

const goodRows = [
  {
    table: 'chat_messages',
    id: 1,
    session_id: 'telegram:4242',
    role: 'user',
    content: 'hi',
    sequence: 1,
    timestamp: T,
    created_at: T,
    updated_at: T + 1_000,
    is_pinned: 1,
    input_tokens: 10,
    output_tokens: 0,
  },
  {
    table: 'chat_messages',
    id: 2,
    session_id: 'telegram:4242',
    role: 'assistant',
    content: 'hello',
    sequence: 2,
    timestamp: T + 2_000,
    created_at: T + 2_000,
    input_tokens: 2_000,
    output_tokens: 500,
    model: 'gpt-4o-mini',
    event_id: 'evt-a',
  },
  {
    table: 'observability_events',
    event_id: 'evt-a',
    status: 'success',
    triggered_at: T,
    completed_at: T + 4_000,
    created_at: T,
    agents: JSON.stringify([
      { name: 'router', model: 'gpt-4o-mini', input_tokens: 100, output_tokens: 5 },
      { name: 'writer', model: 'gpt-4o-mini', input_tokens: 50, output_tokens: 9 },
    ]),
  },
];

/** Events a careless client may POST to /v1/events: numbers and flags of the wrong JSON type. */
const hostile = (workspace: string) => [
  {
    id: 'loose-m1',
    type: 'message',
    workspace,
    timestamp: T,
    session_id: 'web:x',
    message: {
      role: 'user',
      sequence: 'first',
      created_at: 'yesterday',
      updated_at: { at: 1 },
    },
  },
  {
    id: 'loose-m2',
    type: 'message',
    workspace,
    timestamp: T + 1,
    session_id: 'web:x',
    message: {
      role: 'assistant',
      sequence: 2.5,
      created_at: true,
      updated_at: '12',
      archived: true,
    },
  },
  {
    id: 'observability_events:loose',
    type: 'agent_run',
    workspace,
    timestamp: T,
    trace_id: 'loose',
    agent_run: { status: 'success', completed_at: 'soon', created_at: [1] },
  },
  {
    id: 'loose-step',
    type: 'agent_step',
    workspace,
    timestamp: T,
    trace_id: 'loose',
    agent_step: { index: 0, step_id: 'loose-0' },
  },
];

describe.each(BACKENDS)('loosely typed detail on %s', (kind) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine(kind);
  });
  afterAll(() => engine?.close());

  const rowsOf = async (view: string, ws: string) =>
    (await cairnRows(engine, view))
      .filter((r) => r['workspace'] === ws)
      .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, normalise(v)])))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  const snapshot = async (ws: string) => {
    const out: Record<string, Row[]> = {};
    for (const v of VIEWS) out[v] = await rowsOf(v, ws);
    return out;
  };

  it("an event with strings for numbers in another workspace breaks no view, and changes no one else's rows", async () => {
    const r = await engine.importRows('observability', items(...goodRows), {
      now: NOW,
      workspace: 'good',
    });
    expect(r.rejected).toEqual([]);
    const before = await snapshot('good');
    expect(before['analytics_messages_view']).toHaveLength(2);
    expect(before['analytics_agent_steps_view']).toHaveLength(2);

    const ingested = await engine.ingest(items(...hostile('other')), NOW);
    expect(ingested.rejected).toEqual([]);
    expect(ingested.accepted).toBe(4);

    expect(await snapshot('good')).toEqual(before);
    const messages = await rowsOf('analytics_messages_view', 'other');
    expect(
      messages.map((m) => [m['role'], m['sequence'], m['is_archived'], m['is_pinned']]).sort(),
    ).toEqual([
      ['assistant', 2, 1, 0],
      ['user', null, 0, 0],
    ]);
    // Unreadable created_at / updated_at fall back to the event's own time, as when absent.
    const chat = await rowsOf('observability_chat_messages', 'other');
    expect(chat.map((m) => [m['created_at'], m['updated_at']]).sort()).toEqual([
      [T, null],
      [T + 1, null],
    ]);
    const [step] = await rowsOf('analytics_agent_steps_view', 'other');
    expect(step).toMatchObject({ step_id: 'loose-0', sequence: 0, completed_at: null });
    expect(step!['created_at']).toBeNull();
  });
});
