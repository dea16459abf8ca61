import type { EventType, Status, TokenField } from '../core/event-schema.js';

/** The `error` object of a wire event. */
export interface WireError {
  type: string;
  code?: number | string;
  message: string;
}

/**
 * A plain, JSON-able event in Cairn's wire format (see core/event-schema.ts), as the generator
 * yields it: only the fields it sets, timestamps as epoch milliseconds, never `cost_usd` (Cairn
 * prices events from their usage).
 */
export interface WireEventLike {
  id: string;
  type: EventType;
  timestamp: number;
  duration_ms?: number;
  workspace?: string;
  app?: string;
  domain?: string;
  platform?: string;
  environment?: string;
  user_id?: string;
  session_id?: string;
  trace_id?: string;
  parent_id?: string;
  agent?: string;
  model?: string;
  provider?: string;
  tool?: string;
  client_name?: string;
  client_version?: string;
  status?: Status;
  error?: WireError;
  usage?: Record<TokenField, number>;
  counters?: Record<string, number>;
  attributes?: Record<string, unknown>;
  message?: { role: string; content: string; message_id: string; visibility: string };
  activity?: { name: string; page?: string };
  session?: { action: 'start' | 'end' };
  tool_call?: { method: 'tools/call'; request_id: number };
  agent_run?: { name: string };
  agent_step?: { name: string; index: number };
  llm_call?: { operation: 'chat'; finish_reason?: string };
  feedback?: { name: string; score: number; comment?: string; target_id?: string };
}
