/**
 * A deterministic seed-004 data set: three workspaces (one with no runs), agents, members and
 * users joining on different days, sessions of page views and other activity (some of one event:
 * bounces), and runs of every status over several models with errors and ratings, spread over
 * the 40 UTC days before today so that 1-, 7- and 30-day retention and the 30-day windows mean
 * something. Rows are in the seed's own shape, `{"table": …, …columns}`.
 */
export const DAY = 86_400_000;

export type Row = Record<string, unknown> & { table: string };

export interface Fixture {
  /** Reference rows: workspaces, agents, members, users. */
  reference: Row[];
  activity: Row[];
  /** Runs as first reported: the ones in `updates` are still running here. */
  runs: Row[];
  /** The same runs, finished, sent later. */
  updates: Row[];
}

const MODELS = ['gpt-4o', 'claude-sonnet-4-5', 'gemini-2.0-flash'];
const ERRORS: Array<[string, string]> = [
  ['Timeout', 'run exceeded 300 s'],
  ['RateLimit', 'provider returned 429'],
  ['ToolError', 'search tool failed'],
  ['Timeout', 'model did not answer'],
];
const OTHER_EVENTS = ['login', 'feature_use', 'agent_run', 'report_view', 'export', 'api_call'];

/** mulberry32: a small seeded generator, so every run of the tests sees the same rows. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Builds the data set for days [today − 40, today − 1], today being the UTC day of `now`. */
export function buildFixture(now: number): Fixture {
  const rnd = random(4004);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const today = Math.floor(now / DAY) * DAY;
  const f: Fixture = { reference: [], activity: [], runs: [], updates: [] };
  const spaces = [
    { id: 'ws-a', name: 'Acme', agents: 3, users: 6 },
    { id: 'ws-b', name: 'Globex', agents: 2, users: 4 },
    { id: 'ws-c', name: 'Initech', agents: 1, users: 0 },
  ];
  let n = 0;
  for (const w of spaces) {
    f.reference.push({ table: 'workspaces', id: w.id, name: w.name });
    for (let a = 0; a < w.agents; a++)
      f.reference.push({
        table: 'agents',
        id: `${w.id}-agent-${a}`,
        workspace_id: w.id,
        name: `Agent ${a}`,
      });
    for (let u = 0; u < w.users; u++) {
      const user = `${w.id}-user-${u}`;
      const joined = today - (40 - Math.floor(rnd() * 30)) * DAY;
      f.reference.push({
        table: 'users',
        id: user,
        email: `${user}@example.com`,
        created_at: iso(joined),
      });
      f.reference.push({
        table: 'workspace_members',
        workspace_id: w.id,
        user_id: user,
        role: u === 0 ? 'owner' : 'member',
      });
      for (let d = joined; d < today; d += DAY) {
        // Most users are busy in their first days and drift away; some come back.
        if (d !== joined && rnd() > (d - joined < 7 * DAY ? 0.7 : 0.35)) continue;
        const sessions = 1 + Math.floor(rnd() * 2);
        for (let s = 0; s < sessions; s++) {
          const session = `${user}-s-${d / DAY}-${s}`;
          let t = d + (1 + Math.floor(rnd() * 20)) * 3_600_000 + Math.floor(rnd() * 3_000_000);
          const events = rnd() < 0.25 ? 1 : 2 + Math.floor(rnd() * 3);
          for (let e = 0; e < events; e++) {
            const type = e === 0 ? 'page_view' : rnd() < 0.5 ? 'page_view' : pick(OTHER_EVENTS);
            f.activity.push({
              table: 'user_activity',
              id: `act-${++n}`,
              user_id: user,
              workspace_id: w.id,
              event_type: type,
              event_name: type === 'feature_use' ? 'share' : null,
              page_path: type === 'page_view' ? pick(['/dashboard', '/agents', '/runs']) : null,
              session_id: session,
              ip_address: '10.0.0.1',
              user_agent: 'Mozilla/5.0',
              metadata: { plan: 'pro' },
              created_at: iso(t),
            });
            t += 10_000 + Math.floor(rnd() * 600_000);
          }
          addRuns(f, rnd, pick, { w: w.id, agents: w.agents, user, t, n: () => ++n });
        }
      }
    }
  }
  return f;
}

interface RunContext {
  w: string;
  agents: number;
  user: string;
  t: number;
  n: () => number;
}

function addRuns(
  f: Fixture,
  rnd: () => number,
  pick: <T>(xs: readonly T[]) => T,
  c: RunContext,
): void {
  const count = Math.floor(rnd() * 3);
  for (let r = 0; r < count; r++) {
    const started = c.t + r * 120_000;
    const runtime = Math.round((0.5 + rnd() * rnd() * 120) * 100) / 100;
    const roll = rnd();
    const status =
      roll < 0.65 ? 'completed' : roll < 0.82 ? 'failed' : roll < 0.92 ? 'cancelled' : 'running';
    const [errorType, errorMessage] = status === 'failed' ? pick(ERRORS) : [null, null];
    const row: Row = {
      table: 'agent_runs',
      id: `run-${c.n()}`,
      agent_id: `${c.w}-agent-${Math.floor(rnd() * c.agents)}`,
      user_id: c.user,
      workspace_id: c.w,
      status,
      started_at: iso(started),
      completed_at: status === 'running' ? null : iso(started + runtime * 1000),
      runtime_seconds: status === 'running' ? null : runtime,
      credits_consumed: status === 'running' ? null : Math.round(rnd() * 500) / 100,
      tokens_used: status === 'running' ? null : Math.floor(rnd() * 20_000),
      model: pick(MODELS),
      error_type: errorType,
      error_message: errorMessage,
      rating: status === 'completed' && rnd() < 0.4 ? 1 + Math.floor(rnd() * 5) : null,
    };
    // One run in seven that ends is first reported while running, and updated later.
    if (status !== 'running' && rnd() < 0.15) {
      f.runs.push({
        ...row,
        status: 'running',
        completed_at: null,
        runtime_seconds: null,
        credits_consumed: null,
        tokens_used: null,
        error_type: null,
        error_message: null,
        rating: null,
      });
      f.updates.push(row);
    } else f.runs.push(row);
  }
}
