/**
 * Timestamps arrive as ISO-8601 strings or epoch milliseconds and are stored as epoch ms.
 * Strings must carry a date, a time and an offset (or Z): a bare local time is ambiguous.
 */
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|z|[+-]\d{2}:?\d{2})$/;

export type TimestampResult =
  | { ok: true; ms: number }
  | { ok: false; code: 'invalid_timestamp' | 'timestamp_out_of_range'; message: string };

export interface TimestampWindow {
  /** Reference time (the server's clock at ingest), epoch ms. */
  now: number;
  maxFutureMs: number;
  maxPastMs: number;
}

export function parseTimestamp(value: string | number, window: TimestampWindow): TimestampResult {
  const ms = typeof value === 'number' ? fromNumber(value) : fromString(value);
  if (typeof ms === 'string') return { ok: false, code: 'invalid_timestamp', message: ms };
  return checkWindow(ms, value, window);
}

function fromNumber(value: number): number | string {
  if (!Number.isFinite(value)) return 'timestamp: epoch milliseconds must be a finite number';
  return Math.round(value);
}

function fromString(value: string): number | string {
  const m = ISO_8601.exec(value);
  if (!m) {
    return `timestamp: "${value.slice(0, 64)}" is not ISO-8601 with a time zone (e.g. 2026-01-31T12:00:00Z)`;
  }
  // Date.parse rolls 2026-02-31 over into March; check the fields ourselves.
  const [year, month, day, hour, minute, second] = m
    .slice(1)
    .map((f) => Number(f ?? 0)) as number[];
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  const real =
    month! >= 1 &&
    month! <= 12 &&
    day! >= 1 &&
    day! <= daysInMonth &&
    hour! <= 23 &&
    minute! <= 59 &&
    second! <= 59;
  const ms = Date.parse(value.replace(' ', 'T'));
  if (!real || Number.isNaN(ms)) return `timestamp: "${value}" is not a real date and time`;
  return ms;
}

function checkWindow(ms: number, raw: string | number, w: TimestampWindow): TimestampResult {
  if (ms > w.now + w.maxFutureMs) {
    return outOfRange(
      `timestamp: ${show(ms)} is more than ${hours(w.maxFutureMs)} h in the future`,
    );
  }
  if (ms < w.now - w.maxPastMs) {
    const hint =
      typeof raw === 'number' && raw > 1e9 && raw < 1e11
        ? ' (it looks like epoch seconds; send milliseconds)'
        : '';
    return outOfRange(
      `timestamp: ${show(ms)} is more than ${Math.round(w.maxPastMs / 86_400_000)} days in the past${hint}`,
    );
  }
  return { ok: true, ms };
}

function outOfRange(message: string): TimestampResult {
  return { ok: false, code: 'timestamp_out_of_range', message };
}

function show(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

function hours(ms: number): number {
  return Math.round((ms / 3_600_000) * 10) / 10;
}
