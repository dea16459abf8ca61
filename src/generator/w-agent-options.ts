import { MODELS, TOOLS } from './catalog.js';

export const DAY_MS = 86_400_000;

/** Options of the W-agent workload; every default is the reference workload of DESIGN.md. */
export interface WAgentOptions {
  /** Same seed and options give a byte-identical stream. Default 42. */
  seed?: number | string;
  /** Epoch ms of the earliest possible session start. */
  start: number;
  /** Epoch ms; sessions start in [start, end). */
  end: number;
  /** Number of workspaces ("ws-01"…), with Zipf-skewed traffic. Default 20. */
  workspaces?: number;
  /** How many models of the catalogue are in use. Default 6. */
  models?: number;
  /** How many MCP tools of the catalogue are in use. Default 30. */
  tools?: number;
  /** Distinct users per 30 days; the pool scales with the time span. Default 50 000. */
  usersPerMonth?: number;
  /** Mean number of sessions a day (more in the UTC afternoon, fewer at night). Default 5 000. */
  sessionsPerDay?: number;
  /** Share of LLM and tool calls that fail. Default 0.02. */
  errorRate?: number;
  /** Share of events delivered a second time, same id and content. Default 0.10. */
  duplicateRate?: number;
  /** Share of events held back and delivered up to `lateMaxMs` later. Default 0.05. */
  lateRate?: number;
  /** The longest extra delay of a late event. Default 24 h. */
  lateMaxMs?: number;
}

/** Options with every default filled in and every value checked. */
export type ResolvedOptions = Readonly<Required<WAgentOptions>>;

const DEFAULTS = {
  seed: 42,
  workspaces: 20,
  models: 6,
  tools: 30,
  usersPerMonth: 50_000,
  sessionsPerDay: 5_000,
  errorRate: 0.02,
  duplicateRate: 0.1,
  lateRate: 0.05,
  lateMaxMs: DAY_MS,
} as const;

/** Fills in defaults and rejects impossible options with a message naming the option. */
export function resolveOptions(options: WAgentOptions): ResolvedOptions {
  const o: Required<WAgentOptions> = { ...DEFAULTS, ...definedOnly(options) };
  requireFinite('start', o.start);
  requireFinite('end', o.end);
  if (o.end < o.start) throw new RangeError(`end (${o.end}) must not be before start (${o.start})`);
  requireInt('workspaces', o.workspaces, 1, 9_999);
  requireInt('models', o.models, 1, MODELS.length);
  requireInt('tools', o.tools, 1, TOOLS.length);
  requireRange('usersPerMonth', o.usersPerMonth, 1, Number.MAX_SAFE_INTEGER);
  requireRange('sessionsPerDay', o.sessionsPerDay, 0, Number.MAX_SAFE_INTEGER);
  for (const k of ['errorRate', 'duplicateRate', 'lateRate'] as const) requireRange(k, o[k], 0, 1);
  requireRange('lateMaxMs', o.lateMaxMs, 0, Number.MAX_SAFE_INTEGER);
  return Object.freeze(o);
}

/** Users over the span: `usersPerMonth` scaled by the span's length in 30-day months. */
export function userPoolSize(o: ResolvedOptions): number {
  return Math.max(1, Math.round((o.usersPerMonth * (o.end - o.start)) / (30 * DAY_MS)));
}

/** `{ models: undefined }` means "default", not "no value", so undefined entries are dropped. */
function definedOnly(options: WAgentOptions): WAgentOptions {
  const entries = Object.entries(options).filter(([, v]) => v !== undefined);
  return Object.fromEntries(entries) as unknown as WAgentOptions;
}

function requireFinite(name: string, v: number): void {
  if (!Number.isFinite(v)) throw new RangeError(`${name} must be a finite number, got ${v}`);
}

function requireRange(name: string, v: number, lo: number, hi: number): void {
  if (!(v >= lo && v <= hi)) throw new RangeError(`${name} must be in [${lo}, ${hi}], got ${v}`);
}

function requireInt(name: string, v: number, lo: number, hi: number): void {
  requireRange(name, v, lo, hi);
  if (!Number.isInteger(v)) throw new RangeError(`${name} must be an integer, got ${v}`);
}
