/** The time-range picker's presets, and the bucket size a chart of each range uses. */
export const PRESETS = {
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
  '90d': 90 * 86_400_000,
} as const;
export type Preset = keyof typeof PRESETS;
export const DEFAULT_PRESET: Preset = '24h';

export type Grain = 'minute' | 'hour' | 'day';

export interface Range {
  from: number;
  to: number;
  grain: Grain;
}

const HOUR = 3_600_000;

/** Up to a few hundred points per chart: minutes up to 6 h, hours up to 8 days, then days. */
export function grainFor(spanMs: number): Grain {
  if (spanMs <= 6 * HOUR) return 'minute';
  if (spanMs <= 8 * 24 * HOUR) return 'hour';
  return 'day';
}

export function grainMs(g: Grain): number {
  return g === 'minute' ? 60_000 : g === 'hour' ? HOUR : 24 * HOUR;
}

export function isPreset(s: string | undefined): s is Preset {
  return s !== undefined && Object.hasOwn(PRESETS, s);
}

/**
 * The range a view asks about: an explicit from/to (custom, or a drill-down into one bucket)
 * wins; otherwise the preset ending at `now` (one "now" per refresh, so every panel of a view
 * covers the same instant).
 */
export function resolveRange(
  q: { range?: string; from?: string; to?: string },
  now: number,
): Range {
  const from = q.from === undefined ? NaN : Number(q.from);
  const to = q.to === undefined ? NaN : Number(q.to);
  if (Number.isFinite(from) && Number.isFinite(to) && from < to)
    return { from, to, grain: grainFor(to - from) };
  const span = PRESETS[isPreset(q.range) ? q.range : DEFAULT_PRESET];
  return { from: now - span, to: now, grain: grainFor(span) };
}
