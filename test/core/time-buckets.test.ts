import { describe, expect, it } from 'vitest';
import {
  GRAINS,
  alignedTo,
  assertTimeZone,
  bucketStart,
  bucketStarts,
  nextBucketStart,
  zoneOffsetMinutes,
  type Grain,
} from '../../src/core/time-buckets.js';

// Expected values are written-out instants (checked against the tzdb rules named beside them) or
// read back through Intl here, never produced by the module under test.
const utc = Date.UTC;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * "2026-03-29 03:00:00 Sun" in `tz`, formatted by Intl independently of the module. Intl in
 * Node 20 has no offset zones, so "+05:30" is applied by hand and formatted as UTC.
 */
function local(ts: number, tz: string): string {
  const fixed = /^([+-])(\d\d):(\d\d)$/.exec(tz);
  if (fixed) {
    const minutes = Number(fixed[2]) * 60 + Number(fixed[3]);
    return local(ts + (fixed[1] === '-' ? -minutes : minutes) * MINUTE, 'UTC');
  }
  let format = formats.get(tz);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(tz, format);
  }
  const f = Object.fromEntries(format.formatToParts(ts).map((p) => [p.type, p.value]));
  return `${f.year}-${f.month}-${f.day} ${f.hour}:${f.minute}:${f.second} ${f.weekday}`;
}

const localDate = (ts: number, tz: string) => local(ts, tz).slice(0, 10);

function dayBucket(ts: number, tz: string): [start: number, hours: number] {
  const start = bucketStart(ts, 'day', tz);
  return [start, (nextBucketStart(start, 'day', tz) - start) / HOUR];
}

function sweep(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let ts = from; ts < to; ts += step) out.push(ts);
  return out;
}

describe('UTC', () => {
  const ts = utc(2026, 4, 17, 13, 47, 12, 345); // a Sunday

  it('floors to the minute, hour and day', () => {
    expect(bucketStart(ts, 'minute', 'UTC')).toBe(utc(2026, 4, 17, 13, 47));
    expect(bucketStart(ts, 'hour', 'UTC')).toBe(utc(2026, 4, 17, 13));
    expect(bucketStart(ts, 'day', 'UTC')).toBe(utc(2026, 4, 17));
  });

  it('puts a Sunday in the week that began the Monday before', () => {
    expect(bucketStart(ts, 'week', 'UTC')).toBe(utc(2026, 4, 11));
    expect(nextBucketStart(utc(2026, 4, 11), 'week', 'UTC')).toBe(utc(2026, 4, 18));
  });

  it('has offset 0, and a bucket start is its own bucket', () => {
    expect(zoneOffsetMinutes(ts, 'UTC')).toBe(0);
    for (const grain of GRAINS) {
      const start = bucketStart(ts, grain, 'UTC');
      expect(bucketStart(start, grain, 'UTC')).toBe(start);
    }
  });

  it('handles instants before 1970 and in the first century', () => {
    expect(bucketStart(utc(1969, 11, 31, 23, 59), 'day', 'UTC')).toBe(utc(1969, 11, 31));
    const year50 = new Date(0).setUTCFullYear(50, 5, 15); // Date.UTC would read 50 as 1950
    expect(bucketStart(year50 + 5 * HOUR, 'day', 'Europe/Berlin')).toBe(
      year50 - 53 * MINUTE - 28_000,
    );
  });
});

describe('Europe/Berlin in 2026 (EU rule: last Sunday of March and October, 01:00 UTC)', () => {
  const tz = 'Europe/Berlin';
  const springForward = utc(2026, 2, 29, 1); // 02:00 CET → 03:00 CEST
  const fallBack = utc(2026, 9, 25, 1); // 03:00 CEST → 02:00 CET

  it('reports +60 in winter and +120 in summer, switching at the transition', () => {
    expect(zoneOffsetMinutes(utc(2026, 0, 15), tz)).toBe(60);
    expect(zoneOffsetMinutes(utc(2026, 6, 15), tz)).toBe(120);
    expect(zoneOffsetMinutes(springForward - 1, tz)).toBe(60);
    expect(zoneOffsetMinutes(springForward, tz)).toBe(120);
    expect(zoneOffsetMinutes(fallBack - 1, tz)).toBe(120);
    expect(zoneOffsetMinutes(fallBack, tz)).toBe(60);
  });

  it('makes 29 March a 23-hour day from local midnight', () => {
    expect(dayBucket(springForward + 5 * HOUR, tz)).toEqual([utc(2026, 2, 28, 23), 23]);
    expect(dayBucket(utc(2026, 2, 28, 23), tz)).toEqual([utc(2026, 2, 28, 23), 23]);
    expect(dayBucket(utc(2026, 2, 28, 22, 59, 59, 999), tz)).toEqual([utc(2026, 2, 27, 23), 24]);
    expect(dayBucket(utc(2026, 2, 29, 22), tz)).toEqual([utc(2026, 2, 29, 22), 24]);
  });

  it('makes 25 October a 25-hour day', () => {
    expect(dayBucket(fallBack + 30 * MINUTE, tz)).toEqual([utc(2026, 9, 24, 22), 25]);
    expect(dayBucket(utc(2026, 9, 25, 22, 59), tz)).toEqual([utc(2026, 9, 24, 22), 25]);
    expect(dayBucket(utc(2026, 9, 25, 23), tz)).toEqual([utc(2026, 9, 25, 23), 24]);
  });

  it('keeps hour and minute buckets equal to UTC floors across both transitions', () => {
    for (const around of [springForward, fallBack]) {
      for (const ts of sweep(around - 3 * HOUR, around + 3 * HOUR, 7 * MINUTE + 13)) {
        expect(bucketStart(ts, 'hour', tz)).toBe(Math.floor(ts / HOUR) * HOUR);
        expect(bucketStart(ts, 'minute', tz)).toBe(Math.floor(ts / MINUTE) * MINUTE);
      }
      const hours = bucketStarts(around - 3 * HOUR, around + 3 * HOUR, 'hour', tz);
      expect(hours).toEqual(sweep(around - 3 * HOUR, around + 3 * HOUR, HOUR));
    }
  });

  it('starts the week of the spring-forward Sunday on Monday 23 March and makes it 167 hours', () => {
    const start = bucketStart(springForward, 'week', tz);
    expect(start).toBe(utc(2026, 2, 22, 23));
    expect(nextBucketStart(start, 'week', tz)).toBe(utc(2026, 2, 29, 22));
  });

  it('is hour-aligned for day and week buckets, but not day-aligned', () => {
    const [from, to] = [utc(2026, 0, 1), utc(2027, 0, 1)];
    expect(alignedTo(HOUR, from, to, 'day', tz)).toBe(true);
    expect(alignedTo(HOUR, from, to, 'week', tz)).toBe(true);
    expect(alignedTo(HOUR, from, to, 'hour', tz)).toBe(true);
    expect(alignedTo(DAY, from, to, 'day', tz)).toBe(false);
  });
});

describe('America/New_York in 2026 (second Sunday of March, first Sunday of November)', () => {
  const tz = 'America/New_York';

  it('reports -300 in winter and -240 in summer', () => {
    expect(zoneOffsetMinutes(utc(2026, 0, 15), tz)).toBe(-300);
    expect(zoneOffsetMinutes(utc(2026, 6, 15), tz)).toBe(-240);
  });

  it('makes 8 March 23 hours and 1 November 25 hours', () => {
    expect(dayBucket(utc(2026, 2, 8, 12), tz)).toEqual([utc(2026, 2, 8, 5), 23]);
    expect(dayBucket(utc(2026, 10, 1, 12), tz)).toEqual([utc(2026, 10, 1, 4), 25]);
    // 23:30 on 31 October EDT is still the 31st.
    expect(dayBucket(utc(2026, 10, 1, 3, 30), tz)).toEqual([utc(2026, 9, 31, 4), 24]);
  });

  it('keeps hour buckets on UTC hours through the repeated 01:00 hour', () => {
    const fallBack = utc(2026, 10, 1, 6);
    expect(bucketStart(fallBack - 30 * MINUTE, 'hour', tz)).toBe(fallBack - HOUR);
    expect(bucketStart(fallBack + 30 * MINUTE, 'hour', tz)).toBe(fallBack);
    expect(nextBucketStart(fallBack - HOUR, 'hour', tz)).toBe(fallBack);
  });

  it('starts weeks on Monday local midnight, EST or EDT', () => {
    expect(bucketStart(utc(2026, 2, 8, 12), 'week', tz)).toBe(utc(2026, 2, 2, 5));
    expect(bucketStart(utc(2026, 2, 10), 'week', tz)).toBe(utc(2026, 2, 9, 4));
  });
});

describe('half- and quarter-hour zones', () => {
  const ts = utc(2026, 0, 15, 10, 10, 30); // 15:40:30 in Kolkata, 15:55:30 in Kathmandu

  it('Asia/Kolkata (+05:30): local hours and days, UTC minutes', () => {
    expect(zoneOffsetMinutes(ts, 'Asia/Kolkata')).toBe(330);
    expect(bucketStart(ts, 'hour', 'Asia/Kolkata')).toBe(utc(2026, 0, 15, 9, 30));
    expect(nextBucketStart(utc(2026, 0, 15, 9, 30), 'hour', 'Asia/Kolkata')).toBe(
      utc(2026, 0, 15, 10, 30),
    );
    expect(bucketStart(ts, 'day', 'Asia/Kolkata')).toBe(utc(2026, 0, 14, 18, 30));
    expect(bucketStart(ts, 'minute', 'Asia/Kolkata')).toBe(utc(2026, 0, 15, 10, 10));
  });

  it('Asia/Kathmandu (+05:45): local hours and days', () => {
    expect(zoneOffsetMinutes(ts, 'Asia/Kathmandu')).toBe(345);
    expect(bucketStart(ts, 'hour', 'Asia/Kathmandu')).toBe(utc(2026, 0, 15, 9, 15));
    expect(bucketStart(ts, 'day', 'Asia/Kathmandu')).toBe(utc(2026, 0, 14, 18, 15));
    expect(bucketStart(ts, 'week', 'Asia/Kathmandu')).toBe(utc(2026, 0, 11, 18, 15));
  });

  it('are not hour-aligned for hours and days, but are minute-aligned', () => {
    const [from, to] = [utc(2026, 0, 1), utc(2026, 1, 1)];
    for (const tz of ['Asia/Kolkata', 'Asia/Kathmandu']) {
      expect(alignedTo(HOUR, from, to, 'day', tz)).toBe(false);
      expect(alignedTo(HOUR, from, to, 'hour', tz)).toBe(false);
      expect(alignedTo(MINUTE, from, to, 'day', tz)).toBe(true);
      expect(alignedTo(MINUTE, from, to, 'hour', tz)).toBe(true);
      expect(alignedTo(MINUTE, from, to, 'minute', tz)).toBe(true);
    }
  });

  it('splits a minute where Africa/Lagos moved to +0:13:35 at 00:00 UTC on 1 July 1908', () => {
    const change = utc(1908, 6, 1);
    expect(local(change, 'Africa/Lagos')).toBe('1908-07-01 00:13:35 Wed');
    expect(bucketStart(change - 10_000, 'minute', 'Africa/Lagos')).toBe(change - MINUTE);
    expect(nextBucketStart(change - MINUTE, 'minute', 'Africa/Lagos')).toBe(change);
    expect(bucketStart(change + 10_000, 'minute', 'Africa/Lagos')).toBe(change);
    expect(nextBucketStart(change, 'minute', 'Africa/Lagos')).toBe(change + 25_000);
  });

  it('historical local mean time with seconds (Africa/Monrovia -0:44:30 until 1972)', () => {
    const t = utc(1970, 0, 1, 12, 0, 10);
    expect(zoneOffsetMinutes(t, 'Africa/Monrovia')).toBe(-44.5);
    expect(bucketStart(t, 'minute', 'Africa/Monrovia')).toBe(utc(1970, 0, 1, 11, 59, 30));
    expect(alignedTo(MINUTE, t, t + HOUR, 'minute', 'Africa/Monrovia')).toBe(false);
  });
});

describe('Australia/Lord_Howe (30-minute DST: +11 until 5 April 2026, +10:30 until 4 October)', () => {
  const tz = 'Australia/Lord_Howe';
  const fallBack = utc(2026, 3, 4, 15); // 02:00 +11 → 01:30 +10:30 on 5 April
  const springForward = utc(2026, 9, 3, 15, 30); // 02:00 +10:30 → 02:30 +11 on 4 October

  it('reports +660 and +630', () => {
    expect(zoneOffsetMinutes(fallBack - 1, tz)).toBe(660);
    expect(zoneOffsetMinutes(fallBack, tz)).toBe(630);
    expect(zoneOffsetMinutes(springForward - 1, tz)).toBe(630);
    expect(zoneOffsetMinutes(springForward, tz)).toBe(660);
  });

  it('makes days of 24.5 and 23.5 hours', () => {
    expect(dayBucket(fallBack, tz)).toEqual([utc(2026, 3, 4, 13), 24.5]);
    expect(dayBucket(springForward, tz)).toEqual([utc(2026, 9, 3, 13, 30), 23.5]);
  });

  it('splits hour buckets at the transition: a 30-minute bucket on each side of the change', () => {
    // 5 April: 01:00–02:00 (+11), then 01:30–02:00 (+10:30), then 02:00 (+10:30).
    expect(bucketStart(fallBack - 10 * MINUTE, 'hour', tz)).toBe(fallBack - HOUR);
    expect(bucketStart(fallBack + 10 * MINUTE, 'hour', tz)).toBe(fallBack);
    expect(bucketStart(fallBack + 40 * MINUTE, 'hour', tz)).toBe(fallBack + 30 * MINUTE);
    // 4 October: 01:00–02:00 (+10:30), then 02:30–03:00 (+11), then 03:00 (+11).
    expect(bucketStart(springForward - 10 * MINUTE, 'hour', tz)).toBe(springForward - HOUR);
    expect(bucketStart(springForward + 10 * MINUTE, 'hour', tz)).toBe(springForward);
    expect(nextBucketStart(springForward, 'hour', tz)).toBe(springForward + 30 * MINUTE);
    expect(local(springForward + 30 * MINUTE, tz)).toBe('2026-10-04 03:00:00 Sun');
  });

  it('is minute-aligned but not hour-aligned', () => {
    const [from, to] = [utc(2026, 0, 1), utc(2027, 0, 1)];
    expect(alignedTo(MINUTE, from, to, 'hour', tz)).toBe(true);
    expect(alignedTo(HOUR, from, to, 'hour', tz)).toBe(false);
    expect(alignedTo(HOUR, from, to, 'day', tz)).toBe(false);
  });
});

describe('zones whose DST jump skips or repeats midnight', () => {
  it('America/Santiago: 6 September 2026 begins at 01:00 (-03), a 23-hour day', () => {
    const tz = 'America/Santiago';
    expect(dayBucket(utc(2026, 8, 5, 12), tz)).toEqual([utc(2026, 8, 5, 4), 24]);
    expect(dayBucket(utc(2026, 8, 6, 12), tz)).toEqual([utc(2026, 8, 6, 4), 23]);
    expect(local(utc(2026, 8, 6, 4), tz)).toBe('2026-09-06 01:00:00 Sun');
    // 4 April 2026 repeats 23:00 (midnight -03 → 23:00 -04), so it lasts 25 hours.
    expect(dayBucket(utc(2026, 3, 4, 12), tz)).toEqual([utc(2026, 3, 4, 3), 25]);
  });

  it('America/Havana: 8 March 2026 begins at 01:00 CDT', () => {
    expect(dayBucket(utc(2026, 2, 8, 12), 'America/Havana')).toEqual([utc(2026, 2, 8, 5), 23]);
    expect(bucketStart(utc(2026, 2, 8, 12), 'week', 'America/Havana')).toBe(utc(2026, 2, 2, 5));
  });

  it('Pacific/Apia skipped 30 December 2011: the 29th is followed by the 31st', () => {
    const tz = 'Pacific/Apia';
    expect(dayBucket(utc(2011, 11, 29, 12), tz)).toEqual([utc(2011, 11, 29, 10), 24]);
    expect(dayBucket(utc(2011, 11, 30, 10), tz)).toEqual([utc(2011, 11, 30, 10), 24]);
    expect(local(utc(2011, 11, 30, 10), tz)).toBe('2011-12-31 00:00:00 Sat');
  });

  it('America/Goose_Bay fell back from 00:01 to 23:01 on 29 October 2006: the repeat belongs to Sunday', () => {
    const tz = 'America/Goose_Bay';
    const sunday = utc(2006, 9, 29, 3); // 00:00 ADT
    expect(local(sunday + 30 * MINUTE, tz)).toBe('2006-10-28 23:30:00 Sat');
    expect(dayBucket(sunday + 30 * MINUTE, tz)).toEqual([sunday, 25]);
    expect(dayBucket(sunday - MINUTE, tz)).toEqual([utc(2006, 9, 28, 3), 24]);
    expect(nextBucketStart(sunday + 30 * MINUTE, 'day', tz)).toBe(utc(2006, 9, 30, 4));
  });

  it('Africa/Casablanca jumped from midnight to 01:00 on 3 April 2011, at 00:00 UTC', () => {
    const tz = 'Africa/Casablanca';
    expect(dayBucket(utc(2011, 3, 2, 12), tz)).toEqual([utc(2011, 3, 2), 24]);
    expect(dayBucket(utc(2011, 3, 3, 12), tz)).toEqual([utc(2011, 3, 3), 23]);
    expect(local(utc(2011, 3, 3), tz)).toBe('2011-04-03 01:00:00 Sun');
  });
});

describe('week buckets', () => {
  const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kathmandu', 'America/Santiago'];

  it('start at Monday 00:00 local time and contain the instant (checked with Intl)', () => {
    for (const tz of zones) {
      for (const ts of sweep(utc(2026, 2, 1), utc(2026, 3, 15), 13 * HOUR + 17 * MINUTE)) {
        const start = bucketStart(ts, 'week', tz);
        const next = nextBucketStart(start, 'week', tz);
        expect(local(start, tz)).toMatch(/ 00:00:00 Mon$/);
        expect(local(next, tz)).toMatch(/ 00:00:00 Mon$/);
        expect(start <= ts && ts < next).toBe(true);
        expect(Math.abs(next - start - 7 * DAY)).toBeLessThanOrEqual(HOUR);
      }
    }
  });
});

describe('nextBucketStart and bucketStarts partition time', () => {
  const cases: Array<[tz: string, from: number]> = [
    ['Europe/Berlin', utc(2026, 2, 25)],
    ['Europe/Berlin', utc(2026, 9, 22)],
    ['America/New_York', utc(2026, 9, 28)],
    ['Australia/Lord_Howe', utc(2026, 9, 1)],
    ['Australia/Lord_Howe', utc(2026, 3, 2)],
    ['America/Santiago', utc(2026, 8, 3)],
    ['Asia/Kathmandu', utc(2026, 2, 25)],
    ['America/Goose_Bay', utc(2006, 9, 26)],
    ['Pacific/Apia', utc(2011, 11, 27)],
    ['Africa/Casablanca', utc(2011, 2, 31)],
    ['+05:30', utc(2026, 2, 25)],
  ];

  for (const [tz, from] of cases) {
    it(`${tz}, week of ${new Date(from).toISOString().slice(0, 10)}: every 7-minute step maps to its bucket`, () => {
      const to = from + 7 * DAY;
      for (const grain of GRAINS) {
        const starts = bucketStarts(from, to, grain, tz, 20_000);
        expectChain(starts, grain, tz);
        let i = 0;
        for (const ts of sweep(from, to, 7 * MINUTE)) {
          while (i + 1 < starts.length && starts[i + 1]! <= ts) i++;
          const start = bucketStart(ts, grain, tz);
          expect(start).toBe(starts[i]);
          expect(ts).toBeLessThan(nextBucketStart(start, grain, tz));
          expect(bucketStart(start, grain, tz)).toBe(start);
        }
      }
    });
  }

  /** Consecutive, and each boundary is where Intl shows a new local hour, day or offset. */
  function expectChain(starts: number[], grain: Grain, tz: string): void {
    for (const [i, b] of starts.entries()) {
      if (i + 1 < starts.length) expect(nextBucketStart(b, grain, tz)).toBe(starts[i + 1]);
      if (grain === 'day' || grain === 'week') {
        expect(localDate(b - 1, tz) < localDate(b, tz)).toBe(true);
      } else if (zoneOffsetMinutes(b - 1, tz) === zoneOffsetMinutes(b, tz)) {
        expect(local(b, tz)).toMatch(grain === 'hour' ? /:00:00 / : /:00 /);
      }
    }
  }
});

describe('fixed offsets', () => {
  const ts = utc(2026, 0, 15, 10, 10, 30);

  it('+05:30 buckets like Asia/Kolkata', () => {
    expect(zoneOffsetMinutes(ts, '+05:30')).toBe(330);
    expect(bucketStart(ts, 'hour', '+05:30')).toBe(utc(2026, 0, 15, 9, 30));
    expect(bucketStart(ts, 'day', '+05:30')).toBe(utc(2026, 0, 14, 18, 30));
    expect(alignedTo(HOUR, ts, ts + DAY, 'day', '+05:30')).toBe(false);
  });

  it('-08:00, -0800 and -08 all mean eight hours behind UTC, with no DST', () => {
    for (const tz of ['-08:00', '-0800', '-08']) {
      expect(zoneOffsetMinutes(utc(2026, 6, 1), tz)).toBe(-480);
      expect(bucketStart(ts, 'day', tz)).toBe(utc(2026, 0, 15, 8));
      expect(bucketStart(utc(2026, 6, 1, 7), 'day', tz)).toBe(utc(2026, 5, 30, 8));
    }
  });

  it('+00:00 and -00:00 are UTC', () => {
    expect(bucketStart(ts, 'day', '+00:00')).toBe(utc(2026, 0, 15));
    expect(zoneOffsetMinutes(ts, '-00:00')).toBe(0);
  });
});

describe('invalid input', () => {
  it.each(['Mars/Base', '', 'Europe/Berlinn', '+24:00', '+05:60', '05:30', '+5:30'])(
    'rejects the zone %j with a RangeError naming it',
    (tz) => {
      expect(() => assertTimeZone(tz)).toThrow(RangeError);
      expect(() => assertTimeZone(tz)).toThrow(`"${tz}"`);
      expect(() => bucketStart(0, 'day', tz)).toThrow(RangeError);
    },
  );

  it('accepts IANA names, links, UTC and offsets', () => {
    for (const tz of ['UTC', 'Etc/UTC', 'Europe/Berlin', 'US/Eastern', 'Asia/Calcutta', '+14:00']) {
      expect(() => assertTimeZone(tz)).not.toThrow();
    }
    expect(bucketStart(utc(2026, 0, 15, 10, 10), 'day', 'Asia/Calcutta')).toBe(
      utc(2026, 0, 14, 18, 30),
    );
  });

  it('rejects unknown grains and non-finite instants', () => {
    expect(() => bucketStart(0, 'month' as Grain, 'UTC')).toThrow(/grain: .*"month"/);
    expect(() => bucketStart(0, 'toString' as Grain, 'UTC')).toThrow(RangeError);
    expect(() => bucketStart(Number.NaN, 'day', 'UTC')).toThrow(/ts: /);
    expect(() => nextBucketStart(Infinity, 'day', 'UTC')).toThrow(RangeError);
    expect(() => alignedTo(0, 0, DAY, 'day', 'UTC')).toThrow(/unitMs/);
  });
});

describe('bucketStarts limits', () => {
  const from = utc(2026, 2, 29);

  it('lists the buckets overlapping [from, to), starting before from when from is mid-bucket', () => {
    expect(bucketStarts(from + 30 * MINUTE, from + 3 * HOUR, 'hour', 'UTC')).toEqual([
      from,
      from + HOUR,
      from + 2 * HOUR,
    ]);
    expect(bucketStarts(from, from, 'hour', 'UTC')).toEqual([]);
    expect(bucketStarts(from + HOUR, from, 'hour', 'UTC')).toEqual([]);
  });

  it('throws a RangeError past maxBuckets', () => {
    // Berlin's 29 March 2026 has 23 hours.
    const [dayStart, dayEnd] = [utc(2026, 2, 28, 23), utc(2026, 2, 29, 22)];
    expect(bucketStarts(dayStart, dayEnd, 'hour', 'Europe/Berlin', 23)).toHaveLength(23);
    expect(() => bucketStarts(dayStart, dayEnd, 'hour', 'Europe/Berlin', 22)).toThrow(
      /exceed maxBuckets \(22\)/,
    );
    expect(bucketStarts(from, from + 6 * DAY, 'minute', 'UTC')).toHaveLength(8640);
    expect(() => bucketStarts(from, from + 7 * DAY, 'minute', 'UTC')).toThrow(RangeError);
    expect(() => bucketStarts(from, from + DAY, 'hour', 'UTC', -1)).toThrow(/maxBuckets/);
  });
});

describe('alignedTo', () => {
  it('is true in UTC for every grain down to its own size, and for empty ranges', () => {
    const [from, to] = [utc(2026, 0, 1), utc(2026, 5, 1)];
    expect(alignedTo(DAY, from, to, 'week', 'UTC')).toBe(true);
    expect(alignedTo(DAY, from, to, 'day', 'UTC')).toBe(true);
    expect(alignedTo(HOUR, from, to, 'hour', 'UTC')).toBe(true);
    expect(alignedTo(MINUTE, from, to, 'minute', 'UTC')).toBe(true);
    expect(alignedTo(HOUR, from, to, 'minute', 'UTC')).toBe(false);
    expect(alignedTo(HOUR, to, from, 'day', 'Asia/Kolkata')).toBe(true);
  });

  it('checks the end of the last bucket, not only the starts', () => {
    // Lord Howe falls back at 15:00 UTC to +10:30; the bucket starting then ends at 15:30 UTC.
    const fallBack = utc(2026, 3, 4, 15);
    const tz = 'Australia/Lord_Howe';
    expect(bucketStarts(fallBack, fallBack + MINUTE, 'hour', tz)).toEqual([fallBack]);
    expect(alignedTo(HOUR, fallBack, fallBack + MINUTE, 'hour', tz)).toBe(false);
    expect(alignedTo(30 * MINUTE, fallBack, fallBack + MINUTE, 'hour', tz)).toBe(true);
    expect(alignedTo(HOUR, fallBack - HOUR, fallBack, 'hour', tz)).toBe(true);
  });

  it('America/New_York day buckets are hour-aligned through both transitions', () => {
    expect(alignedTo(HOUR, utc(2026, 0, 1), utc(2027, 0, 1), 'day', 'America/New_York')).toBe(true);
  });
});
