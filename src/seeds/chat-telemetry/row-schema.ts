import { z } from 'zod';
import type { ErrorCode } from '../../core/errors.js';

/**
 * One `chat_telemetry` row of seed 003. The seed names the table but not its columns; these are
 * the columns its summary views read. Numbers may arrive as JSON numbers or as numeric strings,
 * because node-postgres and most PostgreSQL exports print `numeric` and `bigint` as strings.
 */
export interface ChatTelemetryRow {
  id: string;
  session_id: string | null;
  domain: string;
  model: string | null;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number | null;
  duration_ms: number | null;
  search_count: number | null;
  iteration_count: number | null;
  success: boolean;
  error_message: string | null;
  /** Epoch ms or ISO-8601 text; the range check is the ingest pipeline's. */
  created_at: number | string;
  /** Columns the seed has and Cairn has no field for: kept in the event's attributes. */
  extra: Record<string, unknown>;
}

export const KNOWN_COLUMNS = [
  'id',
  'session_id',
  'domain',
  'model',
  'input_tokens',
  'output_tokens',
  'total_tokens',
  'cost_usd',
  'duration_ms',
  'search_count',
  'iteration_count',
  'success',
  'error_message',
  'created_at',
] as const;

const NUMERIC_TEXT = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
/** A numeric string becomes a number; anything else is left for the type check to refuse. */
const numeric = (v: unknown) => (typeof v === 'string' && NUMERIC_TEXT.test(v) ? Number(v) : v);
const count = z.preprocess(numeric, z.number().int().min(0));
const amount = z.preprocess(numeric, z.number().min(0));
const text = (max: number) => z.string().min(1).max(max);
// An empty string counts as absent, as it does for every context field of a Cairn event.
const optionalText = (max: number) =>
  z.preprocess((v) => (v === '' ? null : v), text(max).nullish());
// PostgreSQL prints timestamptz as "2025-11-18 10:00:00.123+00": complete the offset to +00:00.
const pgOffset = (v: unknown) => (typeof v === 'string' ? v.replace(/([+-]\d{2})$/, '$1:00') : v);

const rowSchema = z
  .object({
    // Row ids are uuids or bigserials; either way the event id is derived from them.
    id: z.preprocess(
      (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? String(v) : v),
      text(200),
    ),
    session_id: optionalText(256),
    domain: text(256),
    model: optionalText(256),
    input_tokens: count.nullish(),
    output_tokens: count.nullish(),
    total_tokens: count.nullish(),
    cost_usd: amount.nullish(),
    duration_ms: amount.nullish(),
    search_count: count.nullish(),
    iteration_count: count.nullish(),
    success: z.boolean().nullish(),
    error_message: z.string().nullish(),
    created_at: z.preprocess(pgOffset, z.union([z.string(), z.number()])),
  })
  .superRefine((r, ctx) => {
    // The views add input and output; a total that disagrees would make the seed's numbers and
    // Cairn's differ silently, so such a row is refused rather than one of the two believed.
    const sum = (r.input_tokens ?? 0) + (r.output_tokens ?? 0);
    if (r.total_tokens != null && r.total_tokens !== sum)
      ctx.addIssue({
        code: 'custom',
        path: ['total_tokens'],
        message: `${r.total_tokens} is not input_tokens + output_tokens (${sum})`,
      });
  });

const TOKEN_COLUMNS = new Set(['input_tokens', 'output_tokens', 'total_tokens']);
const NUMBER_COLUMNS = new Set(['cost_usd', 'duration_ms', 'search_count', 'iteration_count']);

export type RowParse =
  { ok: true; row: ChatTelemetryRow } | { ok: false; code: ErrorCode; message: string };

/** Validates one row's values; the first problem names its column and gets a catalogue code. */
export function parseRow(values: Readonly<Record<string, unknown>>): RowParse {
  const parsed = rowSchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const column = String(issue.path[0] ?? 'row');
    const code = codeOf(issue, column, values[column]);
    const detail = code === 'missing_field' ? 'required' : issue.message;
    return { ok: false, code, message: `${column}: ${detail}` };
  }
  const r = parsed.data;
  const extra = Object.fromEntries(
    Object.entries(values).filter(([k]) => !(KNOWN_COLUMNS as readonly string[]).includes(k)),
  );
  const errorMessage = r.error_message ?? null;
  return {
    ok: true,
    row: {
      id: r.id,
      session_id: r.session_id ?? null,
      domain: r.domain,
      model: r.model ?? null,
      input_tokens: r.input_tokens ?? 0,
      output_tokens: r.output_tokens ?? 0,
      cost_usd: r.cost_usd ?? null,
      duration_ms: r.duration_ms ?? null,
      search_count: r.search_count ?? null,
      iteration_count: r.iteration_count ?? null,
      // A row that does not say is a failure when it carries an error message.
      success: r.success ?? errorMessage === null,
      error_message: errorMessage,
      created_at: r.created_at,
      extra,
    },
  };
}

function codeOf(issue: z.core.$ZodIssue, column: string, input: unknown): ErrorCode {
  const required = ['id', 'domain', 'created_at'].includes(column);
  if (input === undefined || (required && (input === null || input === ''))) return 'missing_field';
  const numberLike = typeof numeric(input) === 'number';
  if (numberLike && TOKEN_COLUMNS.has(column)) return 'invalid_token_count';
  if (numberLike && NUMBER_COLUMNS.has(column)) return 'invalid_number';
  if (issue.code === 'invalid_type') return 'invalid_type';
  if (issue.code === 'too_big') return 'string_too_long';
  return 'invalid_value';
}
