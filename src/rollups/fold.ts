import type { CairnEvent } from '../core/event.js';
import {
  bucketOf,
  dimensionValue,
  isError,
  ROLLUPS,
  type RollupDef,
  type RollupGrain,
} from './definitions.js';
import { addValue } from './sketch.js';
import { emptyStats, toMicros, type Stats } from './stats.js';

/** One touched rollup row: its key, its measures and its latency bins (bin → count). */
export interface RollupRowDelta {
  def: RollupDef;
  grain: RollupGrain;
  workspace: string;
  bucket: number;
  type: string;
  /** Dimension values in the order of `def.dimensions`; '' when the event has none. */
  values: string[];
  stats: Stats;
  bins: Map<number, number>;
  /** Something was subtracted from this row: its minimum and maximum need recomputing. */
  retracted: boolean;
}

/** One user's activity on one UTC day: the exact active-user set behind DAU/WAU/MAU. */
export interface UserDayDelta {
  workspace: string;
  user_id: string;
  day: number;
  events: number;
  errors: number;
  cost_nanos: number;
  input_tokens: number;
  output_tokens: number;
}

/** What a batch changes in the rollups, pre-aggregated: one entry per touched row. */
export interface RollupDelta {
  rows: Map<string, RollupRowDelta>;
  userDays: Map<string, UserDayDelta>;
  /** True when anything was subtracted: minima and maxima may then need recomputing. */
  retracted: boolean;
}

export function emptyDelta(): RollupDelta {
  return { rows: new Map(), userDays: new Map(), retracted: false };
}

/**
 * Folds events into a delta: +1 to add them, −1 to retract them (an update replaces an event's
 * old contribution with its new one). Pure; the same fold serves ingest, verify and rebuild, so a
 * recomputation from raw is the same arithmetic as the rollups it checks.
 */
export function foldEvents(
  events: Iterable<CairnEvent>,
  sign: 1 | -1 = 1,
  delta = emptyDelta(),
  rollups: readonly RollupDef[] = ROLLUPS,
): RollupDelta {
  if (sign < 0) delta.retracted = true;
  for (const e of events) {
    for (const def of rollups) foldInto(delta, def, e, sign);
    if (e.user_id !== null) foldUserDay(delta, e, sign);
  }
  return delta;
}

function foldInto(delta: RollupDelta, def: RollupDef, e: CairnEvent, sign: 1 | -1): void {
  const values = def.dimensions.map((d) => dimensionValue(e, d) ?? '');
  // Keys are built as strings first; row objects are made only for rows not yet in the delta.
  const tail = `\u0000${e.workspace}\u0000${e.type}\u0000${values.join('\u0000')}`;
  for (const grain of def.grains) {
    const bucket = bucketOf(e.timestamp, grain);
    const id = `${def.name}\u0000${grain}\u0000${bucket}${tail}`;
    let row = delta.rows.get(id);
    if (!row) {
      row = {
        retracted: false,
        def,
        grain,
        workspace: e.workspace,
        bucket,
        type: e.type,
        values,
        stats: emptyStats(),
        bins: new Map(),
      };
      delta.rows.set(id, row);
    }
    if (sign < 0) row.retracted = true;
    addEvent(row, e, sign);
  }
}

/** Something that accumulates events: a rollup row, or a group of a raw-events answer. */
export interface Accumulator {
  stats: Stats;
  bins: Map<number, number>;
}

/** Adds (or retracts) one event's contribution to an accumulator. */
export function addEvent(row: Accumulator, e: CairnEvent, sign: 1 | -1 = 1): void {
  const s = row.stats;
  s.count += sign;
  if (isError(e.status)) s.errors += sign;
  s.input_tokens += sign * e.input_tokens;
  s.output_tokens += sign * e.output_tokens;
  s.cache_read_tokens += sign * e.cache_read_tokens;
  s.cache_write_tokens += sign * e.cache_write_tokens;
  s.reasoning_tokens += sign * e.reasoning_tokens;
  s.cost_nanos += sign * (e.cost_nanos ?? 0);
  if (sign > 0) seen(s, e.timestamp);
  if (e.duration_ms === null) return;
  const us = toMicros(e.duration_ms);
  s.duration_count += sign;
  s.duration_sum_us += sign * us;
  addValue(row.bins, e.duration_ms, sign);
  if (sign > 0) {
    s.duration_min_us = s.duration_min_us === null ? us : Math.min(s.duration_min_us, us);
    s.duration_max_us = s.duration_max_us === null ? us : Math.max(s.duration_max_us, us);
  }
}

function seen(s: Stats, ts: number): void {
  s.first_seen = s.first_seen === null ? ts : Math.min(s.first_seen, ts);
  s.last_seen = s.last_seen === null ? ts : Math.max(s.last_seen, ts);
}

function foldUserDay(delta: RollupDelta, e: CairnEvent, sign: 1 | -1): void {
  const day = bucketOf(e.timestamp, 'day');
  const id = `${e.workspace}\u0000${e.user_id}\u0000${day}`;
  let row = delta.userDays.get(id);
  if (!row) {
    row = {
      workspace: e.workspace,
      user_id: e.user_id!,
      day,
      events: 0,
      errors: 0,
      cost_nanos: 0,
      input_tokens: 0,
      output_tokens: 0,
    };
    delta.userDays.set(id, row);
  }
  row.events += sign;
  if (isError(e.status)) row.errors += sign;
  row.cost_nanos += sign * (e.cost_nanos ?? 0);
  row.input_tokens += sign * e.input_tokens;
  row.output_tokens += sign * e.output_tokens;
}
