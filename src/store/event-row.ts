import type { Insertable, Selectable } from 'kysely';
import type { CairnEvent, CostSource } from '../core/event.js';
import type { EventType, Status } from '../core/event-schema.js';
import type { BackendHooks } from './backend.js';
import type { EventsTable } from './schema.js';

export type EventRow = Selectable<EventsTable>;

function json(value: unknown): string | null {
  return value == null ? null : JSON.stringify(value);
}

/** Canonical event → row to insert. The event's fields are the columns, so this is nearly 1:1. */
export function toRow(e: CairnEvent, receivedAt: number): Insertable<EventsTable> {
  const { timestamp, counters, attributes, detail, ...columns } = e;
  return {
    ...columns,
    ts: timestamp,
    counters: json(counters),
    attributes: json(attributes),
    detail: json(detail),
    received_at: receivedAt,
  };
}

/** Stored row → canonical event (the inverse of toRow). */
export function fromRow(row: EventRow, hooks: BackendHooks): CairnEvent {
  const { seq: _seq, ts, received_at: _r, counters, attributes, detail, ...columns } = row;
  return {
    ...columns,
    type: columns.type as EventType,
    status: columns.status as Status,
    cost_source: columns.cost_source as CostSource | null,
    timestamp: ts,
    counters: hooks.readJson(counters) as CairnEvent['counters'],
    attributes: hooks.readJson(attributes) as CairnEvent['attributes'],
    detail: hooks.readJson(detail) as CairnEvent['detail'],
  };
}
