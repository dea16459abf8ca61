import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../support/cli.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../src/engine.js';
import { createApp } from '../../../src/server/app.js';
import { openTestEngine } from '../../support/databases.js';
import { readView } from './compare.js';

const now = Date.parse('2026-11-20T12:00:00Z');
const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
const asItems = (rows: readonly unknown[]) => rows.map((value) => ({ ok: true as const, value }));

const run = (over: Record<string, unknown>) => ({
  table: 'agent_runs',
  id: 'r1',
  agent_id: 'agent-1',
  user_id: 'u1',
  workspace_id: 'ws',
  status: 'completed',
  started_at: at(60),
  completed_at: at(58),
  runtime_seconds: 120.5,
  credits_consumed: 3.25,
  tokens_used: 4200,
  model: 'gpt-4o',
  ...over,
});
const activity = (over: Record<string, unknown>) => ({
  table: 'user_activity',
  id: 'a1',
  user_id: 'u1',
  workspace_id: 'ws',
  event_type: 'page_view',
  page_path: '/agents',
  session_id: 's1',
  created_at: at(90),
  ...over,
});

describe('agent-platform import', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine('sqlite');
  });
  afterAll(() => engine?.close());

  it('rejects each bad row with a code naming the column and stores the good ones', async () => {
    const rows = [
      activity({ id: 'ok-1' }),
      activity({ id: 'bad-type', event_type: 'click' }),
      activity({ id: 'no-user', user_id: null }),
      run({ id: 'ok-2', rating: 4 }),
      run({ id: 'bad-status', status: 'done' }),
      run({ id: 'bad-runtime', runtime_seconds: -1 }),
      run({ id: 'bad-start', started_at: 'yesterday' }),
      run({ id: 'backwards', completed_at: at(61) }),
      run({ id: 'bad-rating', rating: 12 }),
      { table: 'workspace_members', workspace_id: 'ws' },
      // Valid for the seed, too long for a Cairn context column: the pipeline rejects it.
      activity({ id: 'long-page', page_path: 'é'.repeat(200) }),
      run({ id: 'ok-3', status: 'cancelled', rating: null }),
    ];
    const r = await engine.importRows('agent-platform', asItems(rows), { now });
    const got = r.rejected.map((x) => [x.index, x.code, x.message.split(':')[0]]);
    expect(got).toEqual([
      [1, 'invalid_value', 'user_activity.event_type'],
      [2, 'missing_field', 'user_activity.user_id'],
      [4, 'invalid_value', 'agent_runs.status'],
      [5, 'invalid_number', 'agent_runs.runtime_seconds'],
      [6, 'invalid_timestamp', 'agent_runs.started_at'],
      [7, 'invalid_value', 'agent_runs.completed_at'],
      [8, 'invalid_number', 'agent_runs.rating'],
      [9, 'missing_field', 'workspace_members.user_id'],
      [10, 'string_too_long', 'user_activity (as a Cairn event)'],
    ]);
    for (const t of ['page_view', 'report_view']) expect(r.rejected[0]!.message).toContain(t);
    expect(r.rejected[2]!.message).toContain('completed');
    expect(r.rejected[0]!.id).toBe('bad-type');
    // ok-1, ok-2 with its rating, ok-3.
    expect([r.accepted, r.records]).toEqual([4, 0]);
  });

  it('maps a run to an agent_run event and its rating to a feedback event', async () => {
    const e = await engine.store.getEvent('ws', 'agent_runs:ok-2');
    expect(e).toMatchObject({
      type: 'agent_run',
      agent: 'agent-1',
      user_id: 'u1',
      model: 'gpt-4o',
      status: 'ok',
      duration_ms: 120_500,
      revision: 1,
      timestamp: now - 60 * 60_000,
      counters: { credits_consumed: 3.25, tokens_used: 4200 },
      cost_nanos: null,
    });
    const f = await engine.store.getEvent('ws', 'agent_runs:ok-2:rating');
    expect(f).toMatchObject({
      type: 'feedback',
      name: 'rating',
      detail: { score: 4, target_id: 'agent_runs:ok-2' },
    });
    expect(await engine.store.getEvent('ws', 'agent_runs:ok-3')).toMatchObject({
      status: 'cancelled',
    });
    const a = await engine.store.getEvent('ws', 'user_activity:ok-1');
    expect(a).toMatchObject({
      type: 'activity',
      name: 'page_view',
      session_id: 's1',
      detail: { page: '/agents' },
    });
  });

  it('replaces a running run when it finishes, and keeps a rating sent after that', async () => {
    const running = run({
      id: 'r-live',
      status: 'running',
      completed_at: null,
      runtime_seconds: null,
      credits_consumed: null,
    });
    const failed = run({
      id: 'r-live',
      status: 'failed',
      error_type: 'Timeout',
      error_message: 'took too long',
    });
    expect((await engine.importRows('agent-platform', asItems([running]), { now })).accepted).toBe(
      1,
    );
    expect((await engine.importRows('agent-platform', asItems([failed]), { now })).updated).toBe(1);
    // A late redelivery of the running row is a duplicate; the rating arrives later still.
    const late = await engine.importRows(
      'agent-platform',
      asItems([running, { ...failed, rating: 2 }]),
      { now },
    );
    expect([late.accepted, late.updated, late.duplicates]).toEqual([1, 0, 2]);
    const e = await engine.store.getEvent('ws', 'agent_runs:r-live');
    expect(e).toMatchObject({
      status: 'error',
      error_type: 'Timeout',
      revision: 1,
      duration_ms: 120_500,
    });
    const runs = await readView(engine, 'agent_runs');
    expect(runs.find((x) => x['id'] === 'r-live')).toMatchObject({
      status: 'failed',
      rating: 2,
      runtime_seconds: 120.5,
    });
  });

  it('stores reference rows as seed records under their workspace', async () => {
    const rows = [
      { table: 'workspaces', id: 'ws', name: 'Acme' },
      { table: 'agents', id: 'agent-1', workspace_id: 'ws', name: 'Researcher' },
      { table: 'workspace_members', workspace_id: 'ws', user_id: 'u1', role: 'owner' },
      // Reference rows may be far older than the oldest event Cairn accepts.
      { table: 'users', id: 'u1', email: 'u1@example.com', created_at: '2001-01-01T00:00:00Z' },
      { table: 'users', id: 'u2', created_at: 'last year' },
    ];
    const r = await engine.importRows('agent-platform', asItems(rows), { now, workspace: 'ws' });
    expect(r.records).toBe(4);
    expect(r.rejected.map((x) => [x.index, x.code, x.message.split(':')[0]])).toEqual([
      [4, 'invalid_timestamp', 'users.created_at'],
    ]);
    const users = await engine.store.seedRecords.get({
      workspace: 'ws',
      format: 'agent-platform',
      seed_table: 'users',
    });
    expect(users.map((u) => [u.id, u.ts])).toEqual([['u1', Date.parse('2001-01-01T00:00:00Z')]]);
    const members = await engine.store.seedRecords.get({
      workspace: 'ws',
      format: 'agent-platform',
      seed_table: 'workspace_members',
    });
    expect(members.map((m) => m.id)).toEqual(['ws:u1']);
  });
});

describe('agent-platform import under a workspace-scoped API key', () => {
  it('rejects rows of another workspace one by one and stores the rest', async () => {
    const engine = await openTestEngine('sqlite');
    try {
      const scoped = engine.forWorkspace('acme');
      const rows = [
        run({ id: 'mine', workspace_id: 'acme' }),
        { table: 'agents', id: 'ag-1', workspace_id: 'globex', name: 'Theirs' },
        { table: 'workspaces', id: 'globex', name: 'Globex' },
        { table: 'workspaces', id: 'acme', name: 'Acme' },
        run({ id: 'theirs', workspace_id: 'globex' }),
        { table: 'agents', id: 'ag-2', workspace_id: 'acme', name: 'Ours' },
      ];
      const r = await scoped.importRows('agent-platform', asItems(rows), { now });
      expect(r.rejected.map((x) => [x.index, x.code])).toEqual([
        [1, 'workspace_not_allowed'],
        [2, 'workspace_not_allowed'],
        [4, 'workspace_not_allowed'],
      ]);
      expect(r.records).toBe(2);
      expect(await engine.store.countEvents('acme')).toBeGreaterThan(0);
      expect(await engine.store.countEvents('globex')).toBe(0);
      const globexAgents = await engine.store.seedRecords.get({
        workspace: 'globex',
        format: 'agent-platform',
        seed_table: 'agents',
      });
      expect(globexAgents).toEqual([]);
    } finally {
      await engine.close();
    }
  });
});

describe('agent-platform over HTTP and the CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cairn-ap-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const recent = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
  const lines = () =>
    [
      run({ id: 'h1', started_at: recent(30), completed_at: recent(28) }),
      run({
        id: 'h2',
        status: 'failed',
        started_at: recent(20),
        completed_at: recent(19),
        runtime_seconds: 60,
        error_type: 'RateLimit',
      }),
      activity({ id: 'h3', event_type: 'teleport', created_at: recent(10) }),
    ]
      .map((r) => JSON.stringify(r))
      .join('\n');

  it('POST /v1/import/agent-platform answers 207 with the bad row', async () => {
    const engine = await openTestEngine('sqlite');
    try {
      const res = await createApp(engine).request('/v1/import/agent-platform', {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body: lines(),
      });
      expect(res.status).toBe(207);
      const body = (await res.json()) as {
        accepted: number;
        rejected: Array<{ index: number; code: string }>;
      };
      expect(body.accepted).toBe(2);
      expect(body.rejected.map((x) => [x.index, x.code])).toEqual([[2, 'invalid_value']]);
    } finally {
      await engine.close();
    }
  });

  it('cairn import agent-platform FILE fills the views', async () => {
    const file = join(dir, 'rows.ndjson');
    const db = join(dir, 'cli.db');
    writeFileSync(file, lines());
    const cli = await runCli(['import', 'agent-platform', file, '--db', db, '--workspace', 'ws']);
    expect(cli.code).toBe(1); // one row rejected
    expect(cli.stderr).toContain('user_activity.event_type');
    const engine = await createEngine({ db });
    try {
      const daily = await readView(engine, 'daily_metrics');
      const runs = daily.reduce((s, r) => s + (r['total_runs'] as number), 0);
      const failed = daily.reduce((s, r) => s + (r['failed_runs'] as number), 0);
      expect([runs, failed]).toEqual([2, 1]);
    } finally {
      await engine.close();
    }
  });
});
