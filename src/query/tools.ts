import type { ExpressionBuilder } from 'kysely';
import { z } from 'zod';
import { binOf } from '../rollups/sketch.js';
import { emptyStats } from '../rollups/stats.js';
import type { Database } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { evaluate } from './metrics.js';
import { rangeParams, resolveRange } from './params.js';
import { compareKeys } from './summary.js';

/** Clients and error codes listed per tool, most frequent first. */
export const TOP_CLIENTS = 20;
export const TOP_ERROR_CODES = 10;
const FAILED = ['error', 'timeout'] as const;

const text = z.string().min(1).max(512);

export const toolUsageParams = rangeParams.pick({ from: true, to: true, workspace: true }).extend({
  tool: text.optional().describe('Only this tool'),
  client_name: text.optional().describe('Only calls from this client'),
  limit: z.coerce.number().int().min(1).max(1_000).default(100).describe('Most-called N tools'),
});

export interface ErrorCodeCount {
  error_type: string | null;
  error_code: string | null;
  /** What the code means: a JSON-RPC code's name, or an MCP result's isError. */
  label: string | null;
  count: number;
}

export interface ToolUsageRow {
  tool: string | null;
  calls: number;
  errors: number;
  error_rate: number | null;
  timeouts: number;
  /** Distinct sessions that called the tool. */
  sessions: number;
  /** Latency quantiles from the same histogram as every other Cairn latency (±1 %). */
  duration_ms: { p50: number | null; p95: number | null; p99: number | null };
  /** `client_name@client_version` (or the name alone); null for calls without a client. */
  clients: Array<{ client: string | null; count: number }>;
  error_codes: ErrorCodeCount[];
}

export interface ToolUsageResult {
  tools: ToolUsageRow[];
}

const JSON_RPC: Readonly<Record<number, string>> = {
  [-32700]: 'parse error',
  [-32600]: 'invalid request',
  [-32601]: 'method not found',
  [-32602]: 'invalid params',
  [-32603]: 'internal error',
  // Reserved server-error codes the MCP TypeScript SDK gives a meaning (its ErrorCode enum).
  [-32000]: 'server error (connection closed)',
  [-32001]: 'server error (request timeout)',
};

/**
 * A label for an error: the JSON-RPC 2.0 name of a reserved code (-32000..-32099 are server
 * errors), or, for an MCP tool result with `isError: true` — which adapters record as error type
 * `tool_error` without a code — 'tool result isError'. Null for anything else (HTTP codes …).
 */
export function errorLabel(type: string | null, code: string | null): string | null {
  if (code !== null && /^-?\d+$/.test(code.trim())) {
    const n = Number(code);
    const known = JSON_RPC[n];
    if (known !== undefined) return known;
    if (n <= -32000 && n >= -32099) return 'server error';
  }
  if (type === 'tool_error' && code === null) return 'tool result isError';
  return null;
}

type Filters = z.output<typeof toolUsageParams> & { from: number; to: number };

/** Tool calls in [from, to) with the filters: a range scan of the (workspace, ts) index. */
function toolCalls(store: Store, f: Filters) {
  let q = store.reader
    .selectFrom('events')
    .where('ts', '>=', f.from)
    .where('ts', '<', f.to)
    .where('type', '=', 'tool_call');
  if (f.workspace !== undefined) q = q.where('workspace', '=', f.workspace);
  if (f.tool !== undefined) q = q.where('tool', '=', f.tool);
  if (f.client_name !== undefined) q = q.where('client_name', '=', f.client_name);
  return q;
}

function countIf(eb: ExpressionBuilder<Database, 'events'>, statuses: readonly string[]) {
  return eb.fn.sum<number>(
    eb.case().when('status', 'in', statuses).then(eb.lit(1)).else(eb.lit(0)).end(),
  );
}

/**
 * Per tool (tool_call events in [from, to)): calls, errors, timeouts, distinct sessions, latency
 * quantiles, clients and the commonest error codes, most-called first. Four GROUP BY queries
 * aggregate in the database (counts; clients; error codes; durations with their multiplicity), so
 * what crosses the wire is bounded by distinct values, not by calls; the quantiles are read from
 * the rollups' latency histogram (sketch.ts) built from those durations, so they equal the
 * summary's for the same tool.
 */
export async function toolUsage(
  store: Store,
  p: z.output<typeof toolUsageParams>,
  now = Date.now(),
): Promise<ToolUsageResult> {
  const f: Filters = { ...p, ...resolveRange(p, now) };
  const [totals, clients, codes, durations] = await Promise.all([
    toolCalls(store, f)
      .select((eb) => [
        'tool',
        eb.fn.countAll<number>().as('calls'),
        countIf(eb, FAILED).as('errors'),
        countIf(eb, ['timeout']).as('timeouts'),
        eb.fn.count<number>('session_id').distinct().as('sessions'),
      ])
      .groupBy('tool')
      .execute(),
    toolCalls(store, f)
      .select((eb) => ['tool', 'client_name', 'client_version', eb.fn.countAll<number>().as('n')])
      .groupBy(['tool', 'client_name', 'client_version'])
      .execute(),
    toolCalls(store, f)
      .where('status', 'in', FAILED)
      .select((eb) => ['tool', 'error_type', 'error_code', eb.fn.countAll<number>().as('n')])
      .groupBy(['tool', 'error_type', 'error_code'])
      .execute(),
    toolCalls(store, f)
      .where('duration_ms', 'is not', null)
      .select((eb) => ['tool', 'duration_ms', eb.fn.countAll<number>().as('n')])
      .groupBy(['tool', 'duration_ms'])
      .execute(),
  ]);
  const [byClient, byCode, byDuration] = [byTool(clients), byTool(codes), byTool(durations)];
  const rows = totals.map((t) => ({
    tool: t.tool,
    calls: Number(t.calls),
    errors: Number(t.errors),
    error_rate: Number(t.calls) === 0 ? null : Number(t.errors) / Number(t.calls),
    timeouts: Number(t.timeouts),
    sessions: Number(t.sessions),
    duration_ms: latency(byDuration.get(t.tool) ?? []),
    clients: top(
      byClient.get(t.tool) ?? [],
      (c) => clientOf(c.client_name, c.client_version),
      TOP_CLIENTS,
    ).map(([client, count]) => ({ client, count })),
    error_codes: errorCodes(byCode.get(t.tool) ?? []),
  }));
  rows.sort((a, b) => b.calls - a.calls || compareKeys(a.tool, b.tool));
  return { tools: rows.slice(0, p.limit) };
}

/** Rows grouped by their tool, in one pass. */
function byTool<R extends { tool: string | null }>(rows: readonly R[]): Map<string | null, R[]> {
  const out = new Map<string | null, R[]>();
  for (const r of rows) {
    const list = out.get(r.tool);
    if (list) list.push(r);
    else out.set(r.tool, [r]);
  }
  return out;
}

/** p50/p95/p99 through the shared metrics model, from durations counted n times each. */
function latency(durations: ReadonlyArray<{ duration_ms: number | null; n: number | string }>) {
  const bins = new Map<number, number>();
  // The same binning addEvent applies per event (sketch.addValue), n events at once.
  for (const d of durations) {
    const bin = binOf(d.duration_ms!);
    bins.set(bin, (bins.get(bin) ?? 0) + Number(d.n));
  }
  const m = evaluate(['duration_p50', 'duration_p95', 'duration_p99'], {
    stats: emptyStats(),
    bins,
  }) as Record<string, number | null>;
  return { p50: m.duration_p50 ?? null, p95: m.duration_p95 ?? null, p99: m.duration_p99 ?? null };
}

function clientOf(name: string | null, version: string | null): string | null {
  if (name === null) return null;
  return version === null ? name : `${name}@${version}`;
}

/** Counts by key, most first, ties by key (null last), the first `n`. */
function top<R extends { n: number | string }>(
  rows: readonly R[],
  keyOf: (r: R) => string | null,
  n: number,
): Array<[string | null, number]> {
  const counts = new Map<string | null, number>();
  for (const r of rows) counts.set(keyOf(r), (counts.get(keyOf(r)) ?? 0) + Number(r.n));
  return [...counts].sort((a, b) => b[1] - a[1] || compareKeys(a[0], b[0])).slice(0, n);
}

function errorCodes(
  rows: ReadonlyArray<{ error_type: string | null; error_code: string | null; n: number | string }>,
): ErrorCodeCount[] {
  return rows
    .map((r) => ({
      error_type: r.error_type,
      error_code: r.error_code,
      label: errorLabel(r.error_type, r.error_code),
      count: Number(r.n),
    }))
    .sort(
      (a, b) =>
        b.count - a.count ||
        compareKeys(a.error_code, b.error_code) ||
        compareKeys(a.error_type, b.error_type),
    )
    .slice(0, TOP_ERROR_CODES);
}
