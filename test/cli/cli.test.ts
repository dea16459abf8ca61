import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventJsonSchema } from '../../src/core/json-schema.js';
import { createEngine } from '../../src/engine.js';
import { runCli } from '../support/cli.js';
import { wire } from '../support/events.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cairn-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function count(db: string, workspace?: string): Promise<number> {
  const engine = await createEngine({ db });
  try {
    return await engine.store.countEvents(workspace);
  } finally {
    await engine.close();
  }
}

const recent = () => Date.now() - 60_000;

describe('cairn CLI', () => {
  it('--help lists the commands', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['serve', 'ingest', 'generate', 'schema', 'migrate', 'prices'])
      expect(r.stdout).toContain(cmd);
  });

  it('ingest FILE (NDJSON): stores the good lines, reports the bad ones by line and code', async () => {
    const db = join(dir, 'ndjson.db');
    const file = join(dir, 'events.ndjson');
    const lines = [
      JSON.stringify(wire({ id: 'l1', timestamp: recent() })),
      '',
      '{broken',
      JSON.stringify(wire({ id: 'l4', timestamp: recent(), usage: { input_tokens: -3 } })),
      JSON.stringify(wire({ id: 'l5', timestamp: recent() })),
    ];
    writeFileSync(file, `${lines.join('\n')}\n`);
    const first = await runCli(['ingest', file, '--db', db]);
    expect(first.code).toBe(1);
    expect(first.stdout.trim()).toBe(
      '2 accepted, 0 duplicates, 2 rejected (malformed_json 1, invalid_token_count 1)',
    );
    expect(first.stderr).toMatch(/line 3: malformed_json/);
    expect(first.stderr).toMatch(/line 4 \(id l4\): invalid_token_count: usage\.input_tokens/);
    const again = await runCli(['ingest', file, '--db', db]);
    expect(again.stdout.trim()).toBe(
      '0 accepted, 2 duplicates, 2 rejected (malformed_json 1, invalid_token_count 1)',
    );
    expect(await count(db)).toBe(2);
  });

  it('ingest - (a JSON batch on stdin) into a chosen default workspace', async () => {
    const db = join(dir, 'stdin.db');
    const batch = JSON.stringify(
      {
        events: [
          wire({ id: 's1', timestamp: recent() }),
          wire({ id: 's2', timestamp: recent(), workspace: 'other' }),
        ],
      },
      null,
      2,
    );
    const r = await runCli(['ingest', '-', '--db', db, '--workspace', 'team-a'], batch);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('2 accepted, 0 duplicates, 0 rejected');
    expect(await count(db, 'team-a')).toBe(1);
    expect(await count(db, 'other')).toBe(1);
  });

  it('a file that is not JSON at all is one clear error', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, '[{"id": ');
    const r = await runCli(['ingest', file, '--db', join(dir, 'bad.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^cairn: malformed_body: /);
  });

  it('schema prints the generated JSON Schema', async () => {
    const r = await runCli(['schema']);
    expect(JSON.parse(r.stdout)).toEqual(eventJsonSchema());
  });

  it('prices set / list apply a workspace override to later ingests', async () => {
    const db = join(dir, 'prices.db');
    const set = await runCli([
      'prices',
      'set',
      '--db',
      db,
      '--model',
      'gpt-4o-mini',
      '--input',
      '2',
      '--output',
      '4',
    ]);
    expect(set.code).toBe(0);
    const list = await runCli(['prices', 'list', '--db', db]);
    expect(list.stdout).toMatch(/\*\/gpt-4o-mini {2}in \$2 {2}out \$4/);
    const file = join(dir, 'priced.ndjson');
    writeFileSync(
      file,
      JSON.stringify(
        wire({
          id: 'pp',
          timestamp: recent(),
          usage: { input_tokens: 1_000_000, output_tokens: 500_000 },
        }),
      ),
    );
    await runCli(['ingest', file, '--db', db]);
    const engine = await createEngine({ db });
    try {
      expect(await engine.store.getEvent('default', 'pp')).toMatchObject({
        cost_nanos: 4_000_000_000,
        cost_source: 'override',
      });
    } finally {
      await engine.close();
    }
  });

  it('rejects a bad option value with a message naming it', async () => {
    const r = await runCli(['serve', '--port', 'eighty']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--port must be an integer from 0 to 65535/);
  });
});
