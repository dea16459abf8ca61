import type { EventType, Status } from './event-schema.js';

/** How an event's cost was obtained; stored with the event so costs can be recomputed. */
export type CostSource = 'reported' | 'price_table' | 'override';

/**
 * The canonical, validated event: flat, one field per stored column. Context fields are null when
 * absent; token counts are 0 when not reported. Cost is integer nano-dollars (see docs/events.md).
 */
export interface CairnEvent {
  id: string;
  type: EventType;
  workspace: string;
  timestamp: number;
  duration_ms: number | null;
  app: string | null;
  domain: string | null;
  platform: string | null;
  environment: string | null;
  user_id: string | null;
  session_id: string | null;
  trace_id: string | null;
  parent_id: string | null;
  agent: string | null;
  model: string | null;
  provider: string | null;
  tool: string | null;
  client_name: string | null;
  client_version: string | null;
  status: Status;
  error_type: string | null;
  error_code: string | null;
  error_message: string | null;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  cost_nanos: number | null;
  cost_source: CostSource | null;
  price_ref: string | null;
  /** The per-type name: activity name, step name, tool method, message role, session action… */
  name: string | null;
  /** Message content, kept apart from `detail` so retention can drop bodies alone. */
  content: string | null;
  counters: Record<string, number> | null;
  attributes: Record<string, unknown> | null;
  /** The rest of the per-type object (`message`, `feedback`, …). */
  detail: Record<string, unknown> | null;
  /**
   * Version of this event: a later delivery with the same id and a higher revision replaces the
   * stored one (its old contribution to every rollup is retracted); 0 when not versioned.
   */
  revision: number;
}

/** Nano-dollars per US dollar. Cost is summed as integers so rollups stay exact. */
export const NANOS_PER_USD = 1_000_000_000;

export function usdToNanos(usd: number): number {
  return Math.round(usd * NANOS_PER_USD);
}

export function nanosToUsd(nanos: number): number {
  return nanos / NANOS_PER_USD;
}
