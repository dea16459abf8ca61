/**
 * Calendar buckets in an IANA time zone, computed with the built-in Intl API only.
 *
 * Two kinds of grain, because users read them differently:
 * - clock grains (minute, hour) are spans of elapsed time: the instants that share a local
 *   minute/hour *and* a UTC offset. In whole-hour zones they are exactly UTC minutes/hours, so
 *   Berlin's repeated 02:00 hour in October is two one-hour buckets, not one of two hours.
 * - calendar grains (day, week) follow the wall calendar: a bucket starts at the first instant
 *   whose local time reaches midnight (Monday midnight for ISO weeks), so DST days last 23 or
 *   25 hours and a midnight that does not exist (America/Santiago) resolves to the first instant
 *   of that day.
 *
 * Offsets come from Intl once per zone and UTC day and are cached, so bucketing is a few Map
 * lookups; the module has no other state and takes every instant as an argument.
 */

/** The bucket sizes Cairn groups by, smallest first. */
export const GRAINS = ['minute', 'hour', 'day', 'week'] as const;
/** One of {@link GRAINS}. */
export type Grain = (typeof GRAINS)[number];

const SECOND_MS = 1_000;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** ECMAScript's Date range, less headroom for the neighbouring buckets we inspect. */
const MAX_INSTANT = 8.64e15 - 2 * WEEK_MS;
/** About 550 years of UTC days per zone; past that the cache is rebuilt rather than grown. */
const MAX_CACHED_DAYS = 200_000;

/** The UTC offset at a transition inside one UTC day: `before` up to `at`, `after` from it. */
interface Transition {
  readonly at: number;
  readonly before: number;
  readonly after: number;
}

type Zone =
  | { readonly kind: 'fixed'; readonly offset: number }
  | {
      readonly kind: 'named';
      readonly format: Intl.DateTimeFormat;
      /** UTC day index → the offset (ms) all day, or the one transition that day. */
      readonly days: Map<number, number | Transition>;
    };

interface GrainRule {
  start(ts: number, zone: Zone): number;
  next(start: number, zone: Zone): number;
}

/** Validated zones by the string callers pass, and by canonical name so aliases share a cache. */
const zones = new Map<string, Zone>();
const UTC_ZONE: Zone = { kind: 'fixed', offset: 0 };
/** The ECMAScript offset time zone forms ±HH, ±HHMM and ±HH:MM (Intl in Node 20 rejects them). */
const FIXED_OFFSET = /^([+-])([01]\d|2[0-3])(?::?([0-5]\d))?$/;

/**
 * Throws RangeError naming the zone when it is not a valid IANA zone (e.g. 'Mars/Base'). 'UTC'
 * and fixed offsets like '+05:30' / '-08:00' are accepted too.
 */
export function assertTimeZone(tz: string): void {
  zoneOf(tz);
}

/**
 * Offset of the zone from UTC at instant `ts`, in minutes (e.g. +60 for Europe/Berlin in winter,
 * -300 for America/New_York in winter, +330 for Asia/Kolkata). Historical local mean time can
 * carry seconds, so the result is fractional there (-44.5 for Africa/Monrovia in 1970).
 */
export function zoneOffsetMinutes(ts: number, tz: string): number {
  assertInstant('ts', ts);
  return offsetAt(ts, zoneOf(tz)) / MINUTE_MS;
}

/**
 * Start (epoch ms) of the bucket of grain `grain` in zone `tz` that contains `ts`. Weeks start on
 * Monday 00:00 local time (ISO weeks). Days start at local midnight (which on DST days is 23 or
 * 25 hours from the next).
 */
export function bucketStart(ts: number, grain: Grain, tz: string): number {
  assertInstant('ts', ts);
  return ruleOf(grain).start(ts, zoneOf(tz));
}

/**
 * Start of the bucket after the one that starts at `start` (for day/week in DST zones this is NOT
 * start + 24h/7d). Given any instant, it returns the first bucket boundary after it.
 */
export function nextBucketStart(start: number, grain: Grain, tz: string): number {
  assertInstant('start', start);
  return ruleOf(grain).next(start, zoneOf(tz));
}

/**
 * All bucket starts b with bucketStart(from) <= b < to, ascending: the buckets that overlap
 * [from, to), so an empty range (to <= from) has none. Throws RangeError if that would exceed
 * `maxBuckets` (default 10_000).
 */
export function bucketStarts(
  from: number,
  to: number,
  grain: Grain,
  tz: string,
  maxBuckets = 10_000,
): number[] {
  const { rule, zone } = rangeArgs(from, to, grain, tz);
  if (!Number.isInteger(maxBuckets) || maxBuckets < 0) {
    throw new RangeError(`maxBuckets: must be a non-negative integer, got ${maxBuckets}`);
  }
  const starts: number[] = [];
  if (to <= from) return starts;
  for (let b = rule.start(from, zone); b < to; b = rule.next(b, zone)) {
    if (starts.length === maxBuckets) {
      throw new RangeError(
        `bucketStarts: ${grain} buckets in ${tz} over [${iso(from)}, ${iso(to)}) exceed maxBuckets (${maxBuckets})`,
      );
    }
    starts.push(b);
  }
  return starts;
}

/**
 * True when every bucket boundary of `grain` in `tz` over [from, to) is a multiple of `unitMs`
 * in UTC, i.e. rollups kept in UTC units of `unitMs` (60_000, 3_600_000 or 86_400_000) sum into
 * these buckets exactly: false for Asia/Kolkata day buckets by hour, true for Europe/Berlin. The
 * boundaries checked are the starts of the buckets that overlap [from, to) and the end of the
 * last one. An empty range is trivially aligned.
 */
export function alignedTo(
  unitMs: number,
  from: number,
  to: number,
  grain: Grain,
  tz: string,
): boolean {
  const { rule, zone } = rangeArgs(from, to, grain, tz);
  if (!Number.isInteger(unitMs) || unitMs <= 0) {
    throw new RangeError(`unitMs: must be a positive integer of milliseconds, got ${unitMs}`);
  }
  if (to <= from) return true;
  const clockMs = CLOCK_MS[grain];
  const walk = { rule, zone, from, to };
  return clockMs === undefined
    ? calendarAligned(unitMs, walk)
    : clockAligned(unitMs, clockMs, walk);
}

function clockRule(unit: number): GrainRule {
  return {
    start: (ts, zone) => {
      const offset = offsetAt(ts, zone);
      const start = floorTo(ts + offset, unit) - offset;
      // The local-grid start can lie before a transition; the bucket then begins at the change.
      return lastTransition(start, ts, zone) ?? start;
    },
    next: (start, zone) => {
      const offset = offsetAt(start, zone);
      const end = floorTo(start + offset, unit) - offset + unit;
      return firstTransition(start, end, zone) ?? end;
    },
  };
}

/** `floorWall` maps a wall-clock time (local ms, as if UTC) to its bucket's wall start. */
function calendarRule(step: number, floorWall: (wall: number) => number): GrainRule {
  return {
    start: (ts, zone) => {
      let wall = floorWall(ts + offsetAt(ts, zone));
      let start = firstInstantAt(wall, zone);
      // A fall-back across midnight (America/Goose_Bay went from 00:01 back to 23:01 until 2011)
      // shows yesterday's date after today began; the later bucket wins so buckets stay contiguous.
      for (let later = firstInstantAt(wall + step, zone); later <= ts;) {
        start = later;
        wall += step;
        later = firstInstantAt(wall + step, zone);
      }
      return start;
    },
    next: (start, zone) => {
      let wall = floorWall(start + offsetAt(start, zone));
      let next: number;
      // Several wall days can share one first instant when a whole day is skipped (Pacific/Apia
      // left out 2011-12-30), so step until the boundary actually moves.
      do {
        wall += step;
        next = firstInstantAt(wall, zone);
      } while (next <= start);
      return next;
    },
  };
}

/** ISO weeks: 1970-01-01 (day 0) was a Thursday, three days after a Monday. */
function floorToMonday(wall: number): number {
  const day = Math.floor(wall / DAY_MS);
  return (day - mod(day + 3, 7)) * DAY_MS;
}

const RULES: Readonly<Record<Grain, GrainRule>> = {
  minute: clockRule(MINUTE_MS),
  hour: clockRule(HOUR_MS),
  day: calendarRule(DAY_MS, (wall) => floorTo(wall, DAY_MS)),
  week: calendarRule(WEEK_MS, floorToMonday),
};

const CLOCK_MS: Readonly<Partial<Record<Grain, number>>> = { minute: MINUTE_MS, hour: HOUR_MS };

function ruleOf(grain: Grain): GrainRule {
  // Grains can come from query strings; a typo must not reach Object.prototype.
  if (!Object.hasOwn(RULES, grain)) {
    throw new RangeError(`grain: must be one of ${GRAINS.join(', ')}, got "${String(grain)}"`);
  }
  return RULES[grain];
}

function rangeArgs(from: number, to: number, grain: Grain, tz: string) {
  assertInstant('from', from);
  assertInstant('to', to);
  return { rule: ruleOf(grain), zone: zoneOf(tz) };
}

interface Walk {
  readonly rule: GrainRule;
  readonly zone: Zone;
  readonly from: number;
  readonly to: number;
}

function calendarAligned(unit: number, { rule, zone, from, to }: Walk): boolean {
  for (let b = rule.start(from, zone); ; b = rule.next(b, zone)) {
    if (mod(b, unit) !== 0) return false;
    if (b >= to) return true;
  }
}

/**
 * Walks offset segments rather than buckets so a year of minute buckets costs a few hundred
 * steps: inside one segment the boundaries are a grid of step `clockMs`, aligned to `unit` as a
 * whole or not at all; only the transitions between segments need checking one by one.
 */
function clockAligned(unit: number, clockMs: number, { rule, zone, from, to }: Walk): boolean {
  for (let b = rule.start(from, zone); ;) {
    if (mod(b, unit) !== 0) return false;
    if (b >= to) return true;
    const offset = offsetAt(b, zone);
    if (clockMs % unit !== 0 || mod(offset, unit) !== 0) {
      b = rule.next(b, zone);
      continue;
    }
    const gridEnd = Math.ceil((to + offset) / clockMs) * clockMs - offset;
    const change = firstTransition(b, gridEnd, zone);
    if (change === undefined) return true;
    b = change;
  }
}

function offsetAt(ts: number, zone: Zone): number {
  if (zone.kind === 'fixed') return zone.offset;
  const entry = dayEntry(Math.floor(ts / DAY_MS), zone);
  if (typeof entry === 'number') return entry;
  return ts < entry.at ? entry.before : entry.after;
}

/**
 * The first instant whose local time is at or after the wall time `wall`: the earlier of two
 * instants in a fall-back overlap, the transition itself in a spring-forward gap. This follows
 * Temporal's GetPossibleEpochNanoseconds (offsets a day either side) and startOfDay.
 */
function firstInstantAt(wall: number, zone: Zone): number {
  const a = offsetAt(wall - DAY_MS, zone);
  const b = offsetAt(wall + DAY_MS, zone);
  const early = wall - Math.max(a, b);
  if (offsetAt(early, zone) === Math.max(a, b)) return early;
  const late = wall - Math.min(a, b);
  if (offsetAt(late, zone) === Math.min(a, b)) return late;
  return firstTransition(early, late, zone) ?? late;
}

/** The first transition t with lo < t <= hi. */
function firstTransition(lo: number, hi: number, zone: Zone): number | undefined {
  if (zone.kind === 'fixed') return undefined;
  for (let day = Math.floor(lo / DAY_MS); day <= Math.floor(hi / DAY_MS); day++) {
    const entry = dayEntry(day, zone);
    if (typeof entry !== 'number' && entry.at > lo && entry.at <= hi) return entry.at;
  }
  return undefined;
}

/** The last transition t with lo < t <= hi. */
function lastTransition(lo: number, hi: number, zone: Zone): number | undefined {
  if (zone.kind === 'fixed') return undefined;
  for (let day = Math.floor(hi / DAY_MS); day >= Math.floor(lo / DAY_MS); day--) {
    const entry = dayEntry(day, zone);
    if (typeof entry !== 'number' && entry.at > lo && entry.at <= hi) return entry.at;
  }
  return undefined;
}

function dayEntry(day: number, zone: Zone & { kind: 'named' }): number | Transition {
  const cached = zone.days.get(day);
  if (cached !== undefined) return cached;
  if (zone.days.size >= MAX_CACHED_DAYS) zone.days.clear();
  const entry = learnDay(day, zone.format);
  zone.days.set(day, entry);
  return entry;
}

/**
 * Asks Intl for the offsets just before a UTC day and at its last second and, when they differ,
 * bisects to the second of the change (tzdb transitions fall on whole seconds). Starting a second
 * early keeps a change at exactly 00:00 UTC (Africa/Lagos, 1908) from being missed by both days.
 * Like the Temporal polyfill's transition search, this assumes no zone changes offset twice in
 * one day.
 */
function learnDay(day: number, format: Intl.DateTimeFormat): number | Transition {
  let lo = day * DAY_MS - SECOND_MS;
  let hi = lo + DAY_MS;
  const before = intlOffset(lo, format);
  const after = intlOffset(hi, format);
  if (before === after) return before;
  while (hi - lo > SECOND_MS) {
    const mid = lo + Math.floor((hi - lo) / 2 / SECOND_MS) * SECOND_MS;
    if (intlOffset(mid, format) === before) lo = mid;
    else hi = mid;
  }
  return { at: hi, before, after };
}

/** Local wall time minus UTC at the whole second containing `ts`. */
function intlOffset(ts: number, format: Intl.DateTimeFormat): number {
  const second = Math.floor(ts / SECOND_MS) * SECOND_MS;
  return wallClock(format.formatToParts(second)) - second;
}

function wallClock(parts: Intl.DateTimeFormatPart[]): number {
  const f: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of parts) f[part.type] = part.value;
  const year = Number(f.year);
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, keeps years 0–99 as they are; en-US writes 1 BC as "1 BC".
  date.setUTCFullYear(f.era === 'BC' ? 1 - year : year, Number(f.month) - 1, Number(f.day));
  // Some ICU versions print midnight as 24 even with h23.
  date.setUTCHours(Number(f.hour) % 24, Number(f.minute), Number(f.second));
  return date.getTime();
}

function zoneOf(tz: string): Zone {
  let zone = zones.get(tz);
  if (zone === undefined) {
    zone = tz === 'UTC' ? UTC_ZONE : (fixedZone(tz) ?? namedZone(tz));
    zones.set(tz, zone);
  }
  return zone;
}

function fixedZone(tz: string): Zone | undefined {
  const m = FIXED_OFFSET.exec(tz);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  // `|| 0` turns "-00:00" into 0 rather than -0, which Object.is and toBe tell apart.
  return { kind: 'fixed', offset: (m[1] === '-' ? -minutes : minutes) * MINUTE_MS || 0 };
}

function namedZone(tz: string): Zone {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      calendar: 'gregory',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw new RangeError(
      `time zone: "${tz}" is not an IANA time zone (e.g. "Europe/Berlin"), "UTC" or an offset (e.g. "+05:30")`,
    );
  }
  const canonical = format.resolvedOptions().timeZone;
  const shared = zones.get(canonical) ?? { kind: 'named', format, days: new Map() };
  zones.set(canonical, shared);
  return shared;
}

function assertInstant(name: string, ts: number): void {
  if (typeof ts !== 'number' || !(Math.abs(ts) <= MAX_INSTANT)) {
    throw new RangeError(
      `${name}: must be finite epoch milliseconds within the Date range, got ${ts}`,
    );
  }
}

function floorTo(value: number, unit: number): number {
  return Math.floor(value / unit) * unit;
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

function iso(ts: number): string {
  return new Date(ts).toISOString();
}
