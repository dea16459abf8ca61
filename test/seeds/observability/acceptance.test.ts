import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine.js';
import { openTestEngine, postgresAvailable, type BackendName } from '../../support/databases.js';
import { buildDataset, publishedCostUsd, PUBLISHED_PRICES } from './builder.js';
import { cairnRows, keyed, normalise, seedRows, type Row } from './compare.js';
import { extractSeedSql, seedDatabase, seedDocument } from './seed-sql.js';

/**
 * Acceptance for seed 000: the seed's own SQL (read from the document at run time), run over the
 * same source rows in a scratch SQLite database, must give the rows Cairn's views give — on every
 * backend. Where the seed leaves a placeholder (estimated_cost_usd is 0), Cairn's real cost is
 * expected instead, checked against the providers' published prices.
 */
const NOW = Date.parse('2026-11-20T12:00:00Z');
const data = buildDataset(7, NOW);
const rows = [...data.events, ...data.messages];
const seedSql = extractSeedSql(seedDocument('000'));
const seed = seedDatabase(seedSql, rows);
const BACKENDS: BackendName[] = [
  'sqlite',
  'pglite',
  ...((await postgresAvailable()) ? (['postgres'] as const) : []),
];
const VIEWS = [
  'analytics_messages_view',
  'analytics_agent_steps_view',
  'analytics_conversations_view',
  'analytics_user_daily_view',
  'analytics_platform_daily_view',
];

const asItems = (values: readonly object[]) =>
  values.map((value) => ({ ok: true as const, value }));
const sourceMessages = seedRows(seed, 'chat_messages');
const messageById = new Map(sourceMessages.map((m) => [Number(m['id']), m]));

describe('the seed documents', () => {
  it('000 defines the five views, the 0007 columns and the backfill', () => {
    expect([...seedSql.views.keys()]).toEqual(VIEWS);
    expect(seedSql.alters).toHaveLength(13);
    expect(seedSql.backfills).toHaveLength(2);
  });

  it('001 (the same document scraped from a web page) holds exactly the same SQL', () => {
    const other = extractSeedSql(seedDocument('001'));
    const squash = (s: string) => s.replace(/\s+/g, ' ');
    expect(other.alters.map(squash)).toEqual(seedSql.alters.map(squash));
    expect(other.backfills.map(squash)).toEqual(seedSql.backfills.map(squash));
    expect([...other.views.values()].map(squash)).toEqual([...seedSql.views.values()].map(squash));
  });

  it('the data set exercises every case the views treat specially', () => {
    const count = (where: string) =>
      Number(Object.values(seed.prepare(`select count(*) from ${where}`).get() as Row)[0]);
    expect(count('chat_messages where is_archived = 1')).toBeGreaterThan(5);
    expect(count('chat_messages where is_pinned = 1')).toBeGreaterThan(2);
    expect(count("chat_messages where visibility = 'public'")).toBeGreaterThan(5);
    expect(count('chat_messages where username is null')).toBeGreaterThan(2); // backfilled rows
    expect(count("observability_events where status = 'error'")).toBeGreaterThan(0);
    expect(count("observability_events where status in ('pending','processing')")).toBeGreaterThan(
      0,
    );
    expect(count('observability_events where agents like \'%"workers"%\'')).toBeGreaterThan(3);
    expect(count('(select distinct platform from chat_messages)')).toBe(3);
    expect(count('chat_messages')).toBeGreaterThan(80);
  });
});

describe.each(BACKENDS)('seed 000 views on %s', (kind) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine(kind);
    const r = await engine.importRows('observability', asItems(rows), { now: NOW });
    expect(r.rejected).toEqual([]);
    expect(r.rows).toBe(rows.length);
  });
  afterAll(() => engine?.close());

  /** Compares a view on the seed's columns, keyed; returns Cairn's rows for further checks. */
  async function expectSame(view: string, key: (r: Row) => string, filter = (_: Row) => true) {
    const expected = seedRows(seed, view);
    const columns = Object.keys(expected[0]!);
    const actual = (await cairnRows(engine, view)).filter(filter);
    expect(Object.keys(actual[0]!).slice(0, columns.length)).toEqual(columns);
    const costless = columns.filter((c) => c !== 'estimated_cost_usd');
    expect(keyed(actual, costless, key)).toEqual(keyed(expected, costless, key));
    return { actual, expected };
  }

  it('analytics_messages_view: the seed rows, plus each message’s real cost', async () => {
    const { actual } = await expectSame('analytics_messages_view', (r) =>
      String(normalise(r['id'])),
    );
    expect(actual).toHaveLength(rows.filter((r) => r.table === 'chat_messages').length);
    for (const row of actual) {
      const source = messageById.get(Number(row['id']))!;
      const priced = String(source['model']) in PUBLISHED_PRICES;
      if (priced)
        expect(Number(row['estimated_cost_usd'])).toBeCloseTo(publishedCostUsd(source), 9);
      else expect(row['estimated_cost_usd']).toBeNull();
    }
  });

  it('analytics_agent_steps_view: top-level steps equal the seed’s rows', async () => {
    const { expected } = await expectSame(
      'analytics_agent_steps_view',
      (r) => String(r['step_id']),
      (r) => r['parent_step_id'] === null,
    );
    expect(expected.length).toBeGreaterThan(data.events.length);
  });

  it('analytics_agent_steps_view: nested workers are flattened under their parent step', async () => {
    const expected = flattenWorkers();
    const actual = (await cairnRows(engine, 'analytics_agent_steps_view')).filter(
      (r) => r['parent_step_id'] !== null,
    );
    const columns = Object.keys(expected[0]!);
    expect(keyed(actual, columns, (r) => String(r['step_id']))).toEqual(
      keyed(expected, columns, (r) => String(r['step_id'])),
    );
  });

  it('analytics_agent_steps_view: each step is priced at its own model’s published price', async () => {
    const agents = new Map(allAgents().map((a) => [a.stepId, a.agent]));
    for (const row of await cairnRows(engine, 'analytics_agent_steps_view'))
      expect(Number(row['estimated_cost_usd'])).toBeCloseTo(
        publishedCostUsd(agents.get(String(row['step_id']))!),
        9,
      );
  });

  it('analytics_conversations_view equals the seed’s rows', async () => {
    await expectSame('analytics_conversations_view', (r) => String(r['conversation_id']));
  });

  it('analytics_user_daily_view: the seed rows, with a real estimated_cost_usd for the seed’s 0', async () => {
    const key = (r: Row) => `${String(r['aggregate_key'])}@${String(normalise(r['period_start']))}`;
    const { actual, expected } = await expectSame('analytics_user_daily_view', key);
    expect(expected.every((r) => r['estimated_cost_usd'] === 0)).toBe(true);
    const costs = dailyCosts();
    for (const row of actual)
      expect(Number(row['estimated_cost_usd'])).toBeCloseTo(costs.get(key(row)) ?? 0, 9);
    expect([...costs.values()].filter((c) => c > 0).length).toBeGreaterThan(3);
  });

  it('analytics_platform_daily_view equals the seed’s rows', async () => {
    await expectSame(
      'analytics_platform_daily_view',
      (r) => `${String(r['aggregate_key'])}@${String(normalise(r['period_start']))}`,
    );
  });

  it('re-importing the same rows changes nothing', async () => {
    // Every value of every view, rows in a fixed order (a view's own order is unspecified).
    const snapshot = () =>
      Promise.all(
        VIEWS.map(async (v) =>
          (await cairnRows(engine, v))
            .map((row) => JSON.stringify(Object.entries(row).map(([k, x]) => [k, normalise(x)])))
            .sort(),
        ),
      );
    const before = await snapshot();
    const r = await engine.importRows('observability', asItems(rows), { now: NOW });
    expect(r).toMatchObject({ accepted: 0, updated: 0, rejected: [] });
    expect(r.duplicates).toBe(data.messages.length + data.events.length + allAgents().length);
    expect(before.every((rs) => rs.length > 0)).toBe(true);
    expect(await snapshot()).toEqual(before);
  });
});

interface FlatAgent {
  stepId: string;
  parent: string | null;
  index: number;
  agent: Row;
  event: Row;
}

/** Every agent of every chain, workers included, walked here independently of the adapter. */
function allAgents(): FlatAgent[] {
  const out: FlatAgent[] = [];
  for (const event of data.events) {
    const visit = (list: Row[], parent: string | null, prefix: string) =>
      list.forEach((agent, index) => {
        const stepId = `${prefix}-${index}`;
        out.push({ stepId, parent, index, agent, event });
        visit((agent['workers'] as Row[] | undefined) ?? [], stepId, stepId);
      });
    visit(JSON.parse(String(event['agents'])) as Row[], null, String(event['event_id']));
  }
  return out;
}

/** The rows the seed's step view would give for workers, had it walked them. */
function flattenWorkers(): Row[] {
  return allAgents()
    .filter((a) => a.parent !== null)
    .map(({ stepId, parent, index, agent, event }) => ({
      step_id: stepId,
      event_id: event['event_id'],
      parent_step_id: parent,
      agent_name: agent['name'],
      agent_type: agent['type'],
      sequence: index,
      started_at: event['triggered_at'],
      completed_at: event['completed_at'],
      duration_ms: agent['duration_ms'],
      status: event['status'] === 'success' ? 'success' : 'error',
      input_tokens: agent['input_tokens'],
      output_tokens: agent['output_tokens'],
      cached_tokens: agent['cached_tokens'] ?? 0,
      model: agent['model'],
      tools_used: agent['tools'] === undefined ? null : JSON.stringify(agent['tools']),
      tool_calls_count: agent['tool_calls'] ?? 0,
      created_at: event['created_at'],
    }));
}

/** Published-price cost of the unarchived messages, per user and UTC day (after the backfill). */
function dailyCosts(): Map<string, number> {
  const costs = new Map<string, number>();
  for (const m of sourceMessages) {
    if (m['is_archived'] !== 0) continue;
    const day = Math.floor(Number(m['timestamp']) / 86_400_000) * 86_400_000;
    const key = `${String(m['user_id'])}@${day}`;
    costs.set(key, (costs.get(key) ?? 0) + publishedCostUsd(m));
  }
  return costs;
}
