import type { SeedView } from '../../adapter.js';
import { FORMAT, TABLES } from '../state-store.js';
import { lit, type McpSql } from './fragments.js';

/**
 * tool_executions: one row per tool invocation — every `tool_call` event that names a tool
 * (from this log, POST /v1/events or OTLP spans alike), plus tools/call requests still waiting
 * for their response (status `pending`, from the pairing state). Seed status names: ok → success.
 */
export function toolExecutionsView(q: McpSql): SeedView {
  const events = `select e.id as id, e.session_id as session_id,
    ${q.detailText('request_id')} as request_id, e.tool as tool_name, e.name as tool_method,
    ${q.isoTime('e.ts')} as request_time,
    case when e.duration_ms is null then null else ${q.isoTime('e.ts + e.duration_ms')} end as response_time,
    e.duration_ms as duration_ms,
    ${q.counter('request_bytes')} as input_size, ${q.counter('response_bytes')} as output_size,
    ${q.counter('argument_count')} as argument_count, ${q.detailText('arguments')} as arguments,
    case e.status when 'ok' then 'success' else e.status end as status,
    ${q.attr('mcp.result_type')} as result_type, ${q.attr('mcp.result_summary')} as result_summary,
    ${q.attr('mcp.request_interaction_id')} as interaction_request_id,
    ${q.attr('mcp.response_interaction_id')} as interaction_response_id,
    e.workspace as workspace
  from events e where e.type = 'tool_call' and e.tool is not null`;
  const pending = `select 'pending:' || r.id, ${q.data('session_id')}, ${q.data('request_id')},
    ${q.data('tool_name')}, ${q.data('method')}, ${q.isoTime('r.ts')}, null, null,
    ${q.dataNum('bytes')}, 0, ${q.dataNum('argument_count')}, ${q.data('arguments')},
    'pending', null, null, ${q.data('interaction_id')}, null, r.workspace
  from seed_records r
  where r.format = ${lit(FORMAT)} and r.seed_table = ${lit(TABLES.pending)}
    and ${q.data('method')} = 'tools/call' and ${q.dataNum('timed_out')} = 0`;
  return { name: 'tool_executions', select: `${events}\n  union all\n  ${pending}` };
}
