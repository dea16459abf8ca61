import type { SeedView } from '../../adapter.js';
import { TERMINAL_STATUSES } from '../session-events.js';
import { lit, type McpSql } from './fragments.js';

const TERMINAL = TERMINAL_STATUSES.map(lit).join(', ');
const SESSION_TYPES = `e.type in ('tool_call', 'session', 'error') and e.session_id is not null`;

/**
 * client_sessions: one row per session with a tool call, session or error event. The client is
 * the one `initialize` named, else any a request named under `_meta` (newer protocols). Data
 * sent and received are the client's: the requests it made and the responses it gave, and back.
 * Streaming support and content types are transport facts a JSON-RPC log does not show: null.
 */
export function clientSessionsView(q: McpSql): SeedView {
  const dir = q.attr('mcp.direction');
  const toServer = `coalesce(${dir}, 'client_to_server') = 'client_to_server'`;
  const bytes = (mine: string, theirs: string) =>
    `sum(case when e.type = 'tool_call' then case when ${toServer} then ${q.counter(mine)} else ${q.counter(theirs)} end end)`;
  const init = (col: string) =>
    `coalesce(max(case when e.name = 'initialize' then ${col} end), max(${col}))`;
  return {
    name: 'client_sessions',
    select: `select e.session_id as id, e.session_id as session_id,
    ${init('e.client_name')} as client_name, ${init('e.client_version')} as client_version,
    ${q.isoTime('min(e.ts)')} as connect_time,
    ${q.isoTime(`max(case when e.type = 'session' and e.name in (${TERMINAL}) then e.ts end)`)} as disconnect_time,
    ${q.isoTime('max(e.ts + coalesce(e.duration_ms, 0))')} as last_activity,
    null as supports_streaming,
    max(${q.attrNum('mcp.supports_notifications')}) as supports_notifications,
    null as supported_content_types,
    max(${q.attr('mcp.protocol_version')}) as protocol_version,
    max(case when e.name = 'initialize' then ${q.attr('mcp.initialization_params')} end) as initialization_params,
    null as target_repl,
    count(case when e.type = 'tool_call' and ${toServer} then 1 end) as total_requests,
    count(case when e.status in ('error', 'timeout') then 1 end) as total_errors,
    ${bytes('request_bytes', 'response_bytes')} as total_data_sent,
    ${bytes('response_bytes', 'request_bytes')} as total_data_received,
    e.workspace as workspace
  from events e where ${SESSION_TYPES}
  group by e.workspace, e.session_id`,
  };
}

/**
 * session_lifecycle: state changes in time order per session — `session` events (the seed's
 * sessions and events rows, or any source), and each initialize exchange as connected (its
 * request) then initialized or failed (its answer). from_state is the previous row's to_state.
 */
export function sessionLifecycleView(q: McpSql): SeedView {
  const base = `e.workspace as workspace, e.session_id as session_id`;
  const changes = `select e.id as eid, ${base}, e.ts as t, 0 as ord, e.name as event_type,
      ${q.attr('mcp.reason')} as reason, ${q.attr('mcp.triggered_by')} as triggered_by,
      ${q.jsonColumn('e.attributes')} as metadata
    from events e where e.type = 'session' and e.session_id is not null and e.name is not null
    union all
    select e.id, ${base}, e.ts, 0, 'connected', null, 'client', null
    from events e where e.type = 'tool_call' and e.name = 'initialize' and e.session_id is not null
    union all
    select e.id, ${base}, e.ts + coalesce(e.duration_ms, 0), 1,
      case when e.status = 'ok' then 'initialized' else 'failed' end,
      e.error_message, 'server', null
    from events e where e.type = 'tool_call' and e.name = 'initialize' and e.session_id is not null`;
  return {
    name: 'session_lifecycle',
    select: `select eid || ':' || event_type as id, session_id, ${q.isoTime('t')} as timestamp,
    event_type, lag(event_type) over (partition by workspace, session_id order by t, ord, eid) as from_state,
    event_type as to_state, reason, triggered_by, metadata, workspace
  from (${changes}) changes`,
  };
}

/**
 * v_session_summary: the seed's view, without its join fan-out (sums counted once). Each measure
 * is aggregated per session once and joined: a subquery per session row would read the tool
 * executions again for every session (a minute for 100 rows at 1 M events).
 */
export function sessionSummaryView(q: McpSql): SeedView {
  const on = (t: string) => `${t}.workspace = cs.workspace and ${t}.session_id = cs.session_id`;
  return {
    name: 'v_session_summary',
    select: `with te as (select workspace, session_id, count(*) as calls,
        sum(duration_ms) as total_ms, avg(duration_ms) as avg_ms
      from tool_executions where session_id is not null group by workspace, session_id),
    er as (select workspace, session_id, count(*) as n
      from errors where session_id is not null group by workspace, session_id),
    created as (select e.workspace, e.session_id, max(${q.attr('mcp.session_status')}) as status
      from events e where e.type = 'session' and e.name = 'created' and e.session_id is not null
      group by e.workspace, e.session_id)
  select cs.session_id as session_id, cs.connect_time as start_time,
    cs.last_activity as last_activity,
    coalesce(created.status, case when cs.disconnect_time is null then 'active' else 'disconnected' end) as status,
    cs.client_name as client_name, cs.client_version as client_version,
    coalesce(te.calls, 0) as total_tool_calls, coalesce(er.n, 0) as total_errors,
    te.total_ms as total_execution_time_ms, te.avg_ms as avg_execution_time_ms,
    cs.workspace as workspace
  from client_sessions cs
  left join te on ${on('te')}
  left join er on ${on('er')}
  left join created on ${on('created')}`,
  };
}

/** v_error_hotspots: the seed's view over errors, per workspace. */
export function errorHotspotsView(): SeedView {
  return {
    name: 'v_error_hotspots',
    select: `select tool_name, error_type, error_category, count(*) as error_count,
    count(distinct session_id) as affected_sessions, max(timestamp) as last_occurrence, workspace
  from errors where resolved = 0
  group by workspace, tool_name, error_type, error_category`,
  };
}
