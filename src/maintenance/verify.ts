import type { Kysely } from 'kysely';
import { ROLLUPS, tableOf } from '../rollups/definitions.js';
import { foldEvents, type RollupDelta } from '../rollups/fold.js';
import { decodeBins } from '../rollups/sketch.js';
import type { Store } from '../store/store.js';
import { rollupRecord } from '../store/rollup-writer.js';
import { DAY, daysCovering } from './day-range.js';
import { readWatermarks, type Watermarks } from './retention-store.js';

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

/** A range verify did not check because retention deleted what it would compare. */
export interface SkippedRange {
  workspace: string;
  /** `raw`: no raw rows left, so no rollup row there can be recomputed; a grain: its rows gone. */
  source: 'raw' | 'minute' | 'hour' | 'day';
  from: number;
  to: number;
  /** E.g. "no raw rows (retention)". */
  reason: string;
}

export interface VerifyResult {
  days: number;
  rowsChecked: number;
  differences: Difference[];
  skipped: SkippedRange[];
}

/**
 * Recomputes every rollup row of each UTC day in range from the raw events, with the same fold
 * that ingest uses, and lists every row that differs. There must be none. Days before a
 * workspace's retention watermarks are skipped for that workspace and reported in `skipped`:
 * with its raw rows deleted, every kept rollup row there would otherwise read as a difference.
 */
export async function verifyRollups(store: Store, o: VerifyOptions): Promise<VerifyResult> {
  const days = daysCovering(o.from, o.to);
  const marks = await readWatermarks(store, o.workspace);
  const result: VerifyResult = {
    days: days.length,
    rowsChecked: 0,
    differences: [],
    skipped: skippedRanges(marks, days),
  };
  const checked = (rec: Record<string, unknown>, day: number) => {
    const m = marks.get(String(rec['workspace']));
    const grain = (rec['grain'] ?? 'day') as 'minute' | 'hour' | 'day';
    return !m || (day >= (m.raw ?? day) && day >= (m[grain] ?? day));
  };
  for (const [i, day] of days.entries()) {
    const expected = await recompute(store, day, o.workspace);
    await compareDay(store, day, o.workspace, expected, result, checked);
    o.onDay?.(day, i + 1, days.length);
  }
  return result;
}

/** The days of the range that lie before each workspace's watermarks, merged into ranges. */
export function skippedRanges(marks: Watermarks, days: number[]): SkippedRange[] {
  const first = days[0];
  if (first === undefined) return [];
  const end = days[days.length - 1]! + DAY;
  const out: SkippedRange[] = [];
  for (const [workspace, m] of [...marks].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const source of ['raw', 'minute', 'hour', 'day'] as const) {
      const mark = m[source];
      if (mark === undefined || mark <= first) continue;
      // A grain pruned no further than the raw rows adds nothing to the raw skip.
      if (source !== 'raw' && mark <= (m.raw ?? -Infinity)) continue;
      const from = source === 'raw' ? first : Math.max(first, m.raw ?? first);
      const what = source === 'raw' ? 'raw rows' : `${source} rollup rows`;
      out.push({
        workspace,
        source,
        from,
        to: Math.min(mark, end),
        reason: `no ${what} (retention)`,
      });
    }
  }
  return out;
}

/**
 * The delta of one UTC day recomputed from raw events, for rebuild. It refuses a day whose raw
 * rows retention deleted (in the workspace, or in any when none is named): the rebuild would
 * replace the rollups kept there — the only history left — with an empty recomputation.
 */
export async function foldDay(
  store: Store,
  day: number,
  workspace: string | undefined,
  db?: Parameters<Store['scanEvents']>[2],
): Promise<RollupDelta> {
  const marks = await readWatermarks(store, workspace, db as Kysely<unknown> | undefined);
  for (const [ws, m] of marks) {
    if (m.raw !== undefined && day < m.raw) {
      const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);
      throw new RangeError(
        `${date(day)}: retention deleted the raw events of workspace ${ws} before ${date(m.raw)}, so their rollups cannot be rebuilt; start at --from ${date(m.raw)} or name another --workspace`,
      );
    }
  }
  return recompute(store, day, workspace, db);
}

async function recompute(
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
  checked: (rec: Record<string, unknown>, day: number) => boolean,
): Promise<void> {
  const keep = (rec: Record<string, unknown>) => checked(rec, day);
  for (const def of ROLLUPS) {
    const keyCols = ['grain', 'workspace', 'bucket', 'type', ...def.dimensions];
    const want = new Map<string, string>();
    for (const row of expected.rows.values())
      if (row.def === def) put(want, rollupRecord(row), keyCols, keep);
    const have = new Map<string, string>();
    for (const rec of await store.rollupRows(def, day, day + DAY, workspace))
      put(have, rec, keyCols, keep);
    diff(tableOf(def), have, want, result);
  }
  const keyCols = ['workspace', 'user_id', 'day'];
  const want = new Map<string, string>();
  for (const u of expected.userDays.values()) put(want, { ...u }, keyCols, keep);
  const have = new Map<string, string>();
  for (const rec of await store.userDayRows(day, day + DAY, workspace))
    put(have, rec, keyCols, keep);
  diff('user_days', have, want, result);
}

/** A row as canonical text: key columns, then measures as numbers, the histogram as sorted bins. */
function put(
  into: Map<string, string>,
  rec: Record<string, unknown>,
  keyCols: string[],
  keep: (rec: Record<string, unknown>) => boolean,
): void {
  if (!keep(rec)) return;
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

/** One line for a skipped range, as `cairn verify` prints it. */
export function describeSkipped(s: SkippedRange): string {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return `${s.workspace}: ${day(s.from)} to ${day(s.to)} skipped: ${s.reason}`;
}
