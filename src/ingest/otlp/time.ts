/** OTLP times are nanoseconds since the epoch as decimal strings; Cairn's are milliseconds. */

const NANOS_PER_MS = 1_000_000n;

/** Epoch milliseconds (whole, rounded down) of a nanosecond timestamp. */
export function nanosToMs(nanos: string): number {
  return Number(BigInt(nanos) / NANOS_PER_MS);
}

/**
 * Milliseconds between two nanosecond timestamps, keeping sub-millisecond precision (a 350 µs
 * tool call is 0.35, not 0). The difference is taken in BigInt first: epoch nanoseconds do not fit
 * in a double exactly. Null when the span has no end time.
 */
export function durationMs(startNanos: string, endNanos: string): number | null {
  if (endNanos === '0') return null;
  const diff = BigInt(endNanos) - BigInt(startNanos);
  return Number(diff / NANOS_PER_MS) + Number(diff % NANOS_PER_MS) / 1e6;
}
