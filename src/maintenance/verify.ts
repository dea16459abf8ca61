import { ROLLUPS, tableOf } from '../rollups/definitions.js';
import { foldEvents, type RollupDelta } from '../rollups/fold.js';
import { decodeBins } from '../rollups/sketch.js';
import type { Store } from '../store/store.js';
import { rollupRecord } from '../store/rollup-writer.js';
import { DAY, daysCovering } from './day-range.js';

export interface VerifyOptions {
  from: number;
  to: number;
  workspace?: string | undefined;
  onDay?: (day: number, done: number, total: number) => void;
}

export interface Difference {
  table: string;
  key: string;
  /** What the rollup holds, and what a recomputation from raw events gives (null: no row). */
  stored: string | null;
  expected: string | null;
}

export interface VerifyResult {
  days: number;
  rowsChecked: number;
  differences: Difference[];
}

/**
 * Recomputes every rollup row of each UTC day in range from the raw events, with the same fold
 * that ingest uses, and lists every row that differs. There must be none.
 */
export async function verifyRollups(store: Store, o: VerifyOptions): Promise<VerifyResult> {
  const days = daysCovering(o.from, o.to);
  const result: VerifyResult = { days: days.length, rowsChecked: 0, differences: [] };
  for (const [i, day] of days.entries()) {
    const expected = await foldDay(store, day, o.workspace);
    await compareDay(store, day, o.workspace, expected, result);
    o.onDay?.(day, i + 1, days.length);
  }
  return result;
}

/** The delta of one UTC day recomputed from raw events. */
export async function foldDay(
  store: Store,
  day: number,
  workspace: string | undefined,
  db?: Parameters<Store['scanEvents']>[2],
): Promise<RollupDelta> {
  const delta = foldEvents([]);
  for await (const page of store.scanEvents({ from: day, to: day + DAY, workspace }, 10_000, db))
    foldEvents(page, 1, delta);
  return delta;
}

async function compareDay(
  store: Store,
  day: number,
  workspace: string | undefined,
  expected: RollupDelta,
  result: VerifyResult,
): Promise<void> {
  for (const def of ROLLUPS) {
    const keyCols = ['grain', 'workspace', 'bucket', 'type', ...def.dimensions];
    const want = new Map<string, string>();
    for (const row of expected.rows.values())
      if (row.def === def) put(want, rollupRecord(row), keyCols);
    const have = new Map<string, string>();
    for (const rec of await store.rollupRows(def, day, day + DAY, workspace))
      put(have, rec, keyCols);
    diff(tableOf(def), have, want, result);
  }
  const keyCols = ['workspace', 'user_id', 'day'];
  const want = new Map<string, string>();
  for (const u of expected.userDays.values()) put(want, { ...u }, keyCols);
  const have = new Map<string, string>();
  for (const rec of await store.userDayRows(day, day + DAY, workspace)) put(have, rec, keyCols);
  diff('user_days', have, want, result);
}

/** A row as canonical text: key columns, then measures as numbers, the histogram as sorted bins. */
function put(into: Map<string, string>, rec: Record<string, unknown>, keyCols: string[]): void {
  const key = keyCols.map((c) => String(rec[c])).join(' / ');
  const measures = Object.keys(rec)
    .filter((c) => !keyCols.includes(c))
    .sort()
    .map(
      (c) =>
        `${c}=${c === 'hist' ? JSON.stringify([...decodeBins(rec[c])].sort((a, b) => a[0] - b[0])) : rec[c] === null ? 'null' : Number(rec[c])}`,
    );
  into.set(key, measures.join(' '));
}

function diff(
  table: string,
  have: Map<string, string>,
  want: Map<string, string>,
  result: VerifyResult,
): void {
  for (const [key, expected] of want) {
    result.rowsChecked++;
    const stored = have.get(key) ?? null;
    if (stored !== expected) result.differences.push({ table, key, stored, expected });
  }
  for (const [key, stored] of have)
    if (!want.has(key)) result.differences.push({ table, key, stored, expected: null });
}
