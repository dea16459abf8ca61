import { Prng } from '../../../src/generator/prng.js';

/**
 * A realistic, deterministic data set in the seed's own tables (seed 000): a chat bot on several
 * platforms whose every user turn triggers a webhook event with an agent chain (a router, an
 * orchestrator with nested workers, sometimes a responder), and the conversation's messages.
 * Rows are `{table, ...columns}` objects, the NDJSON form `cairn import observability` reads.
 */
export type SeedRowObject = { table: 'observability_events' | 'chat_messages' } & Record<
  string,
  unknown
>;

export interface Dataset {
  events: SeedRowObject[];
  messages: SeedRowObject[];
}

/** Prices in USD per million tokens, as the providers publish them (not read from Cairn). */
export const PUBLISHED_PRICES: Readonly<
  Record<string, { input: number; output: number; cacheRead: number }>
> = {
  'gpt-4o-mini': { input: 0.15, output: 0.6, cacheRead: 0.075 },
  'gpt-4o': { input: 2.5, output: 10, cacheRead: 1.25 },
  'claude-sonnet-4-5': { input: 3, output: 15, cacheRead: 0.3 },
};

/** A model no price table knows: its messages are stored without a cost. */
export const UNPRICED_MODEL = 'homegrown-llm-7b';

const USERS = [
  { platform: 'telegram', user: '100234', name: 'alice' },
  { platform: 'telegram', user: '100871', name: 'bob' },
  { platform: 'telegram', user: '205513', name: 'chau' },
  { platform: 'github', user: 'duc-nguyen', name: 'duc-nguyen' },
  { platform: 'github', user: 'emma-k', name: 'emma-k' },
  { platform: 'web', user: 'w-7f3a', name: 'guest' },
  { platform: 'web', user: 'w-91bc', name: 'guest' },
] as const;

const ASSISTANT_MODELS = ['gpt-4o-mini', 'claude-sonnet-4-5', 'gpt-4o', UNPRICED_MODEL];
const WORKERS = ['code-worker', 'research-worker', 'github-worker', 'summary-worker'];
const TOOLS = ['web_search', 'fetch_url', 'github_api', 'run_code', 'read_file'];
const DAY = 86_400_000;

/** Builds the data set for `days` days ending at `end` (epoch ms). */
export function buildDataset(seed = 7, end = Date.parse('2026-11-20T12:00:00Z'), days = 3) {
  const prng = new Prng(seed, 'observability');
  const out: Dataset = { events: [], messages: [] };
  let messageId = 1;
  for (const [u, person] of USERS.entries()) {
    const sessions = prng.int(1, 3);
    for (let s = 0; s < sessions; s++) {
      const session = {
        prng,
        person,
        start: end - days * DAY + prng.int(0, days * DAY - 6 * 3_600_000),
        archived: prng.chance(0.15),
        legacy: u === 2 && s === 0,
      };
      messageId = buildSession(session, out, messageId);
    }
  }
  return out;
}

interface Session {
  prng: Prng;
  person: (typeof USERS)[number];
  start: number;
  archived: boolean;
  /** Rows written before the 0007 migration: no platform or user_id (the backfill's case). */
  legacy: boolean;
}

function buildSession(s: Session, out: Dataset, firstId: number): number {
  const p = s.prng;
  const sessionId = `${s.person.platform}:${s.person.user}`;
  const turns = p.int(2, 9);
  let t = s.start;
  let id = firstId;
  let sequence = 0;
  for (let turn = 0; turn < turns; turn++) {
    const event = buildEvent(p, s, t);
    out.events.push(event.row);
    const model = p.pick(ASSISTANT_MODELS);
    const base = { session_id: sessionId, event_id: event.row['event_id'] };
    out.messages.push(message(s, { ...base, id: id++, sequence: sequence++, role: 'user', t }));
    const answerAt = t + event.durationMs;
    out.messages.push(
      message(
        s,
        { ...base, id: id++, sequence: sequence++, role: 'assistant', t: answerAt },
        model,
      ),
    );
    t = answerAt + p.int(20_000, 900_000);
  }
  return id;
}

function message(
  s: Session,
  m: { id: number; sequence: number; role: string; t: number } & Record<string, unknown>,
  model?: string,
): SeedRowObject {
  const p = s.prng;
  const archived = s.archived || p.chance(0.05);
  const pinned = p.chance(0.06);
  const changed = archived || pinned;
  const input = model ? p.int(300, 12_000) : p.int(5, 80);
  const row: SeedRowObject = {
    table: 'chat_messages',
    id: m.id,
    event_id: m['event_id'],
    session_id: m['session_id'],
    message_id: p.hex128(),
    sequence: m.sequence,
    role: m.role,
    content: m.role === 'user' ? `question ${m.id} from ${s.person.name}` : `answer ${m.id}`,
    input_tokens: model ? input : 0,
    output_tokens: model ? p.int(40, 1_500) : 0,
    cached_tokens: model && model !== UNPRICED_MODEL && p.chance(0.5) ? p.int(0, input) : 0,
    reasoning_tokens: 0,
    timestamp: m.t,
    created_at: m.t + p.int(0, 40),
  };
  if (model) row['model'] = model;
  if (s.legacy) {
    // Explicit NULLs: the column DEFAULT 'telegram' would otherwise hide what the backfill derives.
    row['platform'] = null;
    row['user_id'] = null;
  } else {
    row['platform'] = s.person.platform;
    row['user_id'] = s.person.user;
    row['username'] = s.person.name;
    if (s.person.platform === 'telegram') row['chat_id'] = `-100${s.person.user}`;
  }
  const visibility = p.chance(0.2) ? 'public' : p.chance(0.5) ? 'private' : null;
  if (visibility) row['visibility'] = visibility;
  if (archived) row['is_archived'] = 1;
  if (pinned) row['is_pinned'] = 1;
  if (changed) row['updated_at'] = m.t + p.int(3_600_000, 20 * 3_600_000);
  if (p.chance(0.3)) row['metadata'] = JSON.stringify({ lang: p.pick(['en', 'vi']), v: 2 });
  return row;
}

/** A webhook event: an agent chain, tokens that add up over it, and an outcome. */
function buildEvent(p: Prng, s: Session, t: number) {
  const agents = chain(p);
  const tokens = sumTokens(agents);
  const durationMs = agents.reduce((n, a) => n + (a['duration_ms'] as number), 0) + p.int(5, 90);
  const roll = p.float();
  const status =
    roll < 0.8 ? 'success' : roll < 0.9 ? 'error' : roll < 0.95 ? 'pending' : 'processing';
  const done = status === 'success' || status === 'error';
  const row: SeedRowObject = {
    table: 'observability_events',
    event_id: p.uuid(),
    request_id: `req_${p.hex128().slice(0, 12)}`,
    app_source: `${s.person.platform}-webhook`,
    event_type: 'message',
    user_id: s.person.user,
    username: s.person.name,
    repo: s.person.platform === 'github' ? p.pick(['duyet/duyetbot-agent', 'acme/api']) : null,
    status,
    error_message: status === 'error' ? p.pick(['LLM timeout after 30s', 'rate limited']) : null,
    classification_type: p.pick(['simple', 'complex', 'tool_confidence']),
    classification_category: p.pick(['code', 'research', 'general']),
    classification_complexity: p.pick(['low', 'medium', 'high']),
    agents: JSON.stringify(agents),
    ...tokens,
    model: 'claude-sonnet-4-5',
    metadata: JSON.stringify({ webhook: s.person.platform, retries: p.int(0, 2) }),
    triggered_at: t,
    completed_at: done ? t + durationMs : null,
    created_at: t,
  };
  return { row, durationMs };
}

function chain(p: Prng): Record<string, unknown>[] {
  const agents = [agent(p, 'router', 'router', 'gpt-4o-mini')];
  const workers = Array.from({ length: p.int(0, 3) }, () =>
    agent(p, p.pick(WORKERS), 'worker', p.pick(['gpt-4o-mini', 'claude-sonnet-4-5'])),
  );
  const orchestrator = agent(p, 'orchestrator', 'agent', 'claude-sonnet-4-5');
  if (workers.length > 0) orchestrator['workers'] = workers;
  if (workers.length > 0 && p.chance(0.3))
    workers[0]!['workers'] = [agent(p, 'lint-worker', 'worker', 'gpt-4o-mini')];
  agents.push(orchestrator);
  if (p.chance(0.4)) agents.push(agent(p, 'responder', 'agent', 'gpt-4o-mini'));
  return agents;
}

function agent(p: Prng, name: string, type: string, model: string): Record<string, unknown> {
  const a: Record<string, unknown> = {
    name,
    type,
    model,
    duration_ms: p.int(80, 9_000),
    input_tokens: p.int(200, 8_000),
    output_tokens: p.int(10, 900),
  };
  if (p.chance(0.4)) a['cached_tokens'] = p.int(0, a['input_tokens'] as number);
  if (type !== 'router' && p.chance(0.6)) {
    const tools = TOOLS.filter(() => p.chance(0.4));
    a['tools'] = tools;
    a['tool_calls'] = tools.length + p.int(0, 2);
  }
  return a;
}

/** The chain's token totals, nested workers included: the event row's own columns. */
function sumTokens(agents: readonly Record<string, unknown>[]): Record<string, number> {
  const totals = { input_tokens: 0, output_tokens: 0, cached_tokens: 0, reasoning_tokens: 0 };
  const walk = (list: readonly Record<string, unknown>[]) => {
    for (const a of list) {
      totals.input_tokens += (a['input_tokens'] as number) ?? 0;
      totals.output_tokens += (a['output_tokens'] as number) ?? 0;
      totals.cached_tokens += (a['cached_tokens'] as number | undefined) ?? 0;
      walk((a['workers'] as Record<string, unknown>[] | undefined) ?? []);
    }
  };
  walk(agents);
  return { ...totals, total_tokens: totals.input_tokens + totals.output_tokens };
}

/** Cost in USD of one message, from the published prices (uncached input, cache reads, output). */
export function publishedCostUsd(row: Readonly<Record<string, unknown>>): number {
  const price = PUBLISHED_PRICES[String(row['model'])];
  if (!price) return 0;
  const input = Number(row['input_tokens'] ?? 0);
  const cached = Number(row['cached_tokens'] ?? 0);
  const output = Number(row['output_tokens'] ?? 0);
  return ((input - cached) * price.input + cached * price.cacheRead + output * price.output) / 1e6;
}
