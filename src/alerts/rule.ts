import { z } from 'zod';
import { EVENT_TYPES } from '../core/event-schema.js';
import { DIMENSION_NAMES } from '../rollups/definitions.js';
import { ALERT_METRICS, type AlertMetric } from './metrics.js';

/**
 * An alert rule, parsed at the HTTP, CLI and file edges by `ruleInput` and trusted inside.
 * Durations are accepted as milliseconds or as `30s`, `5m`, `1h`, `7d` and stored as
 * milliseconds (the `_ms` fields of a stored rule).
 */
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DAY = UNIT_MS.d;

/** Parses `90s`, `5m`, `1h`, `30d` or a number of milliseconds; null when it is neither. */
export function parseDuration(v: string | number): number | null {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? v : null;
  const m = /^(\d{1,9})(ms|s|m|h|d)?$/.exec(v.trim());
  if (!m) return null;
  return Number(m[1]) * UNIT_MS[(m[2] ?? 'ms') as keyof typeof UNIT_MS];
}

function duration(max: number) {
  return z.union([z.number(), z.string()]).transform((v, ctx) => {
    const ms = parseDuration(v);
    if (ms !== null && ms <= max) return ms;
    ctx.addIssue({
      code: 'custom',
      message:
        ms === null
          ? 'must be milliseconds or a duration such as 30s, 5m, 1h, 7d'
          : `must be at most ${max / DAY} days`,
    });
    return z.NEVER;
  });
}

const url = z.url({ protocol: /^https?$/ });

/** Where notifications go: one variant per channel file in channels/. */
export const channelSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('webhook'),
    url,
    /** Signs each request (X-Cairn-Signature); strongly recommended. */
    secret: z.string().min(16).max(512).optional(),
  }),
  z.strictObject({ type: z.literal('slack'), url }),
  z.strictObject({
    type: z.literal('email'),
    to: z.array(z.email()).min(1).max(50),
    from: z.string().min(3).max(320).default('cairn-alerts@localhost'),
    /** smtp://user:pass@host:port or smtps://…; nodemailer's connection URL. */
    smtp: z.url({ protocol: /^smtps?$/ }),
  }),
]);
export type Channel = z.output<typeof channelSchema>;

export const NO_DATA_POLICIES = ['ok', 'keep', 'alerting', 'no_data'] as const;
export type NoDataPolicy = (typeof NO_DATA_POLICIES)[number];

/** The fields of a rule as a client sends them. */
export const ruleInput = z
  .strictObject({
    workspace: z.string().min(1).max(512),
    name: z.string().min(1).max(255),
    description: z.string().max(2_000).optional(),
    enabled: z.boolean().default(true),
    metric: z.enum(Object.keys(ALERT_METRICS) as [AlertMetric, ...AlertMetric[]]),
    /** Only events of this type (e.g. llm_call for latency of model calls). */
    type: z.enum(EVENT_TYPES).optional(),
    /** above: breach when value > threshold; below: when value < threshold (volume drops). */
    condition: z.enum(['above', 'below']).default('above'),
    warning: z.number().finite().optional(),
    critical: z.number().finite().optional(),
    /** For cost_budget: the budget in USD over the window; thresholds are fractions of it. */
    budget_usd: z.number().positive().finite().optional(),
    window: duration(400 * DAY).default(5 * UNIT_MS.m),
    group_by: z.enum(DIMENSION_NAMES).optional(),
    /**
     * Ratios and quantiles only: a group with fewer events in the window has no data, so one
     * failure out of two calls does not fire a 50 % error-rate alert.
     */
    min_requests: z.number().int().min(1).max(1_000_000_000).optional(),
    for: duration(DAY).default(0),
    no_data: z.enum(NO_DATA_POLICIES).default('no_data'),
    /** 0: notify once per firing; else repeat while firing and unacknowledged. */
    renotify: duration(30 * DAY).default(0),
    channels: z.array(channelSchema).max(20).default([]),
  })
  .transform((r, ctx) => {
    const budget = r.metric === 'cost_budget';
    if (budget && r.budget_usd === undefined)
      ctx.addIssue({ code: 'custom', path: ['budget_usd'], message: 'cost_budget needs one' });
    // A budget rule warns at 80 % and is critical at 100 % spent unless told otherwise.
    const warning = r.warning ?? (budget && r.critical === undefined ? 0.8 : undefined);
    const critical = r.critical ?? (budget && r.warning === undefined ? 1 : undefined);
    if (warning === undefined && critical === undefined)
      ctx.addIssue({ code: 'custom', path: ['critical'], message: 'set warning or critical' });
    if (warning !== undefined && critical !== undefined && !ordered(r.condition, warning, critical))
      ctx.addIssue({
        code: 'custom',
        path: ['warning'],
        message: `must be ${r.condition === 'above' ? 'at most' : 'at least'} critical`,
      });
    if (r.min_requests !== undefined && !ALERT_METRICS[r.metric].gatedByVolume)
      ctx.addIssue({
        code: 'custom',
        path: ['min_requests'],
        message: `applies to ratios and quantiles (error_rate, tool_error_rate, latency_*), not ${r.metric}`,
      });
    if (r.window === 0) ctx.addIssue({ code: 'custom', path: ['window'], message: 'must be > 0' });
    const { window, for: forMs, renotify, ...rest } = r;
    return {
      ...rest,
      warning: warning ?? null,
      critical: critical ?? null,
      window_ms: window,
      for_ms: forMs,
      renotify_ms: renotify,
    };
  });
export type RuleInput = z.input<typeof ruleInput>;
export type RuleSpec = z.output<typeof ruleInput>;

function ordered(condition: 'above' | 'below', warning: number, critical: number): boolean {
  return condition === 'above' ? warning <= critical : warning >= critical;
}

/** A stored rule. */
export interface AlertRule extends RuleSpec {
  id: string;
  created_at: number;
  updated_at: number;
}

/**
 * A stored rule back in the form `ruleInput` takes, with `change` laid over it: what an edit
 * (PATCH) re-validates. Fields set to null in `change` are cleared (back to their defaults).
 * `workspace` cannot change: a rule belongs to its workspace.
 */
export function editedInput(rule: AlertRule, change: Record<string, unknown>): unknown {
  const { id: _id, created_at: _c, updated_at: _u, window_ms, for_ms, renotify_ms, ...rest } = rule;
  const current: Record<string, unknown> = {
    ...rest,
    window: window_ms,
    for: for_ms,
    renotify: renotify_ms,
  };
  for (const k of ['warning', 'critical'] as const) if (current[k] === null) delete current[k];
  const merged: Record<string, unknown> = { ...current, ...change, workspace: rule.workspace };
  for (const [k, v] of Object.entries(merged)) if (v === null) delete merged[k];
  return merged;
}

/** True when a channel carries the masked placeholder `publicRule` shows instead of a secret. */
export function hasMaskedSecret(channels: unknown): boolean {
  return JSON.stringify(channels ?? null).includes(MASK);
}

const MASK = '********';

/**
 * The rule as the API shows it, to every role that may read it: credentials are masked. A
 * webhook's secret, the SMTP password, a Slack URL's path (an incoming-webhook URL is itself the
 * credential) and, in any channel URL, the user-info, the query values and the fragment. What is
 * left — scheme, host, port, the webhook's path, the query's keys — tells the target apart.
 */
export function publicRule(rule: AlertRule): AlertRule {
  return { ...rule, channels: rule.channels.map(maskChannel) };
}

function maskChannel(c: Channel): Channel {
  switch (c.type) {
    case 'webhook':
      return {
        ...c,
        url: maskUrl(c.url, false),
        ...(c.secret === undefined ? {} : { secret: MASK }),
      };
    case 'slack':
      return { ...c, url: maskUrl(c.url, true) };
    case 'email': {
      const u = new URL(c.smtp);
      if (u.password) u.password = MASK;
      return { ...c, smtp: u.toString() };
    }
  }
}

/**
 * Masks the credentials a URL may carry. `path`: the path is one too (a Slack-style incoming
 * webhook, /services/T…/B…/token or /hooks/token) — its first segment is kept when more follow.
 */
function maskUrl(raw: string, path: boolean): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return MASK;
  }
  if (u.username) u.username = MASK;
  if (u.password) u.password = MASK;
  if (path) {
    const segments = u.pathname.split('/').filter((s) => s !== '');
    if (segments.length > 0)
      u.pathname = segments.length > 1 ? `/${segments[0]}/${MASK}` : `/${MASK}`;
  }
  if (u.search) {
    const masked = new URLSearchParams();
    for (const key of u.searchParams.keys()) masked.append(key, MASK);
    u.search = masked.toString();
  }
  if (u.hash) u.hash = MASK;
  return u.toString();
}
