import { statSync } from 'node:fs';
import type { Engine } from '../../engine.js';
import { Progress } from '../progress.js';
import { openSource, readItems } from '../read-items.js';
import { addBatch, emptySummary, formatSummary, type IngestSummary } from '../ingest-summary.js';

const CHUNK = 2_000;

/** Ingests a file (or stdin) through the same pipeline as POST /v1/events, chunk by chunk. */
export async function ingestFile(
  engine: Engine,
  path: string,
  progress?: Progress,
): Promise<IngestSummary> {
  const summary = emptySummary();
  for await (const chunk of readItems(openSource(path), CHUNK)) {
    addBatch(summary, await engine.ingest(chunk.items), chunk.lines);
    progress?.update(chunk.bytesRead, formatSummary(summary));
  }
  progress?.done();
  return summary;
}

/** `cairn ingest FILE`: prints one summary line; exits 1 when anything was rejected. */
export async function runIngest(engine: Engine, path: string): Promise<number> {
  const total = path === '-' ? null : statSync(path).size;
  const summary = await ingestFile(engine, path, new Progress(`ingest ${path}`, total));
  console.log(formatSummary(summary));
  for (const s of summary.samples)
    console.error(`  line ${s.line}${s.id ? ` (id ${s.id})` : ''}: ${s.code}: ${s.message}`);
  return summary.rejected > 0 ? 1 : 0;
}
