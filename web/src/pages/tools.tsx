import type { ToolUsageRow } from '../api-types.js';
import { Bars, type Bar } from '../components/bars.js';
import { DataTable, type Column } from '../components/data-table.js';
import { Link } from '../components/link.js';
import { Panel } from '../components/panel.js';
import { fmtInt, fmtMs, fmtPct, fmtText } from '../format.js';
import { useApi } from '../use-api.js';
import { rangeParams, useView, viewUrl } from '../view.js';
import { num } from './common.js';
import { RecentErrorsTable } from './errors.js';

/**
 * MCP tools: calls, latency percentiles and error rate per tool; `?tool=` opens one tool with its
 * clients (name@version), JSON-RPC error categories and latest failures.
 */
export function ToolsPage() {
  const ctx = useView();
  const tool = ctx.view.q.tool;
  const usage = useApi('tool_usage', { ...rangeParams(ctx), tool });
  return (
    <div class="grid">
      {tool !== undefined && (
        <p class="crumbs wide">
          Tool {tool} · <Link href={viewUrl(ctx.view, 'tools')}>all tools</Link>
        </p>
      )}
      <Panel id="tools" title="Tools" loaded={usage} wide>
        {(d) => (
          <DataTable
            id="tools"
            columns={TOOL_COLUMNS}
            rows={d.tools}
            rowHref={(r) => (r.tool === null ? null : viewUrl(ctx.view, 'tools', { tool: r.tool }))}
          />
        )}
      </Panel>
      <Panel id="tool-clients" title="Clients and versions" loaded={usage}>
        {(d) => <Bars id="tool-clients" bars={clientBars(d.tools)} />}
      </Panel>
      <Panel id="tool-codes" title="Error categories (JSON-RPC)" loaded={usage}>
        {(d) => <Bars id="tool-codes" bars={codeBars(d.tools)} />}
      </Panel>
      {tool !== undefined && (
        <>
          <RecentErrorsTable filters={{ tool }} />
        </>
      )}
    </div>
  );
}

/**
 * Counts summed over the tools shown (one tool when `?tool=` is set). The API lists the top
 * clients and codes of each tool, so over all tools a rare one may be left out.
 */
function sumBy<T>(items: readonly T[], label: (t: T) => string, count: (t: T) => number): Bar[] {
  const sums = new Map<string, number>();
  for (const t of items) sums.set(label(t), (sums.get(label(t)) ?? 0) + count(t));
  return [...sums]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([l, v]) => ({ label: l, value: v, text: fmtInt(v) }));
}

function clientBars(tools: readonly ToolUsageRow[]): Bar[] {
  return sumBy(
    tools.flatMap((t) => t.clients),
    (c) => c.client ?? '(no client)',
    (c) => c.count,
  );
}

function codeBars(tools: readonly ToolUsageRow[]): Bar[] {
  return sumBy(
    tools.flatMap((t) => t.error_codes),
    (c) => [c.error_code, c.label ?? c.error_type].filter((x) => x !== null).join(' ') || '(none)',
    (c) => c.count,
  );
}

const TOOL_COLUMNS: Column<ToolUsageRow>[] = [
  { id: 'tool', label: 'Tool', value: (r) => r.tool, text: (r) => fmtText(r.tool) },
  num('calls', 'Calls', (r) => r.calls, fmtInt),
  num('errors', 'Errors', (r) => r.errors, fmtInt),
  num('error_rate', 'Error rate', (r) => r.error_rate, fmtPct),
  num('timeouts', 'Timeouts', (r) => r.timeouts, fmtInt),
  num('sessions', 'Sessions', (r) => r.sessions, fmtInt),
  num('p50', 'p50', (r) => r.duration_ms.p50, fmtMs),
  num('p95', 'p95', (r) => r.duration_ms.p95, fmtMs),
  num('p99', 'p99', (r) => r.duration_ms.p99, fmtMs),
  {
    id: 'top_error',
    label: 'Top error',
    value: (r) => r.error_codes[0]?.label ?? null,
    text: (r) =>
      fmtText(r.error_codes[0] ? (r.error_codes[0].label ?? r.error_codes[0].error_code) : null),
  },
];
