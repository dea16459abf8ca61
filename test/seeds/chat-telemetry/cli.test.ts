import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../support/cli.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/engine.js';
import { expectRowsClose } from './compare.js';
import { buildRows, expectedDomainSummary, importLine, type TestRow } from './dataset.js';

describe('cairn import chat-telemetry', () => {
  let dir: string;
  let db: string;
  let rows: TestRow[];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cairn-chat-telemetry-'));
    db = join(dir, 'cairn.db');
    rows = buildRows(Date.now()).filter((r) => r.workspace === 'default');
    const lines = rows.map((r) => JSON.stringify(importLine(r)));
    // One bad row: the command stores the rest and says which line failed.
    lines.splice(3, 0, JSON.stringify({ table: 'chat_telemetry', id: 'x', created_at: 0 }));
    writeFileSync(join(dir, 'rows.ndjson'), `${lines.join('\n')}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports a file, stores the good rows and reports the bad line', async () => {
    const imported = await runCli([
      'import',
      'chat-telemetry',
      join(dir, 'rows.ndjson'),
      '--db',
      db,
    ]);
    expect(imported.code, imported.stderr).toBe(1);
    expect(imported.stderr).toMatch(/line 4 \(id x\): missing_field: domain: required/);

    // What the command stored, read back through the same named query the API serves.
    const engine = await createEngine({ db });
    try {
      const all = await engine.query('chat-telemetry/domain_summary', {});
      const expected = expectedDomainSummary(rows, Date.now());
      expectRowsClose(
        all as Array<Record<string, unknown>>,
        expected,
        (r) => `${String(r.workspace)}|${String(r.domain)}`,
      );
    } finally {
      await engine.close();
    }
  });
});
