import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEngine } from '../../src/engine.js';
import { alertsCommand } from '../../src/cli/commands/alerts.js';
import { items, wire } from '../support/events.js';
import { startHttpReceiver, type HttpReceiver } from './receivers.js';

/**
 * `cairn alerts …` through the command itself (the same commander tree bin/cairn.js runs), on a
 * real SQLite file, delivering to a local HTTP receiver. Output is what the command prints.
 */
let dir: string;
let db: string;
let hook: HttpReceiver;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cairn-alerts-cli-'));
  db = join(dir, 'cairn.db');
  hook = await startHttpReceiver();
  const engine = await createEngine({ db });
  const spend = [
    wire({ workspace: 'acme', user_id: 'u1', cost_usd: 3, timestamp: Date.now() - 60_000 }),
  ];
  await engine.ingest(items(...spend));
  await engine.close();
});
afterAll(async () => {
  await hook.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `cairn alerts ARGS`; returns what it printed and the exit code it set. */
async function cairnAlerts(...args: string[]): Promise<{ out: string; code: number }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    lines.push(a.join(' '));
  });
  process.exitCode = 0;
  try {
    await alertsCommand()
      .exitOverride()
      .parseAsync([...args, '--db', db], { from: 'user' });
    return { out: lines.join('\n'), code: Number(process.exitCode ?? 0) };
  } finally {
    log.mockRestore();
    process.exitCode = 0;
  }
}

describe('cairn alerts', () => {
  let ruleId: string;

  it('create from options, then list', async () => {
    const created = await cairnAlerts(
      'create',
      '--workspace',
      'acme',
      '--name',
      'user budget',
      '--metric',
      'cost_budget',
      '--budget',
      '2',
      '--group-by',
      'user',
      '--window',
      '30d',
      '--webhook',
      hook.url,
      '--secret',
      'cli-secret-0123456789',
      '--format',
      'json',
    );
    const rule = JSON.parse(created.out) as { id: string; warning: number; critical: number };
    expect(rule).toMatchObject({ warning: 0.8, critical: 1, budget_usd: 2, group_by: 'user' });
    ruleId = rule.id;
    const listed = await cairnAlerts('list', '--workspace', 'acme');
    expect(listed.out).toContain(ruleId);
    expect(listed.out).toContain('cost_budget by user');
  });

  it('create from a JSON file, options overriding it', async () => {
    const file = join(dir, 'rule.json');
    writeFileSync(
      file,
      JSON.stringify({ workspace: 'acme', name: 'from file', metric: 'requests', critical: 1000 }),
    );
    const { out } = await cairnAlerts(
      'create',
      '--file',
      file,
      '--workspace',
      'acme',
      '--below',
      '--format',
      'json',
    );
    expect(JSON.parse(out)).toMatchObject({
      name: 'from file',
      condition: 'below',
      critical: 1000,
    });
  });

  it('create takes --min-requests, and refuses it on a sum', async () => {
    const { out } = await cairnAlerts(
      'create',
      '--name',
      'flaky tools',
      '--metric',
      'tool_error_rate',
      '--critical',
      '0.2',
      '--min-requests',
      '25',
      '--format',
      'json',
    );
    expect(JSON.parse(out)).toMatchObject({ metric: 'tool_error_rate', min_requests: 25 });
    await expect(
      cairnAlerts(
        'create',
        '--name',
        'x',
        '--metric',
        'errors',
        '--critical',
        '1',
        '--min-requests',
        '5',
      ),
    ).rejects.toThrow(/^min_requests: applies to ratios and quantiles/);
  });

  it('refuses a bad rule with the field named', async () => {
    await expect(
      cairnAlerts(
        'create',
        '--name',
        'x',
        '--metric',
        'errors',
        '--window',
        'soon',
        '--critical',
        '1',
      ),
    ).rejects.toThrow(/^window: must be milliseconds or a duration/);
  });

  it('test sends to the channels and says how it went', async () => {
    const { out, code } = await cairnAlerts('test', ruleId);
    expect(code).toBe(0);
    expect(out).toContain('current value: 1.5 (firing)');
    expect(out).toContain('channel 0 (webhook): delivered');
    expect(JSON.parse(hook.received.at(-1)!.body)).toMatchObject({ kind: 'test', group: 'u1' });
  });

  it('evaluate, history and ack', async () => {
    const evaluated = await cairnAlerts('evaluate');
    expect(evaluated.out).toContain(`${ruleId}: 1 group(s) not ok, 1 notification(s)`);
    const history = JSON.parse(
      (await cairnAlerts('history', '--rule', ruleId, '--format', 'json')).out,
    ) as Array<{ id: string; group: string; kind: string }>;
    expect(history).toMatchObject([
      { group: 'u1', kind: 'firing', severity: 'critical', delivery_status: 'sent' },
    ]);
    const acked = await cairnAlerts('ack', history[0]!.id, '--by', 'ann');
    expect(acked.out).toBe(`acknowledged ${history[0]!.id} (firing of rule ${ruleId})`);
    expect((await cairnAlerts('history', '--workspace', 'acme')).out).toMatch(/u1\s.*firing.*ann/);
    await expect(cairnAlerts('ack', 'nope')).rejects.toThrow(/no alert history entry nope/);
  });

  it('delete', async () => {
    expect(await cairnAlerts('delete', ruleId)).toEqual({
      out: `deleted alert rule ${ruleId}`,
      code: 0,
    });
    expect((await cairnAlerts('delete', ruleId)).code).toBe(1);
  });
});
