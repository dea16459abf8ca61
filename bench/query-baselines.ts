import type Database from 'better-sqlite3';
import { DAY_MS } from './workload.js';

/**
 * The seeds' own ways of answering the overview, on the same data (Cairn's `events` table, whose
 * context columns and (ts) index already favour them over the seeds' JSON-laden source tables):
 *
 * - seed 000, compute on read: SQL aggregates over the raw rows at every read (its views);
 * - seed 003, raw scan: SELECT the rows of the range and aggregate in JavaScript.
 *
 * Both answer less than Cairn's overview: WAU and MAU for the last day only (Cairn: every day).
 */
export type Overview = (to: number) => unknown;

const HOUR_MS = 3_600_000;
const ERR = `status <> 'ok'`;

/** Seed 000: one SQL statement per tile, recomputed from raw rows on every read. */
export function computeOnRead(db: Database.Database): Overview {
  const q = {
    totals: db.prepare(
      `SELECT COUNT(*) n, SUM(${ERR}) errors, SUM(input_tokens) input, SUM(output_tokens) output,
        SUM(cost_nanos) cost, AVG(duration_ms) avg FROM events WHERE ts >= ? AND ts < ?`,
    ),
    quantiles: db.prepare(
      `SELECT rn, duration_ms FROM (SELECT duration_ms, ROW_NUMBER() OVER (ORDER BY duration_ms) rn,
        COUNT(*) OVER () n FROM events WHERE ts >= ? AND ts < ? AND duration_ms IS NOT NULL)
       WHERE rn IN ((n * 50 + 99) / 100, (n * 95 + 99) / 100, (n * 99 + 99) / 100)`,
    ),
    byModel: db.prepare(groupSql('model', 'model IS NOT NULL')),
    byTool: db.prepare(groupSql('tool', `type = 'tool_call' AND tool IS NOT NULL`)),
    hourly: db.prepare(
      `SELECT ts / ${HOUR_MS} h, COUNT(*) n, SUM(${ERR}) errors, SUM(input_tokens + output_tokens) tokens,
        SUM(cost_nanos) cost, AVG(duration_ms) avg FROM events WHERE ts >= ? AND ts < ? GROUP BY h`,
    ),
    dau: db.prepare(
      `SELECT ts / ${DAY_MS} d, COUNT(DISTINCT workspace || char(0) || user_id) users FROM events
       WHERE ts >= ? AND ts < ? AND user_id IS NOT NULL GROUP BY d`,
    ),
    distinctUsers: db.prepare(
      `SELECT COUNT(DISTINCT workspace || char(0) || user_id) users FROM events
       WHERE ts >= ? AND ts < ? AND user_id IS NOT NULL`,
    ),
  };
  return (to) => {
    const from = to - DAY_MS;
    return {
      totals: q.totals.get(from, to),
      quantiles: q.quantiles.all(from, to),
      byModel: q.byModel.all(from, to),
      byTool: q.byTool.all(from, to),
      hourly: q.hourly.all(from, to),
      dau: q.dau.all(to - 30 * DAY_MS, to),
      wau: q.distinctUsers.get(to - 7 * DAY_MS, to),
      mau: q.distinctUsers.get(to - 30 * DAY_MS, to),
    };
  };
}

function groupSql(col: string, where: string): string {
  return `SELECT ${col} k, COUNT(*) n, SUM(${ERR}) errors, SUM(input_tokens) input,
    SUM(output_tokens) output, SUM(cost_nanos) cost, AVG(duration_ms) avg FROM events
    WHERE ts >= ? AND ts < ? AND ${where} GROUP BY ${col} ORDER BY n DESC LIMIT 5`;
}

interface ScanRow {
  ts: number;
  type: string;
  status: string;
  model: string | null;
  tool: string | null;
  input_tokens: number;
  output_tokens: number;
  cost_nanos: number | null;
  duration_ms: number | null;
}

/** Seed 003: fetch the range's rows, then count, sum and sort durations in JavaScript. */
export function rawScan(db: Database.Database): Overview {
  const rows = db.prepare(
    `SELECT ts, type, status, model, tool, input_tokens, output_tokens, cost_nanos, duration_ms
     FROM events WHERE ts >= ? AND ts < ?`,
  );
  const users = db.prepare(
    `SELECT ts, workspace, user_id FROM events WHERE ts >= ? AND ts < ? AND user_id IS NOT NULL`,
  );
  return (to) => {
    const day = rows.all(to - DAY_MS, to) as ScanRow[];
    const total = new Group();
    const byModel = new Map<string, Group>();
    const byTool = new Map<string, Group>();
    const hourly = new Map<number, Group>();
    for (const r of day) {
      total.add(r);
      if (r.model !== null) groupOf(byModel, r.model).add(r);
      if (r.type === 'tool_call' && r.tool !== null) groupOf(byTool, r.tool).add(r);
      groupOf(hourly, Math.floor(r.ts / HOUR_MS)).add(r);
    }
    return {
      total: total.result(),
      byModel: top5(byModel),
      byTool: top5(byTool),
      hourly: [...hourly].map(([h, g]) => [h, g.result()]),
      users: activeUsers(users.all(to - 30 * DAY_MS, to) as UserRow[], to),
    };
  };
}

class Group {
  n = 0;
  errors = 0;
  input = 0;
  output = 0;
  cost = 0;
  durations: number[] = [];

  add(r: ScanRow): void {
    this.n++;
    if (r.status !== 'ok') this.errors++;
    this.input += r.input_tokens;
    this.output += r.output_tokens;
    this.cost += r.cost_nanos ?? 0;
    if (r.duration_ms !== null) this.durations.push(r.duration_ms);
  }

  result(): Record<string, number | undefined> {
    const d = this.durations.sort((a, b) => a - b);
    const at = (q: number) => d[Math.max(0, Math.ceil(q * d.length) - 1)];
    return {
      n: this.n,
      errors: this.errors,
      input: this.input,
      output: this.output,
      cost: this.cost,
      p50: at(0.5),
      p95: at(0.95),
      p99: at(0.99),
    };
  }
}

function groupOf<K>(m: Map<K, Group>, k: K): Group {
  let g = m.get(k);
  if (!g) m.set(k, (g = new Group()));
  return g;
}

function top5(m: Map<string, Group>): [string, Record<string, number | undefined>][] {
  return [...m]
    .sort((a, b) => b[1].n - a[1].n)
    .slice(0, 5)
    .map(([k, g]) => [k, g.result()]);
}

interface UserRow {
  ts: number;
  workspace: string;
  user_id: string;
}

function activeUsers(rows: UserRow[], to: number): { dau: number[]; wau: number; mau: number } {
  const days = new Map<number, Set<string>>();
  const week = new Set<string>();
  const month = new Set<string>();
  for (const r of rows) {
    const key = `${r.workspace}\u0000${r.user_id}`;
    const d = Math.floor(r.ts / DAY_MS);
    let s = days.get(d);
    if (!s) days.set(d, (s = new Set()));
    s.add(key);
    month.add(key);
    if (r.ts >= to - 7 * DAY_MS) week.add(key);
  }
  return { dau: [...days.values()].map((s) => s.size), wau: week.size, mau: month.size };
}
