import type { BackendKind } from '../../store/backend.js';
import type { SeedView } from '../adapter.js';
import { runEventId } from './event-row.js';
import { observabilitySql, type ObservabilitySql } from './view-sql.js';

/** Name of the helper view holding message events in the shape of the seed's chat_messages. */
export const CHAT_MESSAGES_VIEW = 'observability_chat_messages';

const DAY_MS = 86_400_000;
const RUN_PREFIX = runEventId('');

/**
 * Seed 000's views, over Cairn's raw events. A helper view first gives every `message` event the
 * columns of the seed's `chat_messages` table; the messages, conversations and daily views are
 * then the seed's own SELECTs over it, so they answer exactly as the seed's SQL does — with a
 * real `estimated_cost_usd` and a trailing `workspace` column (the seed has one tenant; Cairn
 * groups by workspace so tenants never mix).
 */
export function observabilityViews(kind: BackendKind): readonly SeedView[] {
  const q = observabilitySql(kind);
  return [
    { name: CHAT_MESSAGES_VIEW, select: chatMessages(q) },
    { name: 'analytics_messages_view', select: messages() },
    { name: 'analytics_agent_steps_view', select: agentSteps(q) },
    { name: 'analytics_conversations_view', select: conversations() },
    { name: 'analytics_user_daily_view', select: userDaily(q) },
    { name: 'analytics_platform_daily_view', select: platformDaily() },
  ];
}

function chatMessages(q: ObservabilitySql): string {
  const d = (k: string) => q.jsonText('m.detail', k);
  const n = (k: string) => q.jsonInt('m.detail', k);
  return `select coalesce(${d('row_id')}, m.id) as id, m.trace_id as event_id, m.session_id,
  ${d('message_id')} as message_id, ${n('sequence')} as sequence, m.name as role, m.content,
  m.platform, m.user_id, ${d('username')} as username, ${d('chat_id')} as chat_id,
  ${d('visibility')} as visibility, ${q.flag('m.detail', 'archived')} as is_archived,
  ${q.flag('m.detail', 'pinned')} as is_pinned, m.input_tokens, m.output_tokens,
  m.cache_read_tokens as cached_tokens, m.reasoning_tokens, m.model, ${d('metadata')} as metadata,
  m.ts as "timestamp", coalesce(${n('created_at')}, m.ts) as created_at,
  ${n('updated_at')} as updated_at, ${q.jsonText('r.detail', 'repo')} as repo, m.cost_nanos,
  m.workspace
from events m
left join events r on r.workspace = m.workspace and r.id = '${RUN_PREFIX}' || m.trace_id
  and r.type = 'agent_run'
where m.type = 'message'`;
}

function messages(): string {
  return `select id, message_id, session_id, session_id as conversation_id,
  null as parent_message_id, sequence, role, content, null as content_hash, visibility,
  is_archived, is_pinned, event_id, null as trigger_message_id, null as platform_message_id,
  platform, user_id, username, chat_id, repo, input_tokens, output_tokens, cached_tokens,
  reasoning_tokens, model, "timestamp" as created_at,
  coalesce(updated_at, "timestamp") as updated_at, metadata,
  cost_nanos / 1e9 as estimated_cost_usd, workspace
from ${CHAT_MESSAGES_VIEW}`;
}

/**
 * Every agent_step event, nested workers included (parent_step_id names the parent step). For
 * steps of an imported observability_events row, started_at, completed_at, status and created_at
 * are the run's, as in the seed; a step that failed on its own is an error even in a run that
 * succeeded. Steps that came in natively use their own time and status. A step left over from an
 * older version of its run (a chain that lost agents) has a lower revision than the run and is
 * not shown.
 */
function agentSteps(q: ObservabilitySql): string {
  const run = (k: string) => q.jsonInt('r.detail', k);
  return `select coalesce(${q.jsonText('s.detail', 'step_id')}, s.id) as step_id,
  s.trace_id as event_id, null as message_id,
  case when p.id is null then null else coalesce(${q.jsonText('p.detail', 'step_id')}, p.id) end
    as parent_step_id,
  coalesce(s.agent, s.name) as agent_name, ${q.jsonText('s.detail', 'agent_type')} as agent_type,
  ${q.jsonInt('s.detail', 'index')} as sequence,
  case when r.id is null then s.ts else r.ts end as started_at,
  case when r.id is null then s.ts + round(s.duration_ms) else ${run('completed_at')} end
    as completed_at,
  coalesce(s.duration_ms, 0) as duration_ms, 0 as queue_time_ms,
  case when s.status = 'ok' and (r.id is null or ${q.jsonText('r.detail', 'status')} = 'success')
    then 'success' else 'error' end as status,
  s.input_tokens, s.output_tokens, s.cache_read_tokens as cached_tokens, s.reasoning_tokens,
  s.model, ${q.jsonText('s.detail', 'tools')} as tools_used,
  coalesce(${q.jsonInt('s.counters', 'tool_calls')}, 0) as tool_calls_count,
  s.error_type, s.error_message, 0 as retry_count, null as metadata,
  case when r.id is null then s.ts else ${run('created_at')} end as created_at,
  s.cost_nanos / 1e9 as estimated_cost_usd, s.workspace
from events s
left join events p on p.workspace = s.workspace and p.id = s.parent_id and p.type = 'agent_step'
left join events r on r.workspace = s.workspace and r.id = '${RUN_PREFIX}' || s.trace_id
  and r.type = 'agent_run'
where s.type = 'agent_step' and (r.id is null or s.revision >= r.revision)`;
}

function conversations(): string {
  return `select session_id as conversation_id, max(user_id) as user_id, max(platform) as platform,
  null as title, null as summary, max(visibility) as visibility, max(is_archived) as is_archived,
  0 as is_starred, count(*) as message_count, 1 as session_count,
  sum(input_tokens + output_tokens) as total_tokens, min("timestamp") as first_message_at,
  max("timestamp") as last_message_at, min(created_at) as created_at,
  max(coalesce(updated_at, "timestamp")) as updated_at, null as metadata, workspace
from ${CHAT_MESSAGES_VIEW}
where is_archived = 0
group by workspace, session_id`;
}

/** The UTC day a message falls on, as epoch ms of its midnight (the seed's period_start). */
const DAY_START = `(("timestamp" / ${DAY_MS}) * ${DAY_MS})`;

function userDaily(q: ObservabilitySql): string {
  return `select 'user_daily' as aggregate_type, user_id as aggregate_key, 'day' as period_type,
  ${DAY_START} as period_start, ${DAY_START} + ${DAY_MS} as period_end,
  ${tokenSums()}, sum(cached_tokens) as cached_tokens, sum(reasoning_tokens) as reasoning_tokens,
  count(*) as message_count,
  sum(case when role = 'user' then 1 else 0 end) as user_message_count,
  sum(case when role = 'assistant' then 1 else 0 end) as assistant_message_count,
  count(distinct event_id) as event_count, count(distinct session_id) as session_count,
  ${q.usd('sum(cost_nanos)')} as estimated_cost_usd, max(created_at) as last_computed_at,
  max(created_at) as created_at, workspace
from ${CHAT_MESSAGES_VIEW}
where is_archived = 0
group by workspace, user_id, ${DAY_START}`;
}

function platformDaily(): string {
  return `select 'platform_daily' as aggregate_type, platform as aggregate_key,
  'day' as period_type, ${DAY_START} as period_start, ${DAY_START} + ${DAY_MS} as period_end,
  ${tokenSums()}, count(*) as message_count, count(distinct user_id) as user_count,
  count(distinct session_id) as session_count, workspace
from ${CHAT_MESSAGES_VIEW}
where is_archived = 0
group by workspace, platform, ${DAY_START}`;
}

function tokenSums(): string {
  return `sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens,
  sum(input_tokens + output_tokens) as total_tokens`;
}
