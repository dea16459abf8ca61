import type { ChatTelemetryRow } from './row-schema.js';

/**
 * The event id of a row: derived from the row id alone, so importing the same rows again finds
 * them stored and counts them as duplicates (DESIGN.md principle 3: immutable ids only).
 */
export function eventIdOf(rowId: string): string {
  return `chat_telemetry:${rowId}`;
}

/**
 * One chat_telemetry row as a wire `llm_call` event. Cost is passed on only when the row has one;
 * otherwise the ingest pipeline prices the call from the model's price table.
 */
export function rowToEvent(row: ChatTelemetryRow, workspace: string): Record<string, unknown> {
  const counters: Record<string, number> = {};
  if (row.search_count !== null) counters.searches = row.search_count;
  if (row.iteration_count !== null) counters.iterations = row.iteration_count;
  const attributes: Record<string, unknown> = { ...row.extra, chat_telemetry_id: row.id };
  // A successful row with a message keeps the message, but not as an error.
  if (row.success && row.error_message !== null) attributes.error_message = row.error_message;
  return {
    id: eventIdOf(row.id),
    type: 'llm_call',
    timestamp: row.created_at,
    workspace,
    domain: row.domain,
    status: row.success ? 'ok' : 'error',
    usage: { input_tokens: row.input_tokens, output_tokens: row.output_tokens },
    counters,
    attributes,
    ...(row.session_id !== null && { session_id: row.session_id }),
    ...(row.model !== null && { model: row.model }),
    ...(row.cost_usd !== null && { cost_usd: row.cost_usd }),
    ...(row.duration_ms !== null && { duration_ms: row.duration_ms }),
    ...(!row.success && row.error_message !== null && { error: { message: row.error_message } }),
  };
}

/** Wire fields the pipeline may name in a rejection, and the seed column each came from. */
const COLUMN_OF_FIELD: ReadonlyArray<[string, string]> = [
  ['timestamp', 'created_at'],
  ['usage.input_tokens', 'input_tokens'],
  ['usage.output_tokens', 'output_tokens'],
  ['counters.searches', 'search_count'],
  ['counters.iterations', 'iteration_count'],
  ['error.message', 'error_message'],
];

/** Rewrites a pipeline message so that it names the seed's column rather than the wire field. */
export function inSeedTerms(message: string): string {
  for (const [field, column] of COLUMN_OF_FIELD)
    if (message.startsWith(`${field}:`)) return column + message.slice(field.length);
  return message;
}
