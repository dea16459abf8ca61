import { isObject } from './jsonrpc.js';
import type { EventRow, SessionRow } from './rows.js';
import type { WireEvent } from './tool-call-event.js';

/**
 * The seed's `sessions` and `events` rows → Cairn events, so that lifecycle and error views read
 * one table whichever way a fact arrived.
 */

/** Session statuses that end a session: they add a lifecycle row at last_activity. */
export const TERMINAL_STATUSES = ['closed', 'disconnected', 'terminated', 'ended', 'expired'];

/**
 * A session row → a `session` event "created" at start_time carrying the row's status, and an
 * end event when the status is terminal. A proxy rewrites a session row as it goes (last_activity,
 * status), so the row's last_activity is the revision: a newer row replaces the older one.
 */
export function sessionEvents(workspace: string, s: SessionRow): WireEvent[] {
  const start = s.startTime ?? s.lastActivity;
  if (start === null) return [];
  const revision = s.lastActivity ?? start;
  const attributes: Record<string, unknown> = { ...s.extra };
  if (s.status) attributes['mcp.session_status'] = s.status;
  if (s.metadata != null) attributes['mcp.session_metadata'] = s.metadata;
  const base = { type: 'session', workspace, session_id: s.sessionId, revision };
  const out: WireEvent[] = [
    {
      ...base,
      id: `mcp-session:${s.sessionId}:created`,
      timestamp: start,
      session: { action: 'created' },
      attributes,
    },
  ];
  if (s.status && TERMINAL_STATUSES.includes(s.status) && s.lastActivity !== null)
    out.push({
      ...base,
      id: `mcp-session:${s.sessionId}:end`,
      timestamp: s.lastActivity,
      session: { action: s.status },
      attributes: { 'mcp.triggered_by': 'proxy' },
    });
  return out;
}

const ERROR_LIKE = /error|exception|fail/i;

/**
 * An events row → an `error` event when its type names a failure (error, exception, failed …),
 * else a `session` event whose action is the row's event_type (connected, reconnecting …).
 */
export function seedEventEvent(workspace: string, r: EventRow): WireEvent {
  const e: WireEvent = {
    id: `mcp-event:${r.id}`,
    workspace,
    timestamp: r.ts,
    attributes: { ...r.extra, 'mcp.event_type': r.eventType, 'mcp.event_data': r.data },
  };
  if (r.sessionId) e['session_id'] = r.sessionId;
  if (!ERROR_LIKE.test(r.eventType))
    return { ...e, type: 'session', session: { action: r.eventType } };
  return { ...e, type: 'error', error: { type: r.eventType, message: messageOf(r) } };
}

function messageOf(r: EventRow): string {
  const d = r.data;
  if (typeof d === 'string' && d !== '') return d.slice(0, 16_384);
  if (isObject(d))
    for (const key of ['message', 'error', 'reason'])
      if (typeof d[key] === 'string' && d[key] !== '') return d[key].slice(0, 16_384);
  return r.eventType;
}
