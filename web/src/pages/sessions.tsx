import type { SessionRow } from '../api-types.js';
import { DataTable, type Column } from '../components/data-table.js';
import { Link } from '../components/link.js';
import { Panel } from '../components/panel.js';
import { fmtInt, fmtMs, fmtText, fmtTime, fmtUsd } from '../format.js';
import { useApi } from '../use-api.js';
import { rangeParams, useView, viewUrl } from '../view.js';
import { num } from './common.js';

const FILTERS = ['user_id', 'app', 'platform'] as const;
/** Sessions read per request; the table pages through them. */
const LIMIT = 500;

/** Sessions and conversations in the range, newest first; a row opens the conversation. */
export function SessionsPage() {
  const ctx = useView();
  const filters = Object.fromEntries(
    FILTERS.filter((k) => ctx.view.q[k] !== undefined).map((k) => [k, ctx.view.q[k]!]),
  );
  const sessions = useApi('sessions', { ...rangeParams(ctx), ...filters, limit: LIMIT });
  const active = Object.entries(filters);
  return (
    <div class="grid">
      {active.length > 0 && (
        <p class="crumbs wide">
          Filtered by {active.map(([k, v]) => `${k} = ${v}`).join(', ')} ·{' '}
          <Link href={viewUrl(ctx.view, 'sessions')}>clear</Link>
        </p>
      )}
      <Panel id="sessions" title="Sessions" loaded={sessions} wide>
        {(d) => (
          <>
            <DataTable
              id="sessions"
              columns={COLUMNS}
              rows={d.sessions}
              rowHref={(r) =>
                viewUrl(ctx.view, 'session', {
                  ws: r.workspace,
                  session_id: r.session_id,
                  at: Date.parse(r.started_at),
                })
              }
            />
            {d.next_offset !== null && (
              <p class="muted">
                The newest {LIMIT} sessions are shown; narrow the range for older ones.
              </p>
            )}
          </>
        )}
      </Panel>
    </div>
  );
}

const COLUMNS: Column<SessionRow>[] = [
  {
    id: 'started',
    label: 'Started',
    value: (r) => r.started_at,
    text: (r) => fmtTime(r.started_at),
  },
  { id: 'session', label: 'Session', value: (r) => r.session_id },
  { id: 'user', label: 'User', value: (r) => r.user_id, text: (r) => fmtText(r.user_id) },
  { id: 'app', label: 'App', value: (r) => r.app, text: (r) => fmtText(r.app) },
  { id: 'platform', label: 'Platform', value: (r) => r.platform, text: (r) => fmtText(r.platform) },
  num('duration', 'Duration', (r) => r.duration_ms, fmtMs),
  num('messages', 'Messages', (r) => r.messages, fmtInt),
  num('runs', 'Agent runs', (r) => r.agent_runs, fmtInt),
  num('tool_calls', 'Tool calls', (r) => r.tool_calls, fmtInt),
  num('errors', 'Errors', (r) => r.errors, fmtInt),
  num('cost', 'Cost', (r) => r.cost_usd, fmtUsd),
];
