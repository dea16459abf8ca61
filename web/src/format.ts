/**
 * How numbers are shown. Pure and locale-fixed (en-US) so the end-to-end test can format the
 * API's values with these same functions and compare the text the browser rendered.
 */
const DASH = '—';

export function fmtInt(n: number | null | undefined): string {
  return n == null ? DASH : Math.round(n).toLocaleString('en-US');
}

/** A ratio as a percentage with two decimals (error rates are often below 1 %). */
export function fmtPct(r: number | null | undefined): string {
  return r == null ? DASH : `${(r * 100).toFixed(2)}%`;
}

/**
 * Dollars: cents for sums of a dollar or more, four decimals below (per-call costs), six below a
 * hundredth of a cent, so a small model's call never reads "$0.0000".
 */
export function fmtUsd(n: number | null | undefined): string {
  if (n == null) return DASH;
  const a = Math.abs(n);
  const digits = a >= 0.99995 || n === 0 ? 2 : a >= 0.00005 ? 4 : 6;
  return `$${n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}

/** Milliseconds below a second (one decimal below 10 ms), seconds with two decimals above. */
export function fmtMs(ms: number | null | undefined): string {
  if (ms == null) return DASH;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  // Decide on the rounded value, so 999.6 ms reads "1.00 s", never "1000 ms".
  return Math.round(ms) < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** A UTC instant as "2026-11-20 14:03:07" in the viewer's zone would differ per machine: UTC. */
export function fmtTime(iso: string | null | undefined): string {
  return iso == null ? DASH : `${iso.slice(0, 19).replace('T', ' ')}Z`;
}

export function fmtText(s: string | null | undefined): string {
  return s == null || s === '' ? DASH : s;
}
