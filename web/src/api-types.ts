/**
 * The wire shapes of the /v1 answers the dashboard reads (see docs/api.md). Declared here rather
 * than imported from src/: the browser build must not depend on server modules, and these are
 * the HTTP contract, which the end-to-end test checks against the live API.
 */

export interface Quantiles {
  avg: number | null;
  p50: number | null;
  p75: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

export interface SummaryRow {
  key: string | null;
  requests: number;
  errors: number;
  success_rate: number | null;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  reasoning_tokens: number;
  cost_usd: number;
  duration_ms: Quantiles;
}
export interface SummaryResult {
  rows: SummaryRow[];
}

export interface SeriesPoint {
  t: string;
  requests: number;
  errors: number;
  error_rate: number | null;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
}
export interface TimeseriesResult {
  series: Array<{ key: string | null; points: SeriesPoint[] }>;
}

export interface ActiveUsersResult {
  points: Array<{ day: string; dau: number; wau: number; mau: number; new_users: number }>;
  totals: { users: number; new_users: number; returning_users: number; dau_avg: number };
}

export interface RetentionResult {
  period: 'week' | 'month';
  /** A rate is null for a cohort of no users. */
  cohorts: Array<{
    cohort: string;
    users: number;
    retained: number[];
    rates: Array<number | null>;
  }>;
}

export interface Tokens {
  input: number;
  output: number;
  [kind: string]: number;
}

export interface ErrorInfo {
  type: string | null;
  code: string | null;
  message: string | null;
}

export interface SessionRow {
  workspace: string;
  session_id: string;
  user_id: string | null;
  platform: string | null;
  app: string | null;
  started_at: string;
  duration_ms: number;
  events: number;
  messages: number;
  llm_calls: number;
  tool_calls: number;
  agent_runs: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}
export interface SessionsResult {
  sessions: SessionRow[];
  next_offset: number | null;
}

export interface TimelineEvent {
  id: string;
  workspace: string;
  type: string;
  ts: string;
  duration_ms: number | null;
  name: string | null;
  role: string | null;
  status: string;
  agent: string | null;
  model: string | null;
  tool: string | null;
  trace_id: string | null;
  parent_id: string | null;
  cost_usd: number | null;
  content: string | null;
  error: ErrorInfo | null;
}
export interface SessionResult {
  session_id: string;
  events: TimelineEvent[];
  truncated: boolean;
}

export interface SubtreeTotals {
  events: number;
  errors: number;
  steps: number;
  llm_calls: number;
  tool_calls: number;
  cost_usd: number;
}

export interface TraceNode {
  id: string;
  type: string;
  name: string | null;
  agent: string | null;
  model: string | null;
  tool: string | null;
  status: string;
  start: string;
  duration_ms: number | null;
  parent_id: string | null;
  cost_usd: number | null;
  error: ErrorInfo | null;
  totals: SubtreeTotals;
  children: TraceNode[];
}
export interface TraceResult {
  workspace: string;
  trace_id: string | null;
  events: number;
  truncated: boolean;
  totals: SubtreeTotals;
  roots: TraceNode[];
}

export interface AgentRunRow {
  workspace: string;
  id: string;
  trace_id: string | null;
  session_id: string | null;
  agent: string | null;
  name: string | null;
  status: string;
  start: string;
  duration_ms: number | null;
  error: ErrorInfo | null;
  totals: SubtreeTotals;
}
export interface AgentRunsResult {
  runs: AgentRunRow[];
  truncated: boolean;
}

export interface ToolUsageRow {
  tool: string | null;
  calls: number;
  errors: number;
  error_rate: number | null;
  timeouts: number;
  sessions: number;
  duration_ms: { p50: number | null; p95: number | null; p99: number | null };
  clients: Array<{ client: string | null; count: number }>;
  error_codes: Array<{
    error_type: string | null;
    error_code: string | null;
    label: string | null;
    count: number;
  }>;
}
export interface ToolUsageResult {
  tools: ToolUsageRow[];
}

export interface HotspotRow {
  type: string;
  subject_kind: 'tool' | 'agent' | 'model' | null;
  subject: string | null;
  error_type: string | null;
  error_code: string | null;
  label: string | null;
  count: number;
  total: number;
  share: number;
  last_seen: string;
  sample: { id: string; message: string | null };
}
export interface HotspotsResult {
  hotspots: HotspotRow[];
  truncated: boolean;
}

export interface RecentError {
  id: string;
  workspace: string;
  type: string;
  ts: string;
  status: string;
  name: string | null;
  error: ErrorInfo & { label: string | null };
  tool: string | null;
  agent: string | null;
  model: string | null;
  client: { name: string | null; version: string | null };
  session_id: string | null;
  trace_id: string | null;
}
export interface RecentErrorsResult {
  errors: RecentError[];
}

export interface WorkspacesResult {
  workspaces: string[];
}

/** Each named query's answer, so `useApi('summary', …)` is typed by the name alone. */
/** GET /v1/alerts: the workspace's rules (src/alerts/rule.ts; channel secrets masked). */
export interface AlertRuleRow {
  id: string;
  workspace: string;
  name: string;
  enabled: boolean;
  metric: string;
  type?: string;
  condition: 'above' | 'below';
  warning: number | null;
  critical: number | null;
  budget_usd?: number;
  window_ms: number;
  for_ms: number;
  group_by?: string;
  min_requests?: number;
  no_data: string;
  channels: Array<{ type: string }>;
}
export interface AlertsResult {
  rules: AlertRuleRow[];
}

/** GET /v1/alerts/history: notifications, newest first (src/alerts/alert-store.ts). */
export interface AlertHistoryRow {
  id: string;
  rule_id: string;
  workspace: string;
  group: string;
  kind: string;
  state: string;
  severity: 'warning' | 'critical' | null;
  value: number | null;
  threshold: number | null;
  at: number;
  delivery_status: string;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
}
export interface AlertHistoryResult {
  history: AlertHistoryRow[];
}

export interface Answers {
  summary: SummaryResult;
  timeseries: TimeseriesResult;
  active_users: ActiveUsersResult;
  retention: RetentionResult;
  sessions: SessionsResult;
  session: SessionResult;
  trace: TraceResult;
  agent_runs: AgentRunsResult;
  tool_usage: ToolUsageResult;
  error_hotspots: HotspotsResult;
  recent_errors: RecentErrorsResult;
  workspaces: WorkspacesResult;
  // Not named queries, but GET routes of the same API answering JSON the same way.
  alerts: AlertsResult;
  'alerts/history': AlertHistoryResult;
}
export type QueryName = keyof Answers;
