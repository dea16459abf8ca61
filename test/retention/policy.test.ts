import { describe, expect, it } from 'vitest';
import {
  cutoffOf,
  DEFAULT_POLICY,
  parseDays,
  resolvePolicy,
} from '../../src/maintenance/retention-policy.js';
import { assessDisk, type DiskReading } from '../../src/maintenance/retention-disk.js';

const D = 86_400_000;
const GIB = 1024 ** 3;

describe('retention policies', () => {
  it('defaults follow seed 004 (raw 90 d, hourly 30 d, daily kept) plus minutes for 7 d', () => {
    expect(DEFAULT_POLICY).toEqual({ raw: 90, content: 90, minute: 7, hour: 30, day: 'keep' });
  });

  it('layers the all-workspace row and the workspace row over the defaults, field by field', () => {
    expect(resolvePolicy({ raw: 30, day: 400 }, { raw: 14, hour: 'keep' })).toEqual({
      raw: 14,
      content: 90,
      minute: 7,
      hour: 'keep',
      day: 400,
    });
    expect(resolvePolicy(undefined, undefined)).toEqual(DEFAULT_POLICY);
  });

  it.each([
    // now, days, cutoff: the UTC midnight at or before now − days, so at least `days` are kept
    [Date.UTC(2026, 10, 20, 12, 30), 90, Date.UTC(2026, 7, 22)],
    [Date.UTC(2026, 10, 20, 0, 0), 1, Date.UTC(2026, 10, 19)],
    [Date.UTC(2026, 10, 20, 23, 59), 7, Date.UTC(2026, 10, 13)],
  ])('at %i a limit of %i days cuts at %i', (now, days, cutoff) => {
    expect(cutoffOf(days, now)).toBe(cutoff);
    expect(now - cutoff).toBeGreaterThanOrEqual(days * D);
    expect(now - cutoff).toBeLessThan((days + 1) * D);
  });

  it('keep has no cutoff; limits parse as whole days or keep', () => {
    expect(cutoffOf('keep', Date.now())).toBeNull();
    expect(parseDays('30')).toBe(30);
    expect(parseDays('keep')).toBe('keep');
    for (const bad of ['0', '-1', '1.5', 'forever', ''])
      expect(() => parseDays(bad)).toThrow(/whole number of days/);
  });
});

describe('disk warnings', () => {
  const reading = (
    free: number | null,
    total: number | null,
    growth: number | null,
  ): DiskReading => ({
    freeBytes: free,
    totalBytes: total,
    databaseBytes: 5 * GIB,
    dailyGrowthBytes: growth,
  });

  it.each([
    // free, total, daily growth → status, number of warnings, days left
    [50 * GIB, 100 * GIB, 1 * GIB, 'ok', 0, 50],
    [9 * GIB, 100 * GIB, 0, 'warn', 1, null], // under 10 % free
    [0.5 * GIB, 2 * GIB, 0, 'warn', 1, null], // 25 % free but under 1 GiB
    [0.05 * GIB, 1 * GIB, 0, 'warn', 2, null], // both
    [20 * GIB, 100 * GIB, 2 * GIB, 'warn', 1, 10], // full within 14 days at this growth
    [20 * GIB, 100 * GIB, (20 * GIB) / 14, 'ok', 0, 14], // exactly 14 days left is not a warning
    [null, null, 1 * GIB, 'unknown', 0, null], // PostgreSQL: the disk is the server's
  ] as const)('free %d of %d growing %d a day: %s', (free, total, growth, status, n, days) => {
    const s = assessDisk(reading(free, total, growth));
    expect(s.status).toBe(status);
    expect(s.warnings).toHaveLength(n);
    if (days === null) expect(s.daysLeft).toBeNull();
    else expect(s.daysLeft).toBeCloseTo(days, 6);
  });

  it('names the numbers in its warnings', () => {
    const s = assessDisk(reading(0.5 * GIB, 100 * GIB, 0.25 * GIB));
    expect(s.warnings).toEqual([
      'disk 0.5 % free (0.5 GiB of 100.0 GiB), below 10 %',
      'disk 0.5 GiB free, below 1.0 GiB',
      'disk full in 2.0 days at 0.3 GiB a day, within 14 days',
    ]);
  });
});
