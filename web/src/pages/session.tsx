import type { TimelineEvent } from '../api-types.js';
import { Panel } from '../components/panel.js';
import { labelOf } from '../components/waterfall.js';
import { fmtMs, fmtText, fmtUsd } from '../format.js';
import { useApi } from '../use-api.js';
import { useView } from '../view.js';

/** How far around the session's start its events are looked for. */
const BEFORE_MS = 3_600_000;
const AFTER_MS = 24 * 3_600_000;

/**
 * One conversation: its messages and its agents' runs, steps and calls on one timeline, in time
 * order, each step indented under the event that caused it.
 */
export function SessionPage() {
  const { view } = useView();
  const q = view.q;
  const at = Number(q.at);
  const around = Number.isFinite(at) ? { from: at - BEFORE_MS, to: at + AFTER_MS } : {};
  const params =
    q.session_id === undefined ? null : { ...around, workspace: q.ws, session_id: q.session_id };
  const session = useApi('session', params);
  if (params === null) return <p class="muted">Open a session from the sessions page.</p>;
  return (
    <div class="grid">
      <Panel id="timeline" title={`Session ${q.session_id}`} loaded={session} wide>
        {(d) => <Timeline events={d.events} />}
      </Panel>
    </div>
  );
}

/** Nesting depth of each event: how many of its ancestors are in the same session. */
function depths(events: readonly TimelineEvent[]): Map<string, number> {
  const parent = new Map(events.map((e) => [e.id, e.parent_id]));
  const out = new Map<string, number>();
  for (const e of events) {
    let d = 0;
    for (let p = e.parent_id; p !== null && parent.has(p) && d < 50; p = parent.get(p) ?? null) d++;
    out.set(e.id, d);
  }
  return out;
}

function Timeline(props: { events: readonly TimelineEvent[] }) {
  const { events } = props;
  if (events.length === 0) return <p class="muted">No events in this session.</p>;
  const t0 = Date.parse(events[0]!.ts);
  const depth = depths(events);
  return (
    <ol class="timeline" data-timeline>
      {events.map((e) => (
        <li
          key={e.id}
          class={`tl-item status-${e.status}${e.type === 'message' ? ' message' : ''}`}
          data-event={e.id}
          data-type={e.type}
          style={{ marginLeft: `${(depth.get(e.id) ?? 0) * 16}px` }}
        >
          <span class="tl-offset">+{fmtMs(Date.parse(e.ts) - t0)}</span>
          <span class={`badge type-${e.type}`}>{e.type}</span>
          <span class="tl-title">{e.role ?? labelOf(e)}</span>
          {e.type === 'message' ? (
            <p class="tl-content">{fmtText(e.content)}</p>
          ) : (
            <span class="tl-meta">
              {fmtMs(e.duration_ms)}
              {e.cost_usd != null ? ` · ${fmtUsd(e.cost_usd)}` : ''}
              {e.error ? (
                <span class="error-text"> · {fmtText(e.error.message ?? e.error.code)}</span>
              ) : null}
            </span>
          )}
        </li>
      ))}
    </ol>
  );
}
