import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine.js';
import { createApp } from '../../../src/server/app.js';
import { parseRow } from '../../../src/seeds/chat-telemetry/row-schema.js';
import { openTestEngine } from '../../support/databases.js';
import { items } from '../../support/events.js';

const NOW = Date.now();
const good = (over: Record<string, unknown> = {}) => ({
  id: 'row-1',
  domain: 'shop.example.com',
  model: 'gpt-4o-mini',
  input_tokens: 1200,
  output_tokens: 300,
  success: true,
  created_at: new Date(NOW - 3_600_000).toISOString(),
  ...over,
});

describe('parseRow', () => {
  it.each([
    [{ id: undefined }, 'missing_field', /^id: required/],
    [{ domain: '' }, 'missing_field', /^domain: required/],
    [{ created_at: null }, 'missing_field', /^created_at: required/],
    [{ domain: 42 }, 'invalid_type', /^domain:/],
    [{ success: 'yes' }, 'invalid_type', /^success:/],
    [{ input_tokens: -5 }, 'invalid_token_count', /^input_tokens:/],
    [{ output_tokens: 2.5 }, 'invalid_token_count', /^output_tokens:/],
    [{ total_tokens: 1000 }, 'invalid_token_count', /^total_tokens: 1000 is not .*\(1500\)/],
    [{ cost_usd: -0.01 }, 'invalid_number', /^cost_usd:/],
    [{ duration_ms: 'slow' }, 'invalid_type', /^duration_ms:/],
    [{ search_count: -1 }, 'invalid_number', /^search_count:/],
    [{ model: 'm'.repeat(300) }, 'string_too_long', /^model:/],
    [{ id: 'i'.repeat(201) }, 'string_too_long', /^id:/],
    [{ id: -3 }, 'invalid_type', /^id:/],
  ])('refuses %j with %s naming the column', (over, code, message) => {
    const r = parseRow(good(over));
    expect(r).toMatchObject({ ok: false, code });
    expect(!r.ok && r.message).toMatch(message);
  });

  it('reads PostgreSQL export conventions: numeric strings and a short UTC offset', () => {
    const r = parseRow(
      good({
        id: 17,
        input_tokens: '1200',
        cost_usd: '0.000420',
        total_tokens: '1500',
        created_at: '2026-11-20 10:00:00.123+00',
        session_id: '',
        search_count: 2,
        conversation_id: 'c-9',
      }),
    );
    expect(r).toMatchObject({
      ok: true,
      row: {
        id: '17',
        input_tokens: 1200,
        cost_usd: 0.00042,
        session_id: null,
        search_count: 2,
        iteration_count: null,
        created_at: '2026-11-20 10:00:00.123+00:00',
        extra: { conversation_id: 'c-9' },
      },
    });
  });

  it('counts a row with an error message and no success flag as a failure', () => {
    expect(parseRow(good({ success: undefined, error_message: 'rate limited' }))).toMatchObject({
      ok: true,
      row: { success: false },
    });
    expect(parseRow(good({ success: undefined }))).toMatchObject({
      ok: true,
      row: { success: true },
    });
  });
});

describe('importing chat_telemetry rows', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine('sqlite');
  });
  afterAll(() => engine.close());

  it('stores the good rows of a batch and reports each bad one by its position', async () => {
    const batch = items(
      { table: 'chat_telemetry', ...good({ id: 'a' }) },
      { table: 'chat_telemetry', ...good({ id: 'b', total_tokens: 7 }) },
      { table: 'chat_telemetry_rollups', ...good({ id: 'c' }) },
      { table: 'chat_telemetry', ...good({ id: 'd', created_at: NOW + 3 * 86_400_000 }) },
      { table: 'chat_telemetry', ...good({ id: 'e', cost_usd: 5_000_000 }) },
      { table: 'chat_telemetry', ...good({ id: 'f', success: false, error_message: 'boom' }) },
      { table: 'chat_telemetry', ...good({ id: 'f', success: true }) },
    );
    const r = await engine.importRows('chat-telemetry', batch, { now: NOW });
    expect(r).toMatchObject({ rows: 7, accepted: 2, duplicates: 0 });
    expect(r.rejected.map((x) => [x.index, x.id, x.code])).toEqual([
      [1, 'b', 'invalid_token_count'],
      [2, null, 'unknown_table'],
      [3, 'd', 'timestamp_out_of_range'],
      [4, 'e', 'invalid_number'],
      [6, 'f', 'duplicate_in_batch'],
    ]);
    // The pipeline's own checks are reported under the seed's column names.
    expect(r.rejected[2]!.message).toMatch(/^created_at: /);
    expect(r.rejected[3]!.message).toMatch(/^cost_usd: /);
    const stored = await engine.store.reader
      .selectFrom('events')
      .select(['id', 'status', 'error_message'])
      .orderBy('id')
      .execute();
    expect(stored).toEqual([
      { id: 'chat_telemetry:a', status: 'ok', error_message: null },
      { id: 'chat_telemetry:f', status: 'error', error_message: 'boom' },
    ]);
  });

  it('answers POST /v1/import/chat-telemetry with 207 and per-row results', async () => {
    const app = createApp(engine);
    const body = [good({ id: 'g' }), good({ id: 'h', domain: null })].map((v) =>
      JSON.stringify({ table: 'chat_telemetry', ...v }),
    );
    const res = await app.request('/v1/import/chat-telemetry', {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: body.join('\n'),
    });
    expect(res.status).toBe(207);
    expect(await res.json()).toMatchObject({
      rows: 2,
      accepted: 1,
      rejected: [{ index: 1, id: 'h', code: 'missing_field', message: 'domain: required' }],
    });
  });
});
