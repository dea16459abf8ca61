import type { SeedView } from '../../adapter.js';
import { ERROR_CATEGORIES } from '../jsonrpc.js';
import { lit, type McpSql } from './fragments.js';

/**
 * errors: every failed or timed-out tool_call event and every `error` event (the seed's events
 * table, or any other source), classified as the seed does — tool_error, protocol_error or
 * system_error — with the JSON-RPC code's category. Cairn does not track resolution: resolved
 * is always 0.
 */
export function errorsView(q: McpSql): SeedView {
  const code = q.intOrNull('e.error_code');
  return {
    name: 'errors',
    select: `select e.id as id, e.session_id as session_id,
    ${q.isoTime('e.ts + coalesce(e.duration_ms, 0)')} as timestamp,
    ${errorType()} as error_type, ${code} as error_code, ${category(code)} as error_category,
    e.tool as tool_name, e.name as method, ${q.detailText('request_id')} as request_id,
    coalesce(e.error_message, e.error_type, e.status) as message,
    ${q.attr('mcp.error_stack')} as stack_trace,
    case when e.client_name is null then null
      else e.client_name || coalesce('/' || e.client_version, '') end as client_info,
    ${q.detailText('arguments')} as input_that_caused_error,
    0 as resolved, null as resolution_notes,
    ${q.attr('mcp.response_interaction_id')} as interaction_id,
    case when e.type = 'error' then e.id end as event_id,
    e.workspace as workspace
  from events e
  where e.type in ('tool_call', 'error') and e.status in ('error', 'timeout')`,
  };
}

/** The seed: a failure of a tools/ method is a tool error, other JSON-RPC failures protocol errors. */
function errorType(): string {
  return `case when e.type = 'error' and e.error_type = 'jsonrpc_error' then 'protocol_error'
      when e.type = 'error' or e.status = 'timeout' then 'system_error'
      when e.error_type = 'tool_error' or e.name like 'tools/%' then 'tool_error'
      else 'protocol_error' end`;
}

/** The category from the code (the table in jsonrpc.ts), or from what kind of failure it was. */
function category(code: string): string {
  const known = ERROR_CATEGORIES.map(([c, name]) => `when ${code} = ${c} then ${lit(name)}`);
  return `case when e.status = 'timeout' then 'request_timeout'
      when e.error_type = 'tool_error' then 'tool_execution_error'
      ${known.join('\n      ')}
      when ${code} between -32099 and -32000 then 'server_error'
      when e.type = 'error' then 'system_error'
      else 'unknown_error' end`;
}
