import { z } from 'zod';
import { EVENT_TYPES } from '../core/event-schema.js';
import { GRAINS } from '../core/time-buckets.js';
import { DIMENSION_NAMES } from '../rollups/definitions.js';
import { parseTimestamp } from '../core/timestamp.js';

/**
 * Query parameters, validated at the edge (HTTP query strings and `cairn query` options alike).
 * Unknown parameters are refused: a misspelt filter must not silently widen an answer.
 * Times are epoch milliseconds, a UTC date (2026-11-20), or ISO-8601 with a time zone — a
 * zoneless time would mean the server's local time. `to` defaults to now and `from` to 24 hours
 * before it.
 */
const LATEST = 8_640_000_000_000_000; // the largest time a JavaScript Date can hold
const WHOLE_RANGE = { now: 0, maxFutureMs: LATEST, maxPastMs: LATEST };

export function parseQueryTime(s: string): number | string {
  if (/^\d{1,16}$/.test(s))
    return Number(s) <= LATEST ? Number(s) : 'epoch milliseconds out of range';
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s;
  const parsed = parseTimestamp(iso, WHOLE_RANGE);
  return parsed.ok
    ? parsed.ms
    : 'must be epoch milliseconds, a date (2026-11-20) or ISO-8601 with a time zone';
}

/** A query-time parameter: epoch ms, a UTC date, or ISO-8601 with a zone; parsed to epoch ms. */
export const queryTime = z
  .string()
  .transform((s, ctx) => {
    const t = parseQueryTime(s);
    if (typeof t === 'number') return t;
    ctx.addIssue({ code: 'custom', message: t });
    return z.NEVER;
  })
  .describe('Epoch milliseconds, a date (UTC) or ISO-8601 with a time zone');

export const rangeParams = z.strictObject({
  from: queryTime.optional(),
  to: queryTime.optional(),
  workspace: z.string().min(1).max(512).optional().describe('Only this workspace (default: all)'),
  type: z.enum(EVENT_TYPES).optional().describe('Only events of this type'),
  source: z
    .enum(['auto', 'raw'])
    .optional()
    .describe('raw: recompute from raw events, bypassing rollups (for checks)'),
});

export const summaryParams = rangeParams.extend({
  by: z
    .enum(DIMENSION_NAMES)
    .optional()
    .describe('Group by this dimension; omitted gives one total row'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .optional()
    .describe('Keep the first N rows (most requests first)'),
  windows: z
    .stringbool()
    .optional()
    .describe('Add last_24h and last_7d totals, windows ending at to'),
  most_used_model: z
    .stringbool()
    .optional()
    .describe('Add the most used model of each row (counted from raw events)'),
});

export const timeseriesParams = rangeParams.extend({
  grain: z.enum(GRAINS).default('hour'),
  tz: z.string().min(1).max(64).optional().describe('IANA time zone or ±HH:MM; default UTC'),
  by: z.enum(DIMENSION_NAMES).optional(),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000)
    .optional()
    .describe('Keep the N series with most requests'),
});

const DAY = 86_400_000;

/** Resolves defaults and checks the range: `from` before `to`, at most ten years. */
export function resolveRange(
  p: { from?: number | undefined; to?: number | undefined },
  now: number,
): { from: number; to: number } {
  const to = p.to ?? now;
  const from = p.from ?? to - DAY;
  if (from >= to) throw new RangeError('from: must be before to');
  if (to - from > 3660 * DAY) throw new RangeError('from: the range may span at most 3660 days');
  return { from, to };
}
