import type { HotspotRow, RecentError } from '../api-types.js';
import { DataTable, type Column } from '../components/data-table.js';
import { Link } from '../components/link.js';
import { Panel } from '../components/panel.js';
import { fmtInt, fmtPct, fmtText, fmtTime } from '../format.js';
import { useApi } from '../use-api.js';
import { rangeParams, useView, viewUrl, type View } from '../view.js';
import { num } from './common.js';

/** The recent_errors filters a view may carry in its URL. */
const FILTERS = ['type', 'tool', 'agent', 'model', 'session_id'] as const;

/** Errors: where failures cluster, then the latest failures (filtered from a hotspot's row). */
export function ErrorsPage() {
  const ctx = useView();
  const filters = Object.fromEntries(
    FILTERS.filter((k) => ctx.view.q[k] !== undefined).map((k) => [k, ctx.view.q[k]!]),
  );
  const hotspots = useApi('error_hotspots', rangeParams(ctx));
  const active = Object.entries(filters);
  return (
    <div class="grid">
      <Panel id="hotspots" title="Error hotspots" loaded={hotspots} wide>
        {(d) => (
          <DataTable
            id="hotspots"
            columns={HOTSPOT_COLUMNS}
            rows={d.hotspots}
            rowHref={(r) => hotspotHref(ctx.view, r)}
          />
        )}
      </Panel>
      {active.length > 0 && (
        <p class="crumbs wide">
          Filtered by {active.map(([k, v]) => `${k} = ${v}`).join(', ')} ·{' '}
          <Link href={viewUrl(ctx.view, 'errors')}>clear</Link>
        </p>
      )}
      <RecentErrorsTable filters={filters} />
    </div>
  );
}

/** A hotspot drills down to its failures: same event type, same tool, agent or model. */
function hotspotHref(view: View, r: HotspotRow): string {
  const subject = r.subject_kind && r.subject !== null ? { [r.subject_kind]: r.subject } : {};
  return viewUrl(view, 'errors', { type: r.type, ...subject });
}

const HOTSPOT_COLUMNS: Column<HotspotRow>[] = [
  { id: 'type', label: 'Type', value: (r) => r.type },
  {
    id: 'subject',
    label: 'Tool / agent / model',
    value: (r) => r.subject,
    text: (r) => fmtText(r.subject),
  },
  {
    id: 'error',
    label: 'Error',
    value: (r) => r.label ?? r.error_code ?? r.error_type,
    text: (r) => [r.error_type, r.error_code, r.label].filter((x) => x !== null).join(' · ') || '—',
  },
  num('count', 'Failures', (r) => r.count, fmtInt),
  num('share', 'Share', (r) => r.share, fmtPct),
  { id: 'last', label: 'Last seen', value: (r) => r.last_seen, text: (r) => fmtTime(r.last_seen) },
  {
    id: 'sample',
    label: 'Sample',
    value: (r) => r.sample.message,
    text: (r) => fmtText(r.sample.message),
  },
];

/** The latest failures matching `filters` in the view's range; a row opens its trace or session. */
export function RecentErrorsTable(props: { filters: Record<string, string> }) {
  const ctx = useView();
  const errors = useApi('recent_errors', { ...rangeParams(ctx), ...props.filters, limit: 200 });
  return (
    <Panel id="recent-errors" title="Recent errors" loaded={errors} wide>
      {(d) => (
        <DataTable
          id="recent-errors"
          columns={RECENT_COLUMNS}
          rows={d.errors}
          rowHref={(r) => errorHref(ctx.view, r)}
          empty="No failures in this range."
        />
      )}
    </Panel>
  );
}

function errorHref(view: View, r: RecentError): string | null {
  const at = Date.parse(r.ts);
  if (r.trace_id !== null)
    return viewUrl(view, 'trace', { ws: r.workspace, trace_id: r.trace_id, at });
  if (r.session_id !== null)
    return viewUrl(view, 'session', { ws: r.workspace, session_id: r.session_id, at });
  return null;
}

const RECENT_COLUMNS: Column<RecentError>[] = [
  { id: 'ts', label: 'Time', value: (r) => r.ts, text: (r) => fmtTime(r.ts) },
  { id: 'type', label: 'Type', value: (r) => r.type },
  { id: 'status', label: 'Status', value: (r) => r.status },
  {
    id: 'subject',
    label: 'Tool / agent / model',
    value: (r) => r.tool ?? r.agent ?? r.model,
    text: (r) => fmtText(r.tool ?? r.agent ?? r.model),
  },
  {
    id: 'error',
    label: 'Error',
    value: (r) => r.error.label ?? r.error.code ?? r.error.type,
    text: (r) =>
      [r.error.type, r.error.code, r.error.label].filter((x) => x !== null).join(' · ') || '—',
  },
  {
    id: 'message',
    label: 'Message',
    value: (r) => r.error.message,
    text: (r) => fmtText(r.error.message),
  },
  {
    id: 'client',
    label: 'Client',
    value: (r) => r.client.name,
    text: (r) =>
      r.client.name === null ? '—' : `${r.client.name} ${r.client.version ?? ''}`.trim(),
  },
];
