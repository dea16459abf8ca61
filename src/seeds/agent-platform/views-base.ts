import type { SeedView } from '../adapter.js';
import { RATING_SUFFIX, RUN_PREFIX, ACTIVITY_PREFIX, FORMAT } from './to-events.js';
import type { ApSql } from './view-sql.js';

/**
 * The seed's source tables read back from Cairn events and seed records. The `agent_platform_*`
 * views are Cairn's own (they add epoch-ms columns the analytics views group by); `user_activity`
 * and `agent_runs` have exactly the seed's columns. Every `activity` and `agent_run` event counts,
 * imported or sent to /v1/events, so the views describe everything the workspace reported.
 */
export function baseViews(s: ApSql): SeedView[] {
  return [
    { name: s.rel('agent_platform_runs'), select: runs(s) },
    { name: s.rel('agent_platform_activity'), select: activity(s) },
    { name: s.rel('agent_platform_agents'), select: agents(s) },
    { name: s.rel('user_activity'), select: userActivity(s) },
    { name: s.rel('agent_runs'), select: agentRuns(s) },
  ];
}

/** The seed's row id: the event id without the table prefix the importer added. */
function seedId(column: string, prefix: string): string {
  return `case when substr(${column}, 1, ${prefix.length}) = '${prefix}'
    then substr(${column}, ${prefix.length + 1}) else ${column} end`;
}

function runs(s: ApSql): string {
  // Events sent to /v1/events carry no seed status: it follows from Cairn's.
  const status = `coalesce(${s.jsonText('e.detail', 'run_status')},
    case e.status when 'ok' then 'completed' when 'cancelled' then 'cancelled' else 'failed' end)`;
  return `select e.workspace as workspace_id, ${seedId('e.id', RUN_PREFIX)} as id,
      e.agent as agent_id, e.user_id, e.model, ${status} as status,
      e.ts as started_ms,
      coalesce(${s.jsonNumber('e.detail', 'completed_at_ms')}, e.ts + e.duration_ms) as completed_ms,
      e.duration_ms / 1000.0 as runtime_seconds,
      ${s.jsonNumber('e.counters', 'credits_consumed')} as credits_consumed,
      coalesce(${s.jsonNumber('e.counters', 'tokens_used')},
        nullif(e.input_tokens + e.output_tokens, 0)) as tokens_used,
      e.error_type, e.error_message,
      ${s.jsonNumber('f.detail', 'score')} as rating
    from events e
    left join events f on f.workspace = e.workspace and f.id = e.id || '${RATING_SUFFIX}'
      and f.type = 'feedback'
    where e.type = 'agent_run'`;
}

function activity(s: ApSql): string {
  const metadata = s.pg
    ? `(e.attributes -> 'metadata')`
    : `json_extract(e.attributes, '$.metadata')`;
  return `select e.workspace as workspace_id, ${seedId('e.id', ACTIVITY_PREFIX)} as id,
      e.user_id, e.session_id, e.name as event_type,
      ${s.jsonText('e.detail', 'event_name')} as event_name,
      ${s.jsonText('e.detail', 'page')} as page_path,
      ${s.jsonText('e.attributes', 'ip_address')} as ip_address,
      ${s.jsonText('e.attributes', 'user_agent')} as user_agent,
      ${s.jsonText('e.attributes', 'referrer')} as referrer,
      coalesce(${metadata}, ${s.emptyObject}) as metadata,
      e.ts as created_ms
    from events e where e.type = 'activity'`;
}

function agents(s: ApSql): string {
  return `select r.workspace as workspace_id, r.id, ${s.jsonText('r.data', 'name')} as name
    from seed_records r where r.format = '${FORMAT}' and r.seed_table = 'agents'`;
}

function userActivity(s: ApSql): string {
  return `select id, user_id, workspace_id, event_type, event_name, page_path, session_id,
      ip_address, user_agent, referrer, metadata, ${s.instant('created_ms')} as created_at
    from ${s.rel('agent_platform_activity')}`;
}

function agentRuns(s: ApSql): string {
  return `select id, agent_id, user_id, workspace_id, status,
      ${s.instant('started_ms')} as started_at, ${s.instant('completed_ms')} as completed_at,
      runtime_seconds, credits_consumed, tokens_used, model, error_type, error_message, rating
    from ${s.rel('agent_platform_runs')}`;
}
