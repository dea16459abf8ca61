import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { decodeJsonTraceRequest } from '../../src/ingest/otlp/otlp-json.js';
import {
  decodeExportTraceRequest,
  encodeExportTraceResponse,
  OtlpDecodeError,
} from '../../src/ingest/otlp/protobuf.js';
import { otelHarness, SpanKind, SpanStatusCode } from './otel-sdk.js';

/**
 * The protobuf decoder on bytes made by the real exporter's serializer: decoding the protobuf
 * encoding and the JSON encoding of the same spans must give the same request.
 */
function sdkSpans() {
  const h = otelHarness('proto', null, {
    'service.name': 'decoder-test',
    'host.cpu.count': 8,
    'process.ratio': 0.5,
    'feature.flags': ['a', 'b'],
  });
  const parent = h.span(
    'invoke_agent',
    { 'gen_ai.operation.name': 'invoke_agent' },
    { startMs: 1_763_000_000_123 },
  );
  const child = h.span(
    'chat',
    {
      'gen_ai.usage.input_tokens': 1200,
      'big.int': 2 ** 40,
      'neg.int': -7,
      ratio: 0.25,
      ok: true,
      'gen_ai.response.finish_reasons': ['stop', 'length'],
      counts: [1, 2, 3],
      'utf8.text': 'Grüße, 東京 🚀',
    },
    { kind: SpanKind.CLIENT, parent },
  );
  child.addEvent('gen_ai.choice', { index: 0, finish_reason: 'stop' });
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
  child.end();
  parent.end();
  return h.memory.getFinishedSpans();
}

describe('protobuf decoder', () => {
  const spans = sdkSpans();
  const fromProto = decodeExportTraceRequest(ProtobufTraceSerializer.serializeRequest(spans)!);
  const fromJson = decodeJsonTraceRequest(
    new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans)),
  );

  it('decodes the exporter protobuf to the same shape as its OTLP/JSON', () => {
    expect(fromProto).toEqual(fromJson);
  });

  it('produces hex ids, string nanos, kinds, status, attributes of every scalar type and arrays', () => {
    const scope = fromProto.resourceSpans[0]!.scopeSpans[0]!;
    const [chat, agent] = scope.spans;
    expect(scope.scope).toEqual({ name: 'cairn-otlp-test', version: '1.0.0' });
    expect(chat!.traceId).toBe(spans[0]!.spanContext().traceId);
    expect(chat!.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(chat!.parentSpanId).toBe(agent!.spanId);
    expect(agent!.parentSpanId).toBe('');
    expect(agent!.startTimeUnixNano).toBe('1763000000123000000');
    expect(chat!.kind).toBe(3);
    expect(chat!.status).toEqual({ code: 2, message: 'boom' });
    const attr = (key: string) => chat!.attributes.find((a) => a.key === key)?.value;
    expect(attr('big.int')).toEqual({ intValue: String(2 ** 40) });
    expect(attr('neg.int')).toEqual({ intValue: '-7' });
    expect(attr('ratio')).toEqual({ doubleValue: 0.25 });
    expect(attr('ok')).toEqual({ boolValue: true });
    expect(attr('utf8.text')).toEqual({ stringValue: 'Grüße, 東京 🚀' });
    expect(attr('counts')).toEqual({
      arrayValue: { values: [{ intValue: '1' }, { intValue: '2' }, { intValue: '3' }] },
    });
    expect(chat!.events[0]).toMatchObject({
      name: 'gen_ai.choice',
      attributes: [{ key: 'index', value: { intValue: '0' } }, expect.anything()],
    });
    const resource = fromProto.resourceSpans[0]!.resource.attributes;
    expect(resource).toContainEqual({ key: 'process.ratio', value: { doubleValue: 0.5 } });
  });

  it('decodes kvlist and bytes values (hand-encoded: the SDK API cannot make them)', () => {
    // KeyValue{key:"m", value: AnyValue{kvlist_value: KeyValueList{values:[KeyValue{key:"k", value:{bytes_value: 0x01ff}}]}}}
    const inner = [0x0a, 0x01, 0x6b, 0x12, 0x04, 0x3a, 0x02, 0x01, 0xff]; // KeyValue k → bytes
    const kvlist = [0x0a, inner.length, ...inner]; // KeyValueList.values
    const any = [0x32, kvlist.length, ...kvlist]; // AnyValue.kvlist_value (field 6)
    const kv = [0x0a, 0x01, 0x6d, 0x12, any.length, ...any];
    const resource = [0x0a, kv.length, ...kv]; // Resource.attributes
    const rs = [0x0a, resource.length, ...resource]; // ResourceSpans.resource
    const req = Uint8Array.from([0x0a, rs.length, ...rs]);
    const decoded = decodeExportTraceRequest(req);
    expect(decoded.resourceSpans[0]!.resource.attributes).toEqual([
      {
        key: 'm',
        value: { kvlistValue: { values: [{ key: 'k', value: { bytesValue: 'Af8=' } }] } },
      },
    ]);
  });

  it('rejects truncated and corrupt input with a reason', () => {
    const good = ProtobufTraceSerializer.serializeRequest(spans)!;
    expect(() => decodeExportTraceRequest(good.subarray(0, good.length - 3))).toThrow(
      OtlpDecodeError,
    );
    expect(() => decodeExportTraceRequest(Uint8Array.from([0x0a, 0x80]))).toThrow(/truncated/);
    expect(() => decodeExportTraceRequest(Uint8Array.from([0x0f]))).toThrow(/wire type 7/);
  });

  it('encodes responses the exporter can read', () => {
    expect(encodeExportTraceResponse({})).toHaveLength(0);
    const bytes = encodeExportTraceResponse({
      partialSuccess: { rejectedSpans: 300, errorMessage: 'bad span' },
    });
    const back = ProtobufTraceSerializer.deserializeResponse(bytes);
    expect(Number(back.partialSuccess?.rejectedSpans)).toBe(300);
    expect(back.partialSuccess?.errorMessage).toBe('bad span');
  });
});
