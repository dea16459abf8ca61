import type { SummaryRow, AgentRunRow } from '../api-types.js';
import { DataTable, type Column } from '../components/data-table.js';
import { Link } from '../components/link.js';
import { Panel } from '../components/panel.js';
import { fmtInt, fmtMs, fmtPct, fmtText, fmtTime, fmtUsd } from '../format.js';
import { useApi } from '../use-api.js';
import { rangeParams, useView, viewUrl, type View } from '../view.js';
import { errorRate, num } from './common.js';

/**
 * Agents: per-agent run counts, failure rate and duration percentiles (from the agent rollup),
 * then the newest runs — `?agent=` narrows them, and a run opens its trace as a waterfall.
 */
export function AgentsPage() {
  const ctx = useView();
  const base = rangeParams(ctx);
  const agent = ctx.view.q.agent;
  const agents = useApi('summary', { ...base, by: 'agent', type: 'agent_run' });
  const runs = useApi('agent_runs', { ...base, agent, limit: 200 });
  return (
    <div class="grid">
      <Panel id="agents" title="Agents (runs)" loaded={agents} wide>
        {(d) => (
          <DataTable
            id="agents"
            columns={[
              { id: 'key', label: 'Agent', value: (r) => r.key, text: (r) => fmtText(r.key) },
              num<SummaryRow>('runs', 'Runs', (r) => r.requests, fmtInt),
              num<SummaryRow>('failed', 'Failed', (r) => r.errors, fmtInt),
              num<SummaryRow>('failure_rate', 'Failure rate', errorRate, fmtPct),
              num<SummaryRow>('p50', 'p50', (r) => r.duration_ms.p50, fmtMs),
              num<SummaryRow>('p95', 'p95', (r) => r.duration_ms.p95, fmtMs),
              num<SummaryRow>('p99', 'p99', (r) => r.duration_ms.p99, fmtMs),
            ]}
            rows={d.rows}
            rowHref={(r) => (r.key === null ? null : viewUrl(ctx.view, 'agents', { agent: r.key }))}
          />
        )}
      </Panel>
      {agent !== undefined && (
        <p class="crumbs wide">
          Runs of {agent} · <Link href={viewUrl(ctx.view, 'agents')}>all agents</Link>
        </p>
      )}
      <Panel id="runs" title="Latest runs" loaded={runs} wide>
        {(d) => (
          <DataTable
            id="runs"
            columns={RUN_COLUMNS}
            rows={d.runs}
            rowHref={(r) => traceHref(ctx.view, r)}
          />
        )}
      </Panel>
    </div>
  );
}

function traceHref(view: View, r: AgentRunRow): string {
  return viewUrl(view, 'trace', { ws: r.workspace, id: r.id, at: Date.parse(r.start) });
}

const RUN_COLUMNS: Column<AgentRunRow>[] = [
  { id: 'start', label: 'Started', value: (r) => r.start, text: (r) => fmtTime(r.start) },
  { id: 'agent', label: 'Agent', value: (r) => r.agent, text: (r) => fmtText(r.agent) },
  { id: 'status', label: 'Status', value: (r) => r.status },
  num('duration', 'Duration', (r) => r.duration_ms, fmtMs),
  num('steps', 'Steps', (r) => r.totals.steps, fmtInt),
  num('llm', 'LLM calls', (r) => r.totals.llm_calls, fmtInt),
  num('tools', 'Tool calls', (r) => r.totals.tool_calls, fmtInt),
  num('cost', 'Cost', (r) => r.totals.cost_usd, fmtUsd),
  {
    id: 'error',
    label: 'Error',
    value: (r) => r.error?.message ?? null,
    text: (r) => fmtText(r.error?.message),
  },
];
