import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { CairnError } from '../../core/errors.js';
import type { Engine } from '../../engine.js';
import type { RawItem } from '../../ingest/raw-item.js';
import { adapterFor } from '../../seeds/import-rows.js';
import { readSqliteTables } from '../../seeds/read-sqlite-tables.js';
import { SEED_ADAPTERS } from '../../seeds/registry.js';
import { addBatch, emptySummary, formatSummary } from '../ingest-summary.js';
import { Progress } from '../progress.js';
import { openSource, readItems } from '../read-items.js';

const CHUNK = 2_000;
const SQLITE_MAGIC = 'SQLite format 3\u0000';

export interface ImportOptions {
  workspace?: string;
}

/**
 * `cairn import FORMAT FILE`: seed rows from NDJSON (`{"table": …}` per line, "-" for stdin) or,
 * for the SQLite-based seeds, from the seed's own database file. Exits 1 when rows were rejected.
 */
export async function runImport(
  engine: Engine,
  format: string,
  path: string,
  options: ImportOptions = {},
): Promise<number> {
  const adapter = adapterFor(SEED_ADAPTERS, format);
  const summary = emptySummary();
  let records = 0;
  const progress = new Progress(
    `import ${format} ${path}`,
    path === '-' ? null : statSync(path).size,
  );
  const run = async (items: RawItem[], lines: number[]) => {
    const r = await engine.importRows(format, items, options);
    records += r.records;
    addBatch(summary, r, lines);
  };
  if (path !== '-' && isSqliteFile(path)) {
    if (!adapter.sqliteTables)
      throw new CairnError(
        'invalid_parameter',
        `${path} is a SQLite database; the ${format} format imports NDJSON only`,
      );
    let items: RawItem[] = [];
    let lines: number[] = [];
    let n = 0;
    for (const row of readSqliteTables(path, adapter.sqliteTables)) {
      items.push({ ok: true, value: { table: row.table, ...row.values } });
      lines.push(++n);
      if (items.length >= CHUNK) {
        await run(items, lines);
        items = [];
        lines = [];
      }
    }
    if (items.length > 0) await run(items, lines);
  } else {
    for await (const chunk of readItems(openSource(path), CHUNK)) {
      await run(chunk.items, chunk.lines);
      progress.update(chunk.bytesRead, formatSummary(summary));
    }
  }
  progress.done();
  console.log(
    `${formatSummary(summary)}${records > 0 ? `; ${records.toLocaleString('en-US')} records` : ''}`,
  );
  for (const s of summary.samples)
    console.error(
      `  ${lineLabel(path)} ${s.line}${s.id ? ` (id ${s.id})` : ''}: ${s.code}: ${s.message}`,
    );
  return summary.rejected > 0 ? 1 : 0;
}

function lineLabel(path: string): string {
  return path !== '-' && isSqliteFile(path) ? 'row' : 'line';
}

function isSqliteFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(16);
    return readSync(fd, head, 0, 16, 0) === 16 && head.toString('latin1') === SQLITE_MAGIC;
  } finally {
    closeSync(fd);
  }
}
