import { sql } from 'kysely';
import { DIMENSION_COLUMNS, type Dimension } from '../rollups/definitions.js';
import type { Store } from '../store/store.js';
import { aggregate } from './aggregate.js';
import { evaluate } from './metrics.js';

/** Requests, errors and cost over a trailing window ending at the summary's `to`. */
export interface WindowTotals {
  requests: number;
  errors: number;
  cost_usd: number;
}

export interface ExtrasQuery {
  to: number;
  from: number;
  by: Dimension | null;
  type?: string | undefined;
  workspace?: string | undefined;
}

const WINDOWS = { last_24h: 86_400_000, last_7d: 7 * 86_400_000 } as const;
export type WindowName = keyof typeof WINDOWS;

/**
 * The trailing 24-hour and 7-day windows of every key (seed 003's summary columns), each an
 * aggregate of its own through the same planner, so they too are served from rollups.
 */
export async function trailingWindows(
  store: Store,
  q: ExtrasQuery,
): Promise<Map<string | null, Record<WindowName, WindowTotals>>> {
  const out = new Map<string | null, Record<WindowName, WindowTotals>>();
  for (const [name, span] of Object.entries(WINDOWS) as Array<[WindowName, number]>) {
    const { groups } = await aggregate(store, { ...q, from: q.to - span });
    for (const g of groups) {
      const m = evaluate(['requests', 'errors', 'cost_usd'], g) as Record<string, number>;
      const entry = out.get(g.key) ?? { last_24h: zero(), last_7d: zero() };
      entry[name] = { requests: m.requests!, errors: m.errors!, cost_usd: m.cost_usd! };
      out.set(g.key, entry);
    }
  }
  return out;
}

function zero(): WindowTotals {
  return { requests: 0, errors: 0, cost_usd: 0 };
}

/**
 * The model with the most events for each key in [from, to) (ties: the first by name). No rollup
 * keeps a dimension beside model, so this counts raw events with one GROUP BY: slower than the
 * rest of a summary on long ranges, and only computed when asked for.
 */
export async function mostUsedModels(
  store: Store,
  q: ExtrasQuery,
): Promise<Map<string | null, string>> {
  const column = q.by === null ? null : DIMENSION_COLUMNS[q.by];
  let query = store.reader
    .selectFrom('events')
    .select((eb) => [
      'model',
      eb.fn.countAll<number>().as('n'),
      (column ? sql.ref(column) : sql<null>`null`).as('k'),
    ])
    .where('ts', '>=', q.from)
    .where('ts', '<', q.to)
    .where('model', 'is not', null);
  if (q.workspace !== undefined) query = query.where('workspace', '=', q.workspace);
  if (q.type !== undefined) query = query.where('type', '=', q.type);
  const rows = await query.groupBy(column ? [column, 'model'] : ['model']).execute();
  const best = new Map<string | null, { model: string; n: number }>();
  for (const r of rows) {
    const key = (r.k as string | null) ?? null;
    const n = Number(r.n);
    const cur = best.get(key);
    if (!cur || n > cur.n || (n === cur.n && r.model! < cur.model))
      best.set(key, { model: r.model!, n });
  }
  return new Map([...best].map(([k, v]) => [k, v.model]));
}
