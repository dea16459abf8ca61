import type { EventType } from '../core/event-schema.js';
import type { ClientSpec } from './catalog.js';
import type { Prng } from './prng.js';
import type { User, World } from './w-agent-world.js';
import type { WireEventLike } from './wire-event-like.js';

/** The state of one session while its events are generated; dropped once the session is done. */
export interface SessionScope {
  prng: Prng;
  world: World;
  user: User;
  sessionId: string;
  /** The MCP host the user's agents call tools through (clientInfo of `initialize`). */
  client: ClientSpec;
  /** JSON-RPC ids are numbered per connection, from 1. */
  nextRequestId: number;
  /** The session's events in generation order; delivery order is decided later. */
  out: WireEventLike[];
}

/**
 * A new event carrying the session's context columns (principle 4: context on every row). Spans
 * that parent others draw their `id` before their children and pass it in.
 */
export function envelope(
  s: SessionScope,
  type: EventType,
  timestamp: number,
  id: string = s.prng.uuid(),
): WireEventLike {
  const u = s.user;
  const event: WireEventLike = {
    id,
    type,
    timestamp,
    workspace: u.workspace.name,
    app: u.workspace.app,
    domain: u.workspace.domain,
    platform: u.platform,
    environment: u.environment,
    user_id: u.id,
    session_id: s.sessionId,
  };
  s.out.push(event);
  return event;
}
