import type { EventRow } from '../store/event-row.js';
import { isError } from '../rollups/definitions.js';

/**
 * Building agent traces: rows nested through parent_id into trees, with integer subtree totals
 * on every node. Pure; traces.ts reads the rows and sessions.ts shares the small helpers.
 */
/** Token counts by kind (see docs/events.md: cached and reasoning tokens are parts). */
export interface Tokens {
  input: number;
  output: number;
  cache_read: number;
  cache_write: number;
  reasoning: number;
}

/** Totals over a node and everything nested under it (the node itself included). */
export interface SubtreeTotals {
  events: number;
  errors: number;
  steps: number;
  llm_calls: number;
  tool_calls: number;
  tokens: Tokens;
  cost_usd: number;
}

export interface ErrorInfo {
  type: string | null;
  code: string | null;
  message: string | null;
}

export interface TraceNode {
  id: string;
  type: string;
  name: string | null;
  agent: string | null;
  model: string | null;
  tool: string | null;
  status: string;
  start: string;
  duration_ms: number | null;
  parent_id: string | null;
  tokens: Tokens;
  /** This event's own cost; null when it has none. */
  cost_usd: number | null;
  error: ErrorInfo | null;
  totals: SubtreeTotals;
  children: TraceNode[];
}

export const SPAN_COLUMNS = [
  'workspace',
  'id',
  'trace_id',
  'parent_id',
  'session_id',
  'user_id',
  'type',
  'name',
  'agent',
  'model',
  'tool',
  'status',
  'ts',
  'duration_ms',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'cost_nanos',
  'error_type',
  'error_code',
  'error_message',
] as const;

/** A row of the columns a tree needs. */
export type SpanRow = Pick<EventRow, (typeof SPAN_COLUMNS)[number]>;

const SUM_KEYS = [
  'events',
  'errors',
  'steps',
  'llm_calls',
  'tool_calls',
  'input',
  'output',
  'cache_read',
  'cache_write',
  'reasoning',
  'cost_nanos',
] as const;
/** Integer sums over a subtree (cost in nano-dollars, so sums stay exact). */
export type Sum = Record<(typeof SUM_KEYS)[number], number>;

/** A node while the tree is built; `sum` starts as the event's own and grows to its subtree's. */
export interface Building {
  row: SpanRow;
  index: number;
  parent: Building | null;
  children: Building[];
  sum: Sum;
}

/**
 * Nests rows (in time order) through parent_id and totals every subtree. A row whose parent is
 * absent, or itself, is a root; a parent_id cycle is cut at its earliest event, which becomes a
 * root. Iterative throughout, so a long parent chain cannot overflow the stack.
 */
export function buildForest(rows: readonly SpanRow[]): {
  roots: Building[];
  all: Map<string, Building>;
} {
  const all = new Map<string, Building>();
  const nodes = rows.map((row, index) => {
    const b: Building = { row, index, parent: null, children: [], sum: ownSum(row) };
    // A repeated id (impossible within a workspace) keeps its first row as the parent target.
    if (!all.has(row.id)) all.set(row.id, b);
    return b;
  });
  for (const b of nodes) {
    const parent = b.row.parent_id === null ? undefined : all.get(b.row.parent_id);
    if (parent && parent !== b) link(parent, b);
  }
  const roots = nodes.filter((b) => b.parent === null);
  const order = preOrder(roots);
  if (order.length < nodes.length) cutCycles(nodes, roots, order);
  for (let i = order.length - 1; i >= 0; i--) {
    const b = order[i]!;
    if (b.parent) addSum(b.parent.sum, b.sum);
  }
  return { roots, all };
}

function link(parent: Building, child: Building): void {
  child.parent = parent;
  parent.children.push(child);
}

/** Parents before children; `order` is extended in place. */
function preOrder(roots: readonly Building[], order: Building[] = []): Building[] {
  const stack = [...roots].reverse();
  while (stack.length > 0) {
    const b = stack.pop()!;
    order.push(b);
    for (let i = b.children.length - 1; i >= 0; i--) stack.push(b.children[i]!);
  }
  return order;
}

/** Nodes unreachable from a root sit on a parent_id cycle (or under one): cut it, earliest first. */
function cutCycles(nodes: readonly Building[], roots: Building[], order: Building[]): void {
  const seen = new Set(order);
  for (const b of nodes) {
    if (seen.has(b)) continue;
    const siblings = b.parent!.children;
    siblings.splice(siblings.indexOf(b), 1);
    b.parent = null;
    roots.push(b);
    const start = order.length;
    preOrder([b], order);
    for (let i = start; i < order.length; i++) seen.add(order[i]!);
  }
  roots.sort((a, b) => a.index - b.index);
}

export function emptySum(): Sum {
  return Object.fromEntries(SUM_KEYS.map((k) => [k, 0])) as Sum;
}

export function ownSum(r: SpanRow): Sum {
  return {
    events: 1,
    // The rollups' definition of a failure, so a run's errors match the summary's.
    errors: isError(r.status) ? 1 : 0,
    steps: r.type === 'agent_step' ? 1 : 0,
    llm_calls: r.type === 'llm_call' ? 1 : 0,
    tool_calls: r.type === 'tool_call' ? 1 : 0,
    input: r.input_tokens,
    output: r.output_tokens,
    cache_read: r.cache_read_tokens,
    cache_write: r.cache_write_tokens,
    reasoning: r.reasoning_tokens,
    cost_nanos: r.cost_nanos ?? 0,
  };
}

export function addSum(a: Sum, b: Readonly<Sum>): Sum {
  for (const k of SUM_KEYS) a[k] += b[k];
  return a;
}

export function totalsOf(s: Sum): SubtreeTotals {
  return {
    events: s.events,
    errors: s.errors,
    steps: s.steps,
    llm_calls: s.llm_calls,
    tool_calls: s.tool_calls,
    tokens: {
      input: s.input,
      output: s.output,
      cache_read: s.cache_read,
      cache_write: s.cache_write,
      reasoning: s.reasoning,
    },
    cost_usd: usd(s.cost_nanos),
  };
}

/** Output nodes without recursion: each is made once, then children are attached by reference. */
export function toNodes(roots: readonly Building[]): TraceNode[] {
  const out = new Map(preOrder(roots).map((b) => [b, nodeOf(b)] as const));
  for (const [b, node] of out) node.children = b.children.map((c) => out.get(c)!);
  return roots.map((r) => out.get(r)!);
}

function nodeOf(b: Building): TraceNode {
  const r = b.row;
  return {
    id: r.id,
    type: r.type,
    name: r.name,
    agent: r.agent,
    model: r.model,
    tool: r.tool,
    status: r.status,
    start: new Date(r.ts).toISOString(),
    duration_ms: r.duration_ms,
    parent_id: r.parent_id,
    tokens: tokensOf(r),
    cost_usd: r.cost_nanos === null ? null : usd(r.cost_nanos),
    error: errorOf(r),
    totals: totalsOf(b.sum),
    children: [],
  };
}

/** An event's own token counts. */
export function tokensOf(r: Pick<SpanRow, `${string}_tokens` & keyof SpanRow>): Tokens {
  return {
    input: r.input_tokens,
    output: r.output_tokens,
    cache_read: r.cache_read_tokens,
    cache_write: r.cache_write_tokens,
    reasoning: r.reasoning_tokens,
  };
}

/** The error an event carries, or null when it has none. */
export function errorOf(
  r: Pick<SpanRow, 'error_type' | 'error_code' | 'error_message'>,
): ErrorInfo | null {
  if (r.error_type === null && r.error_code === null && r.error_message === null) return null;
  return { type: r.error_type, code: r.error_code, message: r.error_message };
}

/** Nano-dollars to dollars, rounded as the metrics model rounds (metrics.ts), so sums agree. */
export function usd(nanos: number): number {
  return Number((nanos * 1e-9).toPrecision(12));
}
