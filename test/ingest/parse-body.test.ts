import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CairnError } from '../../src/core/errors.js';
import { decodeBody, formatOf, parseBody } from '../../src/ingest/parse-body.js';

const bytes = (s: string) => new TextEncoder().encode(s);

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof CairnError) return err.code;
    throw err;
  }
  throw new Error('expected a CairnError');
}

describe('parseBody', () => {
  it('reads {"events":[...]} and a bare array', () => {
    expect(parseBody(bytes('{"events":[{"a":1},2]}'), 'json', 10)).toEqual([
      { ok: true, value: { a: 1 } },
      { ok: true, value: 2 },
    ]);
    expect(parseBody(bytes('[{"a":1}]'), 'json', 10)).toHaveLength(1);
  });

  it('rejects a whole JSON body that does not parse or is not a batch', () => {
    expect(codeOf(() => parseBody(bytes('{"events":['), 'json', 10))).toBe('malformed_body');
    expect(codeOf(() => parseBody(bytes('{"event":[]}'), 'json', 10))).toBe('invalid_batch');
    expect(codeOf(() => parseBody(bytes('null'), 'json', 10))).toBe('invalid_batch');
    expect(codeOf(() => parseBody(Uint8Array.from([0x5b, 0xff, 0x5d]), 'json', 10))).toBe(
      'invalid_utf8',
    );
    expect(codeOf(() => parseBody(bytes('[1,2,3]'), 'json', 2))).toBe('too_many_events');
  });

  it('NDJSON: blank lines and CRLF are fine; a bad line rejects only itself', () => {
    const body = Buffer.concat([
      bytes('{"a":1}\r\n\n{oops}\n'),
      Uint8Array.from([0x22, 0xc3, 0x28, 0x22, 0x0a]),
      bytes('{"b":2}'),
    ]);
    const parsed = parseBody(body, 'ndjson', 10);
    expect(parsed.map((i) => (i.ok ? 'ok' : i.code))).toEqual([
      'ok',
      'malformed_json',
      'invalid_utf8',
      'ok',
    ]);
    expect(parsed[3]).toEqual({ ok: true, value: { b: 2 } });
  });
});

describe('formatOf and decodeBody', () => {
  it('accepts JSON and NDJSON media types with parameters, refuses others', () => {
    expect(formatOf('application/json; charset=utf-8')).toBe('json');
    expect(formatOf('Application/X-NDJSON')).toBe('ndjson');
    expect(codeOf(() => formatOf('text/plain'))).toBe('unsupported_media_type');
    expect(codeOf(() => formatOf(undefined))).toBe('unsupported_media_type');
  });

  it('gunzips within the limit and refuses a gzip bomb', () => {
    const payload = bytes('x'.repeat(10_000));
    expect(decodeBody(gzipSync(payload), 'gzip', 20_000)).toEqual(Buffer.from(payload));
    expect(codeOf(() => decodeBody(gzipSync(payload), 'gzip', 1_000))).toBe('body_too_large');
    expect(codeOf(() => decodeBody(bytes('not gzip'), 'gzip', 1_000))).toBe('malformed_body');
    expect(codeOf(() => decodeBody(payload, 'br', 1_000))).toBe('unsupported_media_type');
  });
});
