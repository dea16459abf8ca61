import { bucketOf, ROLLUP_GRAINS, type RollupGrain } from '../rollups/definitions.js';

/**
 * What a retention policy limits: raw events, the `content` of message events, and each rollup
 * grain. `user_days` (the exact active-user set) follows the day grain.
 */
export const RETENTION_TARGETS = ['raw', 'content', 'minute', 'hour', 'day'] as const;
export type RetentionTarget = (typeof RETENTION_TARGETS)[number];

/** A limit in whole days, or `keep` (never deleted). */
export type RetentionDays = number | 'keep';
export type RetentionPolicy = Record<RetentionTarget, RetentionDays>;
/** A stored policy row: absent fields inherit (workspace → `*` → DEFAULT_POLICY). */
export type PolicyOverride = Partial<RetentionPolicy>;

/** The workspace name whose policy row holds defaults for every workspace. */
export const ALL_WORKSPACES = '*';

/**
 * Seed 004's clean-up: raw 90 days, hourly 30 days, daily kept. Cairn also keeps a minute grain,
 * the largest rollup by far (1,440 buckets a day): 7 days covers the "last hour / last day"
 * dashboards that need it. Message content, the one field likely to hold personal data, goes
 * with the raw rows by default and can be cut shorter on its own.
 */
export const DEFAULT_POLICY: Readonly<RetentionPolicy> = Object.freeze({
  raw: 90,
  content: 90,
  minute: 7,
  hour: 30,
  day: 'keep',
});

const DAY = ROLLUP_GRAINS.day;

/** Layers overrides over the defaults, later ones winning field by field. */
export function resolvePolicy(...layers: Array<PolicyOverride | undefined>): RetentionPolicy {
  const policy: RetentionPolicy = { ...DEFAULT_POLICY };
  for (const layer of layers)
    for (const t of RETENTION_TARGETS) if (layer?.[t] !== undefined) policy[t] = layer[t];
  return policy;
}

/**
 * The cutoff of a limit at `now`: rows before it go. It is a UTC midnight (at least `days` whole
 * days are kept), so every rollup grain tiles what is left and verify and the planner can treat
 * whole days as either pruned or not. Null for `keep`.
 */
export function cutoffOf(days: RetentionDays, now: number): number | null {
  if (days === 'keep') return null;
  return bucketOf(now - days * DAY, 'day');
}

/** Parses a CLI or API limit: a whole number of days ≥ 1, or `keep`; throws naming the value. */
export function parseDays(value: string): RetentionDays {
  if (value === 'keep') return 'keep';
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1)
    throw new RangeError(`must be a whole number of days (at least 1) or "keep", not "${value}"`);
  return n;
}

/** A rollup grain is also a retention target. */
export function isGrainTarget(t: RetentionTarget): t is RollupGrain {
  return t === 'minute' || t === 'hour' || t === 'day';
}
