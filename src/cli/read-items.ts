import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { parseBody, parseLine } from '../ingest/parse-body.js';
import type { RawItem } from '../ingest/raw-item.js';

export interface ItemChunk {
  items: RawItem[];
  /** 1-based source line of each item (for JSON input, the item's position instead). */
  lines: number[];
  /** Bytes of input consumed so far, for progress. */
  bytesRead: number;
}

/**
 * Reads events from a file or stdin in chunks. NDJSON is streamed line by line, so files of any
 * size work; a JSON document ({"events":[...]} or an array) is read whole. The format is
 * recognised from the content, not the file name.
 */
export async function* readItems(source: Readable, chunkSize: number): AsyncGenerator<ItemChunk> {
  const it = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let pending: Buffer = Buffer.alloc(0);
  let bytesRead = 0;
  let lineNo = 0;
  let chunk: ItemChunk = { items: [], lines: [], bytesRead: 0 };
  let sniffed = false;
  for (;;) {
    const next = await it.next();
    if (next.done) break;
    bytesRead += next.value.length;
    pending = pending.length ? Buffer.concat([pending, next.value]) : next.value;
    if (!sniffed) {
      const kind = sniff(pending);
      if (kind === 'unknown') continue;
      sniffed = true;
      if (kind === 'json') {
        yield* jsonDocument(await readRest(pending, it), chunkSize);
        return;
      }
    }
    let start = 0;
    for (let nl = pending.indexOf(0x0a); nl !== -1; nl = pending.indexOf(0x0a, start)) {
      lineNo++;
      const item = parseLine(pending.subarray(start, nl));
      start = nl + 1;
      if (!item) continue;
      chunk.items.push(item);
      chunk.lines.push(lineNo);
      if (chunk.items.length >= chunkSize) {
        yield { ...chunk, bytesRead };
        chunk = { items: [], lines: [], bytesRead: 0 };
      }
    }
    pending = pending.subarray(start);
  }
  if (!sniffed && sniff(pending, true) === 'json') {
    yield* jsonDocument(pending, chunkSize);
    return;
  }
  const last = parseLine(pending);
  if (last) {
    chunk.items.push(last);
    chunk.lines.push(lineNo + 1);
  }
  if (chunk.items.length > 0) yield { ...chunk, bytesRead };
}

/** Opens a path, or stdin for "-". */
export function openSource(path: string): Readable {
  return path === '-' ? process.stdin : createReadStream(path);
}

/**
 * JSON when the input is an array, or one object holding an `events` array (possibly spread over
 * many lines); NDJSON when the first line is a complete object of its own.
 */
function sniff(buf: Buffer, atEnd = false): 'json' | 'ndjson' | 'unknown' {
  const text = buf.toString('utf8').trimStart();
  if (text.startsWith('[')) return 'json';
  const nl = text.indexOf('\n');
  if (nl === -1 && !atEnd) return 'unknown';
  const firstLine = nl === -1 ? text : text.slice(0, nl);
  try {
    const first = JSON.parse(firstLine) as unknown;
    const isBatch =
      typeof first === 'object' &&
      first !== null &&
      Array.isArray((first as { events?: unknown }).events);
    return isBatch ? 'json' : 'ndjson';
  } catch {
    // A pretty-printed object spans lines: its first line alone is not JSON.
    return firstLine.trim() === '{' || /^\{\s*"events"/.test(firstLine) ? 'json' : 'ndjson';
  }
}

async function readRest(head: Buffer, it: AsyncIterator<Buffer>): Promise<Buffer> {
  const parts = [head];
  for (let next = await it.next(); !next.done; next = await it.next()) parts.push(next.value);
  return Buffer.concat(parts);
}

function* jsonDocument(buf: Buffer, chunkSize: number): Generator<ItemChunk> {
  const items = parseBody(buf, 'json', Number.MAX_SAFE_INTEGER);
  for (let i = 0; i < items.length; i += chunkSize) {
    const slice = items.slice(i, i + chunkSize);
    const consumed = Math.round((buf.length * (i + slice.length)) / items.length);
    yield { items: slice, lines: slice.map((_, j) => i + j + 1), bytesRead: consumed };
  }
}
