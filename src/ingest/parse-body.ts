import { gunzipSync } from 'node:zlib';
import { CairnError } from '../core/errors.js';
import type { RawItem } from './raw-item.js';

export type BodyFormat = 'json' | 'ndjson';

const JSON_TYPES = new Set(['application/json']);
const NDJSON_TYPES = new Set([
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/x-jsonlines',
]);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Picks the body format from a Content-Type header, or throws unsupported_media_type. */
export function formatOf(contentType: string | undefined): BodyFormat {
  const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (JSON_TYPES.has(mime)) return 'json';
  if (NDJSON_TYPES.has(mime)) return 'ndjson';
  throw new CairnError(
    'unsupported_media_type',
    `Content-Type ${mime ? `"${mime}"` : '(none)'} is not accepted; send application/json ({"events":[...]}) or application/x-ndjson`,
  );
}

/** Undoes Content-Encoding (gzip or identity), never producing more than `maxBytes`. */
export function decodeBody(
  body: Uint8Array,
  encoding: string | undefined,
  maxBytes: number,
): Uint8Array {
  const enc = (encoding ?? 'identity').trim().toLowerCase();
  if (enc === 'identity' || enc === '') return body;
  if (enc !== 'gzip' && enc !== 'x-gzip') {
    throw new CairnError(
      'unsupported_media_type',
      `Content-Encoding "${enc}" is not accepted; use gzip or none`,
    );
  }
  try {
    return gunzipSync(body, { maxOutputLength: maxBytes });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new CairnError(
        'body_too_large',
        `gzip body decompresses to more than ${maxBytes} bytes`,
      );
    }
    throw new CairnError(
      'malformed_body',
      `gzip body could not be decompressed: ${(err as Error).message}`,
    );
  }
}

/**
 * Splits a decoded body into raw items. Whole-body problems throw; per-line problems are items.
 * A JSON body is an array or an object holding the array under `listKey` ("events", "rows").
 */
export function parseBody(
  body: Uint8Array,
  format: BodyFormat,
  maxItems: number,
  listKey = 'events',
): RawItem[] {
  const items = format === 'json' ? parseJsonBatch(body, listKey) : parseNdjson(body);
  if (items.length > maxItems) {
    throw new CairnError(
      'too_many_events',
      `batch holds ${items.length} events; the limit is ${maxItems}`,
    );
  }
  return items;
}

function parseJsonBatch(body: Uint8Array, listKey: string): RawItem[] {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new CairnError('invalid_utf8', 'body is not valid UTF-8');
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new CairnError('malformed_body', `body is not valid JSON: ${(err as Error).message}`);
  }
  const events = Array.isArray(doc) ? doc : (doc as Record<string, unknown> | null)?.[listKey];
  if (!Array.isArray(events)) {
    throw new CairnError(
      'invalid_batch',
      `body must be {"${listKey}":[...]} or a JSON array of ${listKey}`,
    );
  }
  return events.map((value) => ({ ok: true, value }));
}

/** NDJSON: one event per line; blank lines are skipped; a bad line rejects only itself. */
export function parseNdjson(body: Uint8Array): RawItem[] {
  const items: RawItem[] = [];
  let start = 0;
  while (start < body.length) {
    let end = body.indexOf(0x0a, start);
    if (end === -1) end = body.length;
    const item = parseLine(body.subarray(start, end));
    if (item) items.push(item);
    start = end + 1;
  }
  return items;
}

/** One NDJSON line (without its newline); null when the line is blank. */
export function parseLine(line: Uint8Array): RawItem | null {
  let text: string;
  try {
    text = utf8.decode(line);
  } catch {
    return { ok: false, code: 'invalid_utf8', message: 'line is not valid UTF-8' };
  }
  if (text.trim() === '') return null;
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return {
      ok: false,
      code: 'malformed_json',
      message: `line is not valid JSON: ${(err as Error).message}`,
    };
  }
}
