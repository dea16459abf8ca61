import { z } from 'zod';
import type { ErrorCode } from '../../core/errors.js';
import { describe, rejectionOf } from '../../core/validate-event.js';

/**
 * Input rows of seed 004 (agent-platform), checked at the edge. Column names are the seed's own;
 * the seed's CHECK constraints (event_type, status) become enums with a message listing the
 * allowed values. Numeric columns accept JSON numbers or numeric strings, because PostgreSQL
 * exports NUMERIC as text in many tools.
 */

/** The seed's `valid_event_type` CHECK constraint on analytics.user_activity. */
export const EVENT_TYPES = [
  'page_view',
  'agent_run',
  'login',
  'logout',
  'workspace_switch',
  'feature_use',
  'error',
  'api_call',
  'export',
  'report_view',
] as const;

/** Statuses of public.agent_runs; `running` is the only non-terminal one. */
export const RUN_STATUSES = ['completed', 'failed', 'cancelled', 'running'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

const id = z.union([z.string().min(1).max(200), z.number().int()]).transform(String);
const text = z.string().nullish();
const time = z.union([z.string().max(64), z.number()]);
/** A NUMERIC column: a finite JSON number or a numeric string, ≥ 0. */
const amount = z
  .union([z.number(), z.string().regex(/^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/)])
  .transform(Number)
  .pipe(z.number().min(0).max(1e12));

const userActivity = z.looseObject({
  id,
  user_id: id,
  workspace_id: id.nullish(),
  event_type: z.enum(EVENT_TYPES),
  event_name: text,
  page_path: z.string().max(255).nullish(),
  session_id: id.nullish(),
  ip_address: text,
  user_agent: text,
  referrer: text,
  metadata: z.record(z.string(), z.unknown()).nullish(),
  created_at: time.nullish(),
});

const agentRun = z.looseObject({
  id,
  agent_id: id,
  user_id: id.nullish(),
  workspace_id: id.nullish(),
  status: z.enum(RUN_STATUSES),
  started_at: time,
  completed_at: time.nullish(),
  runtime_seconds: amount.nullish(),
  credits_consumed: amount.nullish(),
  tokens_used: amount.pipe(z.number().int()).nullish(),
  model: z.string().max(256).nullish(),
  error_type: z.string().max(256).nullish(),
  error_message: text,
  // avg_user_rating is NUMERIC(3,2) in the seed, so a rating is below 10.
  rating: amount.pipe(z.number().max(9.99)).nullish(),
});

/** Reference rows: only their keys are checked; every other column is kept as it came. */
const agent = z.looseObject({ id, workspace_id: id.nullish(), name: text });
const workspace = z.looseObject({ id, name: text });
const workspaceMember = z.looseObject({
  id: id.nullish(),
  workspace_id: id,
  user_id: id,
  role: text,
});
const user = z.looseObject({ id, workspace_id: id.nullish(), created_at: time.nullish() });

export const ROW_SCHEMAS = {
  user_activity: userActivity,
  agent_runs: agentRun,
  agents: agent,
  workspaces: workspace,
  workspace_members: workspaceMember,
  users: user,
} as const;

export type SeedTable = keyof typeof ROW_SCHEMAS;
export type UserActivityRow = z.output<typeof userActivity>;
export type AgentRunRow = z.output<typeof agentRun>;
export type ReferenceRow = z.output<(typeof ROW_SCHEMAS)['agents' | 'workspaces' | 'users']> &
  z.output<typeof workspaceMember>;

export type ParsedRow =
  | { table: 'user_activity'; row: UserActivityRow }
  | { table: 'agent_runs'; row: AgentRunRow }
  | { table: 'agents' | 'workspaces' | 'workspace_members' | 'users'; row: ReferenceRow };

/** Columns the seed declares NOT NULL (or that key a row): absent means missing_field. */
const REQUIRED: Readonly<Record<SeedTable, readonly string[]>> = {
  user_activity: ['id', 'user_id', 'event_type'],
  agent_runs: ['id', 'agent_id', 'status', 'started_at'],
  agents: ['id'],
  workspaces: ['id'],
  workspace_members: ['workspace_id', 'user_id'],
  users: ['id'],
};

/** Parses one row of `table`, or says which column is wrong and why (`table.column: …`). */
export function parseRow(
  table: SeedTable,
  values: Readonly<Record<string, unknown>>,
): { ok: true; parsed: ParsedRow } | { ok: false; code: ErrorCode; message: string } {
  const missing = REQUIRED[table].find((c) => values[c] === undefined || values[c] === null);
  if (missing !== undefined)
    return { ok: false, code: 'missing_field', message: `${table}.${missing}: required column` };
  const result = ROW_SCHEMAS[table].safeParse(values, { reportInput: true });
  if (result.success) return { ok: true, parsed: { table, row: result.data } as ParsedRow };
  const issue = result.error.issues[0];
  const { code, message } = rejectionOf(issue);
  return { ok: false, code, message: `${table}.${message}` };
}

/** A rejection for a column whose value is well-formed but inconsistent with another one. */
export function inconsistent(field: string, value: unknown, why: string) {
  return { code: 'invalid_value' as const, message: `${field}: ${why}, got ${describe(value)}` };
}
