import { describe, expect, it } from 'vitest';
import type { RawItem } from '../../src/ingest/raw-item.js';
import { attrsOf } from '../../src/ingest/otlp/attributes.js';
import { ingestTraces } from '../../src/ingest/otlp/ingest-traces.js';
import { decodeJsonTraceRequest } from '../../src/ingest/otlp/otlp-json.js';
import { jsonRequest } from './otlp-json-request.js';

const protoAttr = {
  key: '__proto__',
  value: { kvlistValue: { values: [{ key: 'content', value: { stringValue: 'x' } }] } },
};

describe('an attribute named __proto__', () => {
  it('is kept as data by attrsOf; it does not replace the prototype', () => {
    const a = attrsOf([{ key: 'gen_ai.request.model', value: { stringValue: 'm' } }, protoAttr]);
    expect(Object.getPrototypeOf(a)).toBe(Object.prototype);
    expect(a['content']).toBeUndefined();
    expect(Object.keys(a)).toEqual(['gen_ai.request.model', '__proto__']);
    expect(JSON.stringify(a)).toBe('{"gen_ai.request.model":"m","__proto__":{"content":"x"}}');
  });

  it('stays an own entry of a mapped span’s attributes', async () => {
    const request = decodeJsonTraceRequest(
      JSON.stringify(jsonRequest([{ attributes: { 'gen_ai.operation.name': 'chat' } }])),
    );
    request.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.attributes.push(protoAttr);
    let items: readonly RawItem[] = [];
    await ingestTraces(request, {
      ingest: async (got) => {
        items = got;
        return { accepted: got.length, updated: 0, duplicates: 0, rejected: [] };
      },
      storedType: async () => null,
      defaultWorkspace: 'default',
      maxItems: 100,
    });
    const event = items[0] as { ok: true; value: { attributes: object } };
    const attributes = event.value.attributes;
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
    expect(Object.keys(attributes)).toContain('__proto__');
    expect(JSON.stringify(attributes)).toContain('"__proto__":{"content":"x"}');
  });
});
