/**
 * A deterministic chat_telemetry data set for seed 003's tests, placed relative to a given "now"
 * (the views' windows use the database clock), and an independent oracle: plain TypeScript over
 * the same rows, written from the seed's column descriptions rather than from Cairn's SQL.
 */
export interface TestRow {
  id: number;
  workspace: string;
  session_id: string;
  domain: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number | null;
  duration_ms: number | null;
  search_count: number | null;
  iteration_count: number;
  success: boolean;
  error_message: string | null;
  /** Epoch ms. */
  created_at: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Public list prices, USD per million tokens (input, output), as the providers publish them. */
const PRICES: Record<string, [number, number]> = {
  'gpt-4o-mini': [0.15, 0.6],
  'gpt-4o': [2.5, 10],
  'claude-sonnet-4-5': [3, 15],
};
const DOMAINS = ['shop.example.com', 'docs.example.org', 'help.example.net'];
// gpt-4o-mini twice: a realistic mix. One row (i = 40) uses a model no price table knows.
const MODELS = ['gpt-4o-mini', 'gpt-4o', 'claude-sonnet-4-5', 'gpt-4o-mini'];

/** A small linear congruential generator: the same numbers on every run. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

/** 72 rows over ten days before `now`, plus 6 in a second workspace. */
export function buildRows(now: number): TestRow[] {
  const rand = lcg(20251118);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const rows: TestRow[] = [];
  for (let i = 0; i < 78; i++) {
    const minutesAgo = 20 + i * 187;
    const model = i === 40 ? 'acme-llm-1' : MODELS[int(0, 3)]!;
    const failed = i % 7 === 3;
    rows.push({
      id: 1000 + i,
      workspace: i < 72 ? 'default' : 'tenant-b',
      session_id: `s-${i % 11}`,
      domain: DOMAINS[(i * 5 + int(0, 2)) % 3]!,
      model,
      input_tokens: int(200, 20_000),
      output_tokens: int(50, 2_000),
      // Half the rows report their cost (6 decimals); Cairn prices the rest.
      cost_usd: i % 2 === 0 && model !== 'acme-llm-1' ? int(100, 90_000) / 1e6 : null,
      duration_ms: i % 17 === 5 ? null : int(150, 5_000),
      search_count: i % 13 === 3 ? null : int(0, 4),
      iteration_count: int(1, 3),
      success: !failed,
      error_message: failed && i % 2 === 1 ? `upstream timeout after ${int(10, 60)} s` : null,
      created_at: now - minutesAgo * 60_000 - int(0, 59_999),
    });
  }
  for (const r of rows) {
    const age = now - r.created_at;
    // Seconds pass between writing and reading; keep every row well clear of a window's edge.
    if (Math.abs(age - DAY) < 5 * 60_000 || Math.abs(age - 7 * DAY) < 5 * 60_000)
      throw new Error(`row ${r.id} sits on a window boundary`);
  }
  return rows;
}

/** The rows as import lines: `{"table": "chat_telemetry", …columns}`, seed column names. */
export function importLine(r: TestRow): Record<string, unknown> {
  const { workspace: _workspace, ...columns } = r;
  return {
    table: 'chat_telemetry',
    ...columns,
    total_tokens: r.input_tokens + r.output_tokens,
    created_at: new Date(r.created_at).toISOString(),
  };
}

/** Cost in nano-dollars: the reported one, else tokens × list price, else unknown. */
export function costNanos(r: TestRow): number | null {
  if (r.cost_usd !== null) return Math.round(r.cost_usd * 1e9);
  const price = PRICES[r.model];
  if (!price) return null;
  return r.input_tokens * price[0] * 1000 + r.output_tokens * price[1] * 1000;
}

/** PostgreSQL's percentile_cont: linear interpolation between the two nearest ranks. */
export function percentileCont(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  const pos = (v.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, v.length - 1);
  return v[lo]! + (pos - lo) * (v[hi]! - v[lo]!);
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const avg = (xs: number[]) => (xs.length === 0 ? null : sum(xs) / xs.length);
const max = (xs: number[]) => (xs.length === 0 ? null : Math.max(...xs));
const min = (xs: number[]) => (xs.length === 0 ? null : Math.min(...xs));
const known = <T>(xs: Array<T | null>) => xs.filter((x): x is T => x !== null);
const iso = (ms: number) => new Date(ms).toISOString();

function groupBy<K extends string>(rows: TestRow[], key: (r: TestRow) => K): Map<K, TestRow[]> {
  const out = new Map<K, TestRow[]>();
  for (const r of rows) out.set(key(r), [...(out.get(key(r)) ?? []), r]);
  return out;
}

/** The model with the most rows; a tie goes to the first name in alphabetical order. */
function mostUsed(rows: TestRow[]): string {
  const counts = [...groupBy(rows, (r) => r.model)].map(([m, rs]) => [m, rs.length] as const);
  counts.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return counts[0]![0];
}

/** Measures both summaries share, per group of rows. */
function common(rows: TestRow[], now: number) {
  const costs = known(rows.map(costNanos));
  const ok = rows.filter((r) => r.success).length;
  const tokens = rows.map((r) => r.input_tokens + r.output_tokens);
  const durations = known(rows.map((r) => r.duration_ms));
  const newest = Math.max(...rows.map((r) => r.created_at));
  const within = (days: number) => rows.filter((r) => r.created_at >= now - days * DAY);
  return { costs, ok, tokens, durations, within, newest };
}

/** chat_telemetry_domain_summary as the seed describes it, keyed `workspace|domain`. */
export function expectedDomainSummary(all: TestRow[], now: number): Map<string, object> {
  const newest = newestByWorkspace(all);
  const out = new Map<string, object>();
  for (const [key, rows] of groupBy(all, (r) => `${r.workspace}|${r.domain}`)) {
    const c = common(rows, now);
    const cost = (rs: TestRow[]) => sum(known(rs.map(costNanos))) / 1e9;
    out.set(key, {
      workspace: rows[0]!.workspace,
      domain: rows[0]!.domain,
      total_requests_all_time: rows.length,
      successful_requests_all_time: c.ok,
      success_rate_pct: (100 * c.ok) / rows.length,
      total_cost_usd_all_time: sum(c.costs) / 1e9,
      avg_cost_per_request: c.costs.length === 0 ? null : avg(c.costs)! / 1e9,
      max_cost_single_request: c.costs.length === 0 ? null : max(c.costs)! / 1e9,
      total_input_tokens: sum(rows.map((r) => r.input_tokens)),
      total_output_tokens: sum(rows.map((r) => r.output_tokens)),
      total_tokens: sum(c.tokens),
      avg_tokens_per_request: avg(c.tokens),
      avg_duration_ms: avg(c.durations),
      median_duration_ms: percentileCont(c.durations, 0.5),
      p95_duration_ms: percentileCont(c.durations, 0.95),
      max_duration_ms: max(c.durations),
      avg_searches_per_request: avg(known(rows.map((r) => r.search_count))),
      total_searches: sum(known(rows.map((r) => r.search_count))),
      avg_iterations_per_request: avg(rows.map((r) => r.iteration_count)),
      most_used_model: mostUsed(rows),
      unique_models_used: new Set(rows.map((r) => r.model)).size,
      first_request_at: iso(Math.min(...rows.map((r) => r.created_at))),
      last_request_at: iso(c.newest),
      requests_last_24h: c.within(1).length,
      cost_last_24h: cost(c.within(1)),
      requests_last_7d: c.within(7).length,
      cost_last_7d: cost(c.within(7)),
      materialized_at: iso(newest.get(rows[0]!.workspace)!),
    });
  }
  return out;
}

/** chat_telemetry_model_summary as the seed describes it, keyed `workspace|model`. */
export function expectedModelSummary(all: TestRow[], now: number): Map<string, object> {
  const newest = newestByWorkspace(all);
  const out = new Map<string, object>();
  for (const [key, rows] of groupBy(all, (r) => `${r.workspace}|${r.model}`)) {
    const c = common(rows, now);
    const priced = rows.filter((r) => costNanos(r) !== null);
    const pricedTokens = sum(priced.map((r) => r.input_tokens + r.output_tokens));
    out.set(key, {
      workspace: rows[0]!.workspace,
      model: rows[0]!.model,
      total_uses: rows.length,
      unique_domains: new Set(rows.map((r) => r.domain)).size,
      successful_requests: c.ok,
      success_rate_pct: (100 * c.ok) / rows.length,
      total_cost: sum(c.costs) / 1e9,
      avg_cost_per_request: c.costs.length === 0 ? null : avg(c.costs)! / 1e9,
      cost_per_1k_tokens: pricedTokens === 0 ? null : (sum(c.costs) / 1e9 / pricedTokens) * 1000,
      avg_duration_ms: avg(c.durations),
      p95_duration_ms: percentileCont(c.durations, 0.95),
      avg_tokens_per_request: avg(c.tokens),
      avg_input_tokens: avg(rows.map((r) => r.input_tokens)),
      avg_output_tokens: avg(rows.map((r) => r.output_tokens)),
      total_tokens: sum(c.tokens),
      avg_searches_per_request: avg(known(rows.map((r) => r.search_count))),
      avg_iterations_per_request: avg(rows.map((r) => r.iteration_count)),
      first_used_at: iso(Math.min(...rows.map((r) => r.created_at))),
      last_used_at: iso(c.newest),
      uses_last_24h: c.within(1).length,
      uses_last_7d: c.within(7).length,
      materialized_at: iso(newest.get(rows[0]!.workspace)!),
    });
  }
  return out;
}

function newestByWorkspace(rows: TestRow[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) out.set(r.workspace, Math.max(out.get(r.workspace) ?? 0, r.created_at));
  return out;
}

/** Hourly trend rows (oldest first) for hours starting in [start, now], optionally one domain. */
export function expectedTrend(all: TestRow[], start: number, now: number, domain?: string) {
  const picked = all.filter((r) => domain === undefined || r.domain === domain);
  const hours = groupBy(picked, (r) => String(Math.floor(r.created_at / HOUR) * HOUR));
  return [...hours]
    .map(([h, rows]) => ({ hour: Number(h), rows }))
    .filter(({ hour }) => hour >= start && hour <= now)
    .sort((a, b) => a.hour - b.hour)
    .map(({ hour, rows }) => {
      const ok = rows.filter((r) => r.success).length;
      const durations = known(rows.map((r) => r.duration_ms));
      return {
        granularity: 'hour',
        bucket_start: iso(hour),
        ...(domain !== undefined && { domain }),
        total_requests: rows.length,
        successful_requests: ok,
        failed_requests: rows.length - ok,
        success_rate_pct: (100 * ok) / rows.length,
        total_cost_usd: sum(known(rows.map(costNanos))) / 1e9,
        total_input_tokens: sum(rows.map((r) => r.input_tokens)),
        total_output_tokens: sum(rows.map((r) => r.output_tokens)),
        total_tokens: sum(rows.map((r) => r.input_tokens + r.output_tokens)),
        avg_duration_ms: avg(durations),
        min_duration_ms: min(durations),
        max_duration_ms: max(durations),
      };
    });
}
