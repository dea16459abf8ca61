/**
 * The error catalogue. Every error Cairn reports carries one of these stable codes; the HTTP
 * status is decided here and nowhere else. docs/errors.md documents each code, and a test checks
 * that the two lists agree.
 */
export const ERROR_CODES = {
  // Whole-request errors (the body as a whole could not be read).
  malformed_body: {
    status: 400,
    summary: 'The request body is not valid JSON or NDJSON, or not a valid OTLP request.',
  },
  invalid_batch: {
    status: 400,
    summary: 'The body parsed but is not a batch: expected {"events":[...]} or an array.',
  },
  invalid_utf8: { status: 400, summary: 'The body (or an NDJSON line) is not valid UTF-8.' },
  body_too_large: {
    status: 413,
    summary: 'The body, or its gzip-decompressed size, exceeds the configured limit.',
  },
  too_many_events: {
    status: 413,
    summary: 'The batch holds more events than the configured per-batch limit.',
  },
  unsupported_media_type: {
    status: 415,
    summary: 'Content-Type or Content-Encoding is not one Cairn accepts.',
  },
  invalid_parameter: {
    status: 400,
    summary: 'A query parameter or command option is missing or invalid.',
  },
  not_found: { status: 404, summary: 'No such route or resource.' },
  unauthorized: {
    status: 401,
    summary: 'The request carries no API key, or one that is unknown, revoked or malformed.',
  },
  forbidden: {
    status: 403,
    summary: "The API key's role or workspace does not allow this request.",
  },
  unknown_format: {
    status: 404,
    summary: 'The import format names no seed adapter (observability, mcp-log, …).',
  },
  shutting_down: {
    status: 503,
    summary: 'The server is draining for shutdown; retry against another instance or later.',
  },
  internal: {
    status: 500,
    summary: 'An unexpected failure; the batch was not stored and can be retried.',
  },

  // Per-item errors (one event rejected; the rest of the batch is stored).
  malformed_json: { status: 400, summary: 'An NDJSON line is not valid JSON.' },
  invalid_event: { status: 400, summary: 'The item is not a JSON object.' },
  missing_field: {
    status: 400,
    summary: 'A required field (id, type, timestamp) is absent or null.',
  },
  invalid_type: { status: 400, summary: 'A field has the wrong JSON type.' },
  unknown_event_type: { status: 400, summary: '`type` is not one of the documented event types.' },
  invalid_value: {
    status: 400,
    summary: 'A field has the right type but a value outside its allowed set.',
  },
  invalid_token_count: {
    status: 400,
    summary: 'A token count is negative, fractional or too large.',
  },
  invalid_number: {
    status: 400,
    summary: 'A number (duration, cost, counter, score) is negative, not finite or out of range.',
  },
  invalid_timestamp: {
    status: 400,
    summary: '`timestamp` is neither ISO-8601 nor epoch milliseconds.',
  },
  timestamp_out_of_range: {
    status: 400,
    summary: '`timestamp` is too far in the future or the past.',
  },
  before_retention: {
    status: 400,
    summary:
      "`timestamp` is before the workspace's raw-event retention horizon: events that old were deleted, so a redelivery could not be recognised.",
  },
  string_too_long: { status: 400, summary: 'A string field exceeds its maximum length.' },
  event_too_large: {
    status: 400,
    summary: 'One event, serialised, exceeds the per-event size limit.',
  },
  unknown_table: {
    status: 400,
    summary: 'An import row names a table the format does not have.',
  },
  workspace_not_allowed: {
    status: 403,
    summary: "The item names a workspace other than the API key's; nothing of it was stored.",
  },
  duplicate_in_batch: {
    status: 400,
    summary:
      'The same id appears earlier in the same batch with different content; the first was kept.',
  },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error with a catalogue code; anything else that escapes is reported as `internal`. */
export class CairnError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'CairnError';
    this.code = code;
    this.details = details;
  }
}

/** The HTTP status for a code: the one place that decides it. */
export function httpStatusOf(code: ErrorCode): number {
  return ERROR_CODES[code].status;
}
