import { status, type ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CairnEvent } from '../../src/core/event.js';
import type { Engine } from '../../src/engine.js';
import { LOGS_EXPORT_PATH } from '../../src/ingest/otlp/grpc-server.js';
import type { SessionResult } from '../../src/query/sessions.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { openTestEngine } from '../support/databases.js';
import { emitConversation, EXPECTED, type Conversation } from './log-conversation.js';
import { rawTraceClient } from './otel-grpc.js';
import { logsHarness, type LogExporterKind, type LogsHarness } from './otel-logs.js';

/**
 * The real OpenTelemetry JS logs SDK (LoggerProvider + BatchLogRecordProcessor + the OTLP log
 * exporters: HTTP JSON, HTTP protobuf, gRPC) sending a GenAI conversation to a real listening
 * Cairn server; the stored message events and the session timeline are checked against the
 * conversation's script, and a re-export must change nothing.
 */
let engine: Engine;
let server: RunningServer;
beforeAll(async () => {
  engine = await openTestEngine('sqlite', { server: { otlpGrpcPort: 0 } });
  server = await startServer(engine, { host: '127.0.0.1', port: 0 });
});
afterAll(() => server.close());

const urlOf = (kind: LogExporterKind) =>
  kind === 'grpc' ? `http://127.0.0.1:${server.otlpGrpcPort}` : `${server.url}/v1/logs`;

/** Content as stored: structured content is JSON text. */
const contentOf = (e: { content: string | null }) =>
  e.content !== null && e.content.startsWith('[') ? JSON.parse(e.content) : e.content;

describe.each<LogExporterKind>(['json', 'proto', 'grpc'])('OTLPLogExporter (%s)', (kind) => {
  const workspace = `otel-logs-${kind}`;
  let h: LogsHarness;
  let conv: Conversation;
  let stored: CairnEvent[];

  beforeAll(async () => {
    h = logsHarness(kind, urlOf(kind), {
      'service.name': 'weather-bot',
      'deployment.environment': 'staging',
      'cairn.workspace': workspace,
    });
    conv = emitConversation(h, `conv-${kind}`, 'u-7');
    await h.flush();
    // Conversation order; the two messages of the details record share a time, input first.
    stored = (await engine.store.listEvents({ workspace })).sort(
      (a, b) => a.timestamp - b.timestamp || byId(a, b),
    );
  });
  afterAll(() => h.shutdown());

  it('stores each message of the conversation once, in order, with role and content', () => {
    expect(stored.map((e) => ({ type: e.type, role: e.name, content: contentOf(e) }))).toEqual(
      EXPECTED.map((m) => ({ type: 'message', role: m.role, content: m.content })),
    );
  });

  it('puts every message in its call’s span and trace, its session, user and resource context', () => {
    expect(stored).toHaveLength(EXPECTED.length);
    stored.forEach((e, i) => {
      const span = conv.spans[EXPECTED[i]!.span];
      expect(e).toMatchObject({
        trace_id: conv.traceId,
        parent_id: `${conv.traceId}:${span}`,
        session_id: conv.sessionId,
        user_id: 'u-7',
        app: 'weather-bot',
        environment: 'staging',
      });
      expect(e.id.startsWith(`${conv.traceId}:${span}:log-`)).toBe(true);
    });
    // The inference.operation.details record names its model; the older events do not.
    expect(stored.map((e) => e.model)).toEqual([
      ...Array<null>(5).fill(null),
      'gpt-4o-mini-2024-07-18',
      'gpt-4o-mini-2024-07-18',
    ]);
  });

  it('GET /v1/session shows the conversation as one timeline', async () => {
    const query = new URLSearchParams({ session_id: conv.sessionId, workspace });
    const res = await fetch(`${server.url}/v1/session?${query}`);
    const timeline = (await res.json()) as SessionResult;
    expect(timeline.events.map((e) => [e.role, contentOf(e)])).toEqual(
      EXPECTED.map((m) => [m.role, m.content]),
    );
  });

  it('a re-export of the same records succeeds and stores nothing new', async () => {
    const records = h.records();
    expect(records).toHaveLength(conv.records + 1);
    const before = (await engine.store.listEvents({ workspace })).sort(byId);
    expect(before).toHaveLength(EXPECTED.length);
    expect(await h.resend(records)).toBe(0);
    expect((await engine.store.listEvents({ workspace })).sort(byId)).toEqual(before);
  });
});

const byId = (a: CairnEvent, b: CairnEvent) => a.id.localeCompare(b.id);

describe('OTLP/gRPC LogsService raw calls', () => {
  it.each([
    ['a truncated message', [0x0a, 0x05, 0x0a]],
    ['an unsupported wire type', [0x0b]],
    ['a log record time as a varint', [0x0a, 0x06, 0x12, 0x04, 0x12, 0x02, 0x08, 0x01]],
  ])('garbage (%s) → INVALID_ARGUMENT naming the problem', async (_, bytes) => {
    const client = rawTraceClient(server.otlpGrpcPort!, LOGS_EXPORT_PATH);
    const err = (await client
      .export(Uint8Array.from(bytes))
      .catch((e: unknown) => e)) as ServiceError;
    client.close();
    expect(err.code).toBe(status.INVALID_ARGUMENT);
    expect(err.details).toMatch(/not a valid OTLP protobuf ExportLogsServiceRequest: \S/);
  });
});
