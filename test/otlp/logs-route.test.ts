import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CairnEvent } from '../../src/core/event.js';
import type { Engine } from '../../src/engine.js';
import { decodeJsonLogsRequest } from '../../src/ingest/otlp/otlp-json.js';
import { decodeExportLogsRequest } from '../../src/ingest/otlp/protobuf-logs.js';
import { createApp } from '../../src/server/app.js';
import { openTestEngine, postgresAvailable, type BackendName } from '../support/databases.js';
import { emitConversation, EXPECTED } from './log-conversation.js';
import { logsHarness } from './otel-logs.js';
import { hexId, keyValues } from './otlp-json-request.js';

/**
 * POST /v1/logs through app.request, on every backend: the conversation's records sent with the
 * SDK's own serializers (JSON, gzip, protobuf), idempotency across requests and encodings,
 * partial success, whole-request errors; and the protobuf decoder against the JSON one.
 */
// PostgreSQL when a server answers, else PGlite (the same dialect, in process; slower to open).
const backends: BackendName[] = ['sqlite', (await postgresAvailable()) ? 'postgres' : 'pglite'];

function post(engine: Engine, body: Uint8Array | string, type: string, headers = {}) {
  return createApp(engine).request('/v1/logs', {
    method: 'POST',
    headers: { 'content-type': type, ...headers },
    body,
  });
}

/** The conversation's records, recorded in memory; `workspace` goes on the resource. */
function conversationRecords(workspace: string) {
  const h = logsHarness('json', null, {
    'service.name': 'weather-bot',
    'cairn.workspace': workspace,
  });
  const conv = emitConversation(h, `conv-${workspace}`, 'u-7');
  return { conv, records: h.records() };
}

const summary = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

const contentOf = (e: CairnEvent) =>
  e.content !== null && e.content.startsWith('[') ? JSON.parse(e.content) : e.content;

/** Stored messages in conversation order (the details record's two share a time; input first). */
async function messages(engine: Engine, workspace: string) {
  const events = await engine.store.listEvents({ workspace });
  events.sort((a, b) => a.timestamp - b.timestamp || a.id.localeCompare(b.id));
  return events.map((e) => ({ role: e.name, content: contentOf(e) }));
}

const expected = EXPECTED.map((m) => ({ role: m.role, content: m.content }));

/** A hand-built OTLP/JSON log record (for what the SDK cannot send). */
function jsonRecord(r: {
  eventName?: string;
  body?: unknown;
  attributes?: Record<string, unknown>;
  traceId?: string;
  spanId?: string;
  timeMs?: number | null;
}) {
  return {
    timeUnixNano:
      r.timeMs === null ? undefined : String(BigInt(r.timeMs ?? Date.now() - 1000) * 1_000_000n),
    eventName: r.eventName ?? 'gen_ai.user.message',
    body: r.body === undefined ? undefined : keyValues({ b: r.body })[0]!.value,
    attributes: keyValues(r.attributes ?? {}),
    traceId: r.traceId ?? '',
    spanId: r.spanId ?? '',
  };
}

function jsonLogsRequest(records: unknown[], workspace: string) {
  return JSON.stringify({
    resourceLogs: [
      {
        resource: { attributes: keyValues({ 'cairn.workspace': workspace }) },
        scopeLogs: [{ scope: { name: 'test' }, logRecords: records }],
      },
    ],
  });
}

describe.each(backends)('POST /v1/logs on %s', (backend) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine(backend);
  });
  afterAll(() => engine.close());

  it('gzip JSON: stores the conversation, skips the rest; protobuf resend is all duplicates', async () => {
    const { conv, records } = conversationRecords('route-a');
    const json = JsonLogsSerializer.serializeRequest(records)!;
    const res = await post(engine, gzipSync(json), 'application/json', {
      'content-encoding': 'gzip',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    const base = {
      // every record of the script: its message events and one plain log line
      records: conv.records + 1,
      messages: 7,
      duplicates: 0,
      skipped_not_message: 1,
      skipped_no_content: 2,
      rejected: 0,
    };
    expect(res.headers.get('cairn-otlp-logs')).toBe(summary(base));
    expect(await messages(engine, 'route-a')).toEqual(expected);
    // The same records in the other encoding get the same ids: nothing new is stored.
    const again = await post(
      engine,
      ProtobufLogsSerializer.serializeRequest(records)!,
      'application/x-protobuf',
    );
    expect(again.status).toBe(200);
    expect(again.headers.get('content-type')).toBe('application/x-protobuf');
    expect((await again.arrayBuffer()).byteLength).toBe(0);
    expect(again.headers.get('cairn-otlp-logs')).toBe(
      summary({ ...base, messages: 0, duplicates: 7 }),
    );
    expect(await engine.store.listEvents({ workspace: 'route-a' })).toHaveLength(7);
  });

  it('a call’s records split across two requests keep distinct ids: nothing is lost', async () => {
    const { records } = conversationRecords('route-b');
    // Cut after call 2's tool message, before its choice.
    for (const part of [records.slice(0, 7), records.slice(7)]) {
      const res = await post(
        engine,
        JsonLogsSerializer.serializeRequest(part)!,
        'application/json',
      );
      expect(res.status).toBe(200);
    }
    expect(await messages(engine, 'route-b')).toEqual(expected);
  });

  it('partial success (JSON): invalid records are rejected, the good ones stored', async () => {
    const [traceId, spanId] = [hexId(16), hexId(8)];
    const body = jsonLogsRequest(
      [
        jsonRecord({ body: { content: 'kept' }, traceId, spanId }),
        // An invalid trace id means "no trace": the record is stored outside any trace.
        jsonRecord({ body: { content: 'short trace id' }, traceId: 'abcd', spanId }),
        jsonRecord({ body: { content: 'no time' }, timeMs: null }),
        jsonRecord({
          body: { content: 'long session' },
          attributes: { 'session.id': 'x'.repeat(300) },
        }),
        jsonRecord({ eventName: '', body: 'a plain log line' }),
      ],
      'route-c',
    );
    const res = await post(engine, body, 'application/json');
    expect(res.status).toBe(200);
    const out = (await res.json()) as {
      partialSuccess: { rejectedLogRecords: number; errorMessage: string };
    };
    expect(out.partialSuccess.rejectedLogRecords).toBe(2);
    expect(out.partialSuccess.errorMessage).not.toMatch(/trace_id/);
    expect(out.partialSuccess.errorMessage).toMatch(
      /no time_unix_nano nor observed_time_unix_nano/,
    );
    expect(out.partialSuccess.errorMessage).toMatch(/string_too_long: session_id/);
    const stored = await engine.store.listEvents({ workspace: 'route-c' });
    stored.sort((a, b) => a.id.localeCompare(b.id));
    expect(stored.map((e) => [e.name, e.content, e.trace_id, e.parent_id])).toEqual([
      ['user', 'kept', traceId, `${traceId}:${spanId}`],
      ['user', 'short trace id', null, null],
    ]);
  });

  it('all-zero or wrong-length ids mean "no trace": the records are stored, not rejected', async () => {
    const [traceId, spanId] = [hexId(16), hexId(8)];
    const zeroTrace = '0'.repeat(32);
    const zeroSpan = '0'.repeat(16);
    const body = jsonLogsRequest(
      [
        jsonRecord({ body: { content: 'zero ids' }, traceId: zeroTrace, spanId: zeroSpan }),
        jsonRecord({ body: { content: 'zero trace' }, traceId: zeroTrace, spanId }),
        jsonRecord({ body: { content: 'span only' }, spanId }),
        jsonRecord({ body: { content: 'zero span' }, traceId, spanId: zeroSpan }),
        jsonRecord({ body: { content: 'short span' }, traceId, spanId: 'abcd' }),
      ],
      'route-ids',
    );
    const res = await post(engine, body, 'application/json');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect(res.headers.get('cairn-otlp-logs')).toMatch(/records=5; messages=5; .*rejected=0$/);
    const stored = await engine.store.listEvents({ workspace: 'route-ids' });
    const rows = stored.map((e) => [e.content, e.trace_id, e.parent_id, e.id.split(':').length]);
    rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(rows).toEqual([
      ['short span', traceId, null, 3],
      ['span only', null, null, 2],
      ['zero ids', null, null, 2],
      ['zero span', traceId, null, 3],
      ['zero trace', null, null, 2],
    ]);
  });

  it('a per-message string body that parses as JSON but is no message map is the content', async () => {
    const body = jsonLogsRequest(
      [
        jsonRecord({ body: '{"a": 1}' }),
        jsonRecord({ body: '[1,2]' }),
        jsonRecord({ body: '{"content": "from a JSON body", "role": "user"}' }),
        jsonRecord({ eventName: 'gen_ai.tool.message', body: '{}' }),
      ],
      'route-json-text',
    );
    const res = await post(engine, body, 'application/json');
    expect(res.status).toBe(200);
    expect(res.headers.get('cairn-otlp-logs')).toMatch(
      /records=4; messages=4; .*skipped_no_content=0; rejected=0$/,
    );
    const stored = await engine.store.listEvents({ workspace: 'route-json-text' });
    const rows = stored.map((e) => [e.name, e.content]);
    rows.sort((a, b) => String(a[1]).localeCompare(String(b[1])));
    expect(rows).toEqual([
      ['user', '[1,2]'],
      ['user', '{"a": 1}'],
      ['tool', '{}'],
      ['user', 'from a JSON body'],
    ]);
  });

  it('records outside any span are each a message of their own, assistant turns included', async () => {
    const body = jsonLogsRequest(
      [
        jsonRecord({ eventName: 'gen_ai.user.message', body: { content: 'hello' } }),
        jsonRecord({ eventName: 'gen_ai.assistant.message', body: { content: 'hi there' } }),
        jsonRecord({ eventName: 'gen_ai.user.message', body: { content: 'bye' } }),
      ],
      'route-no-span',
    );
    const res = await post(engine, body, 'application/json');
    expect(res.headers.get('cairn-otlp-logs')).toMatch(/records=3; messages=3; /);
    const stored = await engine.store.listEvents({ workspace: 'route-no-span' });
    expect(stored.map((e) => [e.name, e.content]).sort()).toEqual([
      ['assistant', 'hi there'],
      ['user', 'bye'],
      ['user', 'hello'],
    ]);
  });

  it('partial success (protobuf): the answer is an encoded ExportLogsServiceResponse', async () => {
    const h = logsHarness('proto', null, { 'cairn.workspace': 'route-d' });
    const at = Date.now() - 1000;
    h.emit({ eventName: 'gen_ai.user.message', body: { content: 'fine' }, timestampMs: at });
    h.emit({
      eventName: 'gen_ai.user.message',
      body: { content: 'bad' },
      attributes: { 'user.id': 'u'.repeat(300) },
      timestampMs: at,
    });
    const res = await post(
      engine,
      ProtobufLogsSerializer.serializeRequest(h.records())!,
      'application/x-protobuf',
    );
    expect(res.status).toBe(200);
    const decoded = ProtobufLogsSerializer.deserializeResponse(
      new Uint8Array(await res.arrayBuffer()),
    );
    expect(Number(decoded.partialSuccess?.rejectedLogRecords)).toBe(1);
    expect(decoded.partialSuccess?.errorMessage).toMatch(
      /"gen_ai.user.message"\): string_too_long: user_id/,
    );
    const stored = await engine.store.listEvents({ workspace: 'route-d' });
    expect(stored.map((e) => [e.name, e.content, e.trace_id, e.timestamp])).toEqual([
      ['user', 'fine', null, at],
    ]);
  });
});

describe('POST /v1/logs: whole-request errors', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine('sqlite');
  });
  afterAll(() => engine.close());

  it.each([
    ['a truncated message', Uint8Array.from([0x0a, 0x05, 0x0a])],
    ['an unsupported wire type', Uint8Array.from([0x0b])],
    [
      'a log record time as a varint',
      Uint8Array.from([0x0a, 0x06, 0x12, 0x04, 0x12, 0x02, 0x08, 0x01]),
    ],
  ])('malformed protobuf (%s) → 400 malformed_body', async (_, bytes) => {
    const res = await post(engine, bytes, 'application/x-protobuf');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('malformed_body');
    expect(body.error.message).toMatch(/not a valid OTLP protobuf ExportLogsServiceRequest: \S/);
  });

  it.each([
    ['not JSON', '{"resourceLogs": [', /not valid JSON/],
    ['resourceLogs not an array', '{"resourceLogs": 5}', /resourceLogs: must be an array/],
    ['a bad span id', jsonLogsRequest([{ spanId: 'zz!' }], 'x'), /spanId: must be hex/],
    [
      'an unknown severity',
      jsonLogsRequest([{ severityNumber: 'LOUD' }], 'x'),
      /unknown enum value "LOUD"/,
    ],
  ])('malformed JSON (%s) → 400 malformed_body naming the problem', async (_, text, problem) => {
    const res = await post(engine, text, 'application/json');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('malformed_body');
    expect(body.error.message).toMatch(/not a valid OTLP JSON ExportLogsServiceRequest/);
    expect(body.error.message).toMatch(problem);
  });

  it('another content type → 415 unsupported_media_type naming the route', async () => {
    const res = await post(engine, '{}', 'text/plain');
    expect(res.status).toBe(415);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('unsupported_media_type');
    expect(body.error.message).toMatch(
      /on \/v1\/logs; send OTLP as application\/x-protobuf or application\/json/,
    );
  });
});

describe('log decoders', () => {
  it('decode the protobuf and the JSON encoding of the same records to the same request', () => {
    const { records } = conversationRecords('decoders');
    const fromProto = decodeExportLogsRequest(ProtobufLogsSerializer.serializeRequest(records)!);
    const json = new TextDecoder().decode(JsonLogsSerializer.serializeRequest(records)!);
    expect(decodeJsonLogsRequest(json)).toEqual(fromProto);
    const logRecords = fromProto.resourceLogs[0]!.scopeLogs[0]!.logRecords;
    expect(logRecords).toHaveLength(records.length);
    // Checked against the SDK's own record: names, span ids and nanosecond times survive.
    records.forEach((r, i) => {
      const [s, ns] = r.hrTime;
      expect(logRecords[i]).toMatchObject({
        eventName: r.eventName ?? '',
        spanId: r.spanContext?.spanId ?? '',
        timeUnixNano: (BigInt(s) * 1_000_000_000n + BigInt(ns)).toString(),
      });
    });
  });
});
