import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { validateEvent } from '../../src/core/validate-event.js';
import { validationContext } from '../../src/ingest/ingest-batch.js';
import { NOW, wire } from '../support/events.js';

const ctx = validationContext(loadConfig({}), NOW);

function rejectionOf(item: unknown) {
  const r = validateEvent(item, ctx);
  if (r.ok) throw new Error(`expected a rejection, got ${JSON.stringify(r.event)}`);
  return r;
}

describe('validateEvent: bad input gets a stable code and a message naming the field', () => {
  const cases: Array<[string, unknown, string, RegExp]> = [
    ['not an object', 'hello', 'invalid_event', /JSON object/],
    ['an array', [1], 'invalid_event', /an array/],
    ['missing id', { type: 'llm_call', timestamp: NOW }, 'missing_field', /^id: required/],
    ['null id', wire({ id: null }), 'missing_field', /^id: required/],
    ['empty id', wire({ id: '' }), 'invalid_value', /^id: /],
    ['numeric id', wire({ id: 42 }), 'invalid_type', /^id: must be a string, got 42/],
    ['missing type', { id: 'x', timestamp: NOW }, 'missing_field', /^type: required/],
    [
      'unknown type',
      wire({ type: 'llm-call' }),
      'unknown_event_type',
      /^type: must be one of "llm_call".*got "llm-call"/,
    ],
    ['missing timestamp', { id: 'x', type: 'llm_call' }, 'missing_field', /^timestamp: required/],
    ['boolean timestamp', wire({ timestamp: true }), 'invalid_type', /^timestamp: /],
    [
      'unparseable timestamp',
      wire({ timestamp: 'yesterday' }),
      'invalid_timestamp',
      /^timestamp: "yesterday" is not ISO-8601/,
    ],
    [
      'timestamp without zone',
      wire({ timestamp: '2026-11-20T10:00:00' }),
      'invalid_timestamp',
      /time zone/,
    ],
    [
      'impossible date',
      wire({ timestamp: '2026-02-31T10:00:00Z' }),
      'invalid_timestamp',
      /not a real date|not ISO/,
    ],
    [
      'far future',
      wire({ timestamp: NOW + 3 * 86_400_000 }),
      'timestamp_out_of_range',
      /in the future/,
    ],
    [
      'far past',
      wire({ timestamp: '1999-01-01T00:00:00Z' }),
      'timestamp_out_of_range',
      /in the past/,
    ],
    [
      'epoch seconds',
      wire({ timestamp: Math.floor(NOW / 1000) }),
      'timestamp_out_of_range',
      /epoch seconds/,
    ],
    [
      'negative tokens',
      wire({ usage: { input_tokens: -1 } }),
      'invalid_token_count',
      /^usage\.input_tokens: must be a non-negative integer, got -1/,
    ],
    [
      'fractional tokens',
      wire({ usage: { output_tokens: 1.5 } }),
      'invalid_token_count',
      /^usage\.output_tokens: .*got 1\.5/,
    ],
    [
      'string tokens',
      wire({ usage: { reasoning_tokens: '12' } }),
      'invalid_token_count',
      /^usage\.reasoning_tokens/,
    ],
    ['negative duration', wire({ duration_ms: -5 }), 'invalid_number', /^duration_ms: /],
    ['negative cost', wire({ cost_usd: -0.01 }), 'invalid_number', /^cost_usd: /],
    [
      'non-numeric counter',
      wire({ counters: { searches: 'two' } }),
      'invalid_type',
      /^counters\.searches: must be a number/,
    ],
    [
      'unknown status',
      wire({ status: 'failed' }),
      'invalid_value',
      /^status: must be one of "ok", "error", "timeout", "cancelled"/,
    ],
    [
      'model as object',
      wire({ model: { name: 'x' } }),
      'invalid_type',
      /^model: must be a string, got an object/,
    ],
    [
      'overlong context string',
      wire({ user_id: 'u'.repeat(257) }),
      'string_too_long',
      /^user_id: must be at most 256 characters/,
    ],
    ['overlong id', wire({ id: 'i'.repeat(257) }), 'string_too_long', /^id: must be at most 256/],
    [
      'overlong message content',
      wire({ type: 'message', message: { content: 'c'.repeat(1_048_577) } }),
      'event_too_large',
      /bytes; the limit is/,
    ],
    ['error as a string', wire({ error: 'boom' }), 'invalid_type', /^error: must be an object/],
    [
      'too many tokens for a 64-bit sum',
      wire({ usage: { input_tokens: 1e10 + 1 } }),
      'invalid_token_count',
      /^usage\.input_tokens/,
    ],
    [
      'a cost beyond a million dollars',
      wire({ cost_usd: 1e6 + 1 }),
      'invalid_number',
      /^cost_usd: /,
    ],
    [
      'a duration beyond a year',
      wire({ duration_ms: 367 * 86_400_000 }),
      'invalid_number',
      /^duration_ms: /,
    ],
    [
      'a context string too long in UTF-8 bytes',
      wire({ model: '模'.repeat(121) }),
      'string_too_long',
      /^model: must be at most 360 bytes in UTF-8/,
    ],
  ];

  it.each(cases)('%s', (_name, item, code, message) => {
    const r = rejectionOf(item);
    expect(r.code).toBe(code);
    expect(r.message).toMatch(message);
  });

  it('rejects an event larger than the per-event limit', () => {
    const small = validationContext(loadConfig({ ingest: { maxEventBytes: 2_000 } }), NOW);
    const r = validateEvent(wire({ attributes: { blob: 'x'.repeat(3_000) } }), small);
    expect(r).toMatchObject({ ok: false, code: 'event_too_large' });
  });
});

describe('validateEvent: normalisation', () => {
  function accept(item: unknown) {
    const r = validateEvent(item, ctx);
    if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
    return r.event;
  }

  it('accepts ISO-8601 with offsets and epoch milliseconds alike', () => {
    expect(accept(wire({ timestamp: '2026-11-20T13:30:00+01:30' })).timestamp).toBe(
      Date.parse('2026-11-20T12:00:00Z'),
    );
    expect(accept(wire({ timestamp: '2026-11-20 12:00:00.250Z' })).timestamp).toBe(
      Date.parse('2026-11-20T12:00:00.250Z'),
    );
    expect(accept(wire({ timestamp: NOW - 1 })).timestamp).toBe(NOW - 1);
  });

  it('keeps unknown fields in attributes instead of rejecting them', () => {
    const e = accept(wire({ temperature: 0.2, tags: ['a'], attributes: { team: 'core' } }));
    expect(e.attributes).toEqual({ temperature: 0.2, tags: ['a'], team: 'core' });
  });

  it('defaults status from the presence of an error, workspace from the context, tokens to 0', () => {
    const failed = accept(
      wire({ error: { type: 'Timeout', code: 'ETIMEDOUT', message: 'slow' }, usage: undefined }),
    );
    expect(failed).toMatchObject({
      status: 'error',
      workspace: 'default',
      error_code: 'ETIMEDOUT',
      input_tokens: 0,
      reasoning_tokens: 0,
    });
    expect(accept(wire({ status: 'timeout' })).status).toBe('timeout');
    expect(accept(wire({})).status).toBe('ok');
  });

  it('splits a message into role (name), content and the rest of the per-type object', () => {
    const e = accept(
      wire({
        type: 'message',
        message: { role: 'user', content: [{ type: 'text', text: 'hi' }], pinned: true },
      }),
    );
    expect(e).toMatchObject({
      name: 'user',
      content: '[{"type":"text","text":"hi"}]',
      detail: { pinned: true },
    });
  });

  it('promotes the per-type name of each type', () => {
    expect(
      accept(wire({ type: 'activity', activity: { name: 'page_view', page: '/home' } })),
    ).toMatchObject({ name: 'page_view', detail: { page: '/home' } });
    expect(
      accept(
        wire({
          type: 'tool_call',
          tool: 'search',
          tool_call: { method: 'tools/call', request_id: 7 },
        }),
      ),
    ).toMatchObject({ name: 'tools/call', tool: 'search', detail: { request_id: 7 } });
    expect(accept(wire({ type: 'session', session: { action: 'start' } })).name).toBe('start');
    expect(
      accept(wire({ type: 'feedback', feedback: { name: 'thumbs', score: 1 } })),
    ).toMatchObject({ name: 'thumbs', detail: { score: 1 } });
  });

  it("keeps another type's object in attributes", () => {
    const e = accept(wire({ type: 'llm_call', message: { role: 'user', content: 'x' } }));
    expect(e.detail).toBeNull();
    expect(e.attributes).toEqual({ message: { role: 'user', content: 'x' } });
  });

  it('a tool result with isError is a failed call unless the event says otherwise', () => {
    const result = { isError: true, content: [{ type: 'text', text: 'no such file' }] };
    expect(
      accept(
        wire({ type: 'tool_call', tool: 'read_file', tool_call: { method: 'tools/call', result } }),
      ),
    ).toMatchObject({ status: 'error', error_type: 'tool_error' });
    expect(
      accept(wire({ type: 'tool_call', tool: 'read_file', status: 'ok', tool_call: { result } })),
    ).toMatchObject({ status: 'ok' });
    expect(
      accept(
        wire({
          type: 'tool_call',
          tool: 'x',
          error: { type: 'McpError', code: -32602 },
          tool_call: { result },
        }),
      ),
    ).toMatchObject({ error_type: 'McpError', error_code: '-32602' });
    expect(
      accept(wire({ type: 'tool_call', tool: 'x', tool_call: { result: { isError: false } } })),
    ).toMatchObject({ status: 'ok', error_type: null });
  });

  it('replaces U+0000 and lone surrogates (which PostgreSQL cannot store) with U+FFFD', () => {
    const e = accept(
      wire({ id: 'x\ud800', app: 'a\u0000b\udc00', attributes: { k: 'ok 👋 \ud83d' } }),
    );
    expect(e).toMatchObject({
      id: 'x\ufffd',
      app: 'a\ufffdb\ufffd',
      attributes: { k: 'ok 👋 \ufffd' },
    });
    expect(accept(wire({ app: 'literal \\u0000 text' })).app).toBe('literal \\u0000 text');
  });

  it('stores a reported cost as integer nano-dollars', () => {
    expect(accept(wire({ cost_usd: 0.0000015 }))).toMatchObject({
      cost_nanos: 1_500,
      cost_source: 'reported',
    });
  });
});
