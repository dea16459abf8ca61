import { describe, expect, it } from 'vitest';
import { observabilityToEvents } from '../../../src/seeds/observability/event-row.js';
import { messageToEvent } from '../../../src/seeds/observability/message-row.js';

/** The pure row → event mapping: ids, revisions, step timing and token attribution. */
const T = Date.parse('2026-11-20T09:00:00Z');

const row = (overrides: Record<string, unknown> = {}) => ({
  event_id: 'e-1',
  status: 'success',
  triggered_at: T,
  completed_at: T + 10_000,
  agents: [
    { name: 'router', duration_ms: 1_000, input_tokens: 10 },
    {
      name: 'orchestrator',
      duration_ms: 5_000,
      input_tokens: 20,
      workers: [
        { name: 'w1', duration_ms: 2_000, input_tokens: 3 },
        { name: 'w2', duration_ms: 1_500, input_tokens: 4 },
      ],
    },
  ],
  input_tokens: 100,
  ...overrides,
});

describe('observability_events → events', () => {
  it('revision grows as a run moves on: pending < processing < finished < edited later', () => {
    const rev = (o: Record<string, unknown>) => observabilityToEvents(row(o), 'w')[0]!['revision'];
    const revisions = [
      rev({ status: 'pending', completed_at: null }),
      rev({ status: 'processing', completed_at: null }),
      rev({ status: 'success' }),
      rev({ status: 'success', updated_at: T + 60_000 }),
    ] as number[];
    expect([...revisions].sort((a, b) => a - b)).toEqual(revisions);
    expect(new Set(revisions).size).toBe(4);
  });

  it('chains steps in order, workers from their parent’s start, with stable ids and parents', () => {
    const [run, ...steps] = observabilityToEvents(row(), 'w');
    expect(run).toMatchObject({ id: 'observability_events:e-1', trace_id: 'e-1', agent: 'router' });
    expect(steps.map((s) => [s['id'], s['parent_id'], (s['timestamp'] as number) - T])).toEqual([
      ['observability_events:e-1:0', 'observability_events:e-1', 0],
      ['observability_events:e-1:1', 'observability_events:e-1', 1_000],
      ['observability_events:e-1:1.0', 'observability_events:e-1:1', 1_000],
      ['observability_events:e-1:1.1', 'observability_events:e-1:1', 3_000],
    ]);
    expect(steps.map((s) => (s['agent_step'] as { step_id: string }).step_id)).toEqual([
      'e-1-0',
      'e-1-1',
      'e-1-1-0',
      'e-1-1-1',
    ]);
  });

  it('the run keeps only the tokens its agents do not account for (100 − 10 − 20 − 3 − 4)', () => {
    const [run] = observabilityToEvents(row(), 'w');
    expect(run!['usage']).toMatchObject({ input_tokens: 63 });
    expect(run!['agent_run']).toMatchObject({ input_tokens: 100, status: 'success' });
  });
});

describe('chat_messages → event', () => {
  it('maps the seed columns and keeps unknown ones as attributes', () => {
    const e = messageToEvent(
      {
        id: 12,
        session_id: 'telegram:9',
        role: 'user',
        content: 'hi',
        timestamp: T,
        is_pinned: 1,
        updated_at: T + 5,
        cached_tokens: 4,
        reply_to: 11,
      },
      'w',
    );
    expect(e).toMatchObject({
      id: 'chat_messages:12',
      revision: T + 5,
      platform: 'telegram',
      user_id: '9',
      usage: { cache_read_tokens: 4 },
      message: { role: 'user', pinned: true, archived: false, visibility: 'private', row_id: 12 },
      attributes: { reply_to: 11 },
    });
    expect((e['message'] as { message_id: string }).message_id).toMatch(/^[0-9a-f]{32}$/);
  });
});
