import { z } from 'zod';

/**
 * The wire format of one event: the public contract of `POST /v1/events`, `cairn ingest` and the
 * generated docs/events.schema.json. Names here are never renamed, only added to (issue 2).
 */

export const EVENT_TYPES = [
  'llm_call',
  'agent_run',
  'agent_step',
  'tool_call',
  'message',
  'activity',
  'error',
  'session',
  'feedback',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const STATUSES = ['ok', 'error', 'timeout', 'cancelled'] as const;
export type Status = (typeof STATUSES)[number];

/** Context columns: first-class on every stored row, never parsed out of JSON at query time. */
export const CONTEXT_FIELDS = [
  'workspace',
  'app',
  'domain',
  'platform',
  'environment',
  'user_id',
  'session_id',
  'trace_id',
  'parent_id',
  'agent',
  'model',
  'provider',
  'tool',
  'client_name',
  'client_version',
] as const;
export type ContextField = (typeof CONTEXT_FIELDS)[number];

export const TOKEN_FIELDS = [
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
] as const;
export type TokenField = (typeof TOKEN_FIELDS)[number];

/** Size limits that are part of the contract (the batch and body limits are configuration). */
export const LIMITS = {
  idLength: 256,
  /**
   * Context strings are rollup keys: up to seven share one PostgreSQL index row, which may not
   * pass 2,704 bytes, so each is limited in UTF-8 bytes as well as in characters.
   */
  contextLength: 256,
  contextBytes: 360,
  errorMessageLength: 16_384,
  contentLength: 1_048_576,
  counterNameLength: 128,
  /** Bounds that keep every rollup sum inside a signed 64-bit integer on every backend. */
  maxTokens: 10_000_000_000,
  maxCostUsd: 1_000_000,
  maxDurationMs: 366 * 86_400_000,
} as const;

/** What each context field means; emitted into the generated JSON Schema. */
const CONTEXT_DOCS: Readonly<Record<ContextField, string>> = {
  workspace: 'Tenant the event belongs to; events without one go to the default workspace.',
  app: 'The application or bot that produced the event.',
  domain: 'Site or business domain the bot serves, e.g. example.com (seed 003 groups by it).',
  platform: 'Channel the user is on: web, slack, telegram, api …',
  environment: 'Deployment environment: production, staging …',
  user_id: 'End user the event is for.',
  session_id: 'Session or conversation the event belongs to.',
  trace_id: 'Trace that groups an agent run with its steps and calls.',
  parent_id: 'Id of the parent event (a run for a step, a step for an LLM or tool call).',
  agent: 'Agent name.',
  model: 'Model id as the provider names it, e.g. gpt-4o-mini or claude-sonnet-4-5.',
  provider: 'Model provider, e.g. openai, anthropic, google.',
  tool: 'Tool name (for MCP, the tool called by tools/call).',
  client_name: 'Calling client, e.g. an MCP client such as claude-desktop.',
  client_version: 'Version of the calling client.',
};

const TOKEN_DOCS: Readonly<Record<TokenField, string>> = {
  input_tokens: 'Every input token, cached ones included (OpenTelemetry / OpenAI convention).',
  output_tokens: 'Every output token, reasoning ones included.',
  cache_read_tokens: 'Input tokens read from the prompt cache (also counted in input_tokens).',
  cache_write_tokens: 'Input tokens written to the prompt cache (also counted in input_tokens).',
  reasoning_tokens: 'Output tokens spent on reasoning (also counted in output_tokens).',
};

const contextString = z
  .string()
  .max(LIMITS.contextLength)
  .refine(
    (s) => s.length * 3 <= LIMITS.contextBytes || Buffer.byteLength(s) <= LIMITS.contextBytes,
    {
      message: `must be at most ${LIMITS.contextBytes} bytes in UTF-8`,
      abort: true,
    },
  );
const tokenCount = z.number().int().min(0).max(LIMITS.maxTokens);
const duration = z.number().min(0).max(LIMITS.maxDurationMs);
const cost = z.number().min(0).max(LIMITS.maxCostUsd);

const usageSchema = z.looseObject(
  Object.fromEntries(
    TOKEN_FIELDS.map((f) => [f, tokenCount.nullish().describe(TOKEN_DOCS[f])]),
  ) as Record<TokenField, z.ZodOptional<z.ZodNullable<typeof tokenCount>>>,
);

const errorSchema = z.looseObject({
  type: contextString.nullish(),
  code: z.union([contextString, z.number()]).nullish(),
  message: z.string().max(LIMITS.errorMessageLength).nullish(),
});

/** Per-type objects. Each is open: fields beyond these are kept with the event. */
const DETAIL_SCHEMAS = {
  message: z.looseObject({
    role: contextString.nullish(),
    content: z.unknown().optional(),
    message_id: contextString.nullish(),
    visibility: contextString.nullish(),
    archived: z.boolean().nullish(),
    pinned: z.boolean().nullish(),
  }),
  feedback: z.looseObject({
    name: contextString.nullish(),
    score: z.number().nullish(),
    comment: z.string().max(LIMITS.errorMessageLength).nullish(),
    target_id: z.string().max(LIMITS.idLength).nullish(),
  }),
  activity: z.looseObject({ name: contextString.nullish(), page: contextString.nullish() }),
  session: z.looseObject({ action: contextString.nullish() }),
  tool_call: z.looseObject({
    method: contextString.nullish(),
    request_id: z.union([contextString, z.number()]).nullish(),
  }),
  agent_run: z.looseObject({ name: contextString.nullish() }),
  agent_step: z.looseObject({ name: contextString.nullish(), index: z.number().int().nullish() }),
  llm_call: z.looseObject({
    operation: contextString.nullish(),
    finish_reason: contextString.nullish(),
  }),
} as const;
export type DetailKey = keyof typeof DETAIL_SCHEMAS;
export const DETAIL_KEYS = Object.keys(DETAIL_SCHEMAS) as DetailKey[];

const DETAIL_DOCS: Readonly<Record<DetailKey, string>> = {
  message:
    'For type message: role, content (string or structured parts), message_id, visibility, archived, pinned.',
  feedback: 'For type feedback: name, score, comment, and target_id (the event being rated).',
  activity: 'For type activity: name (page_view, login, feature_use …) and page.',
  session: 'For type session: action (start, end …).',
  tool_call: 'For type tool_call: method (e.g. tools/call), request_id, arguments, result.',
  agent_run: 'For type agent_run: name of the run.',
  agent_step: 'For type agent_step: name and index of the step.',
  llm_call: 'For type llm_call: operation (chat, embeddings …) and finish_reason.',
};

/** Which per-type field becomes the event's promoted `name` column. */
export const NAME_FIELD: Readonly<Record<DetailKey, string>> = {
  message: 'role',
  feedback: 'name',
  activity: 'name',
  session: 'action',
  tool_call: 'method',
  agent_run: 'name',
  agent_step: 'name',
  llm_call: 'operation',
};

const contextShape = Object.fromEntries(
  CONTEXT_FIELDS.map((f) => [f, contextString.nullish().describe(CONTEXT_DOCS[f])]),
) as Record<ContextField, z.ZodOptional<z.ZodNullable<typeof contextString>>>;

const detailShape = Object.fromEntries(
  DETAIL_KEYS.map((k) => [k, DETAIL_SCHEMAS[k].nullish().describe(DETAIL_DOCS[k])]),
) as { [K in DetailKey]: z.ZodOptional<z.ZodNullable<(typeof DETAIL_SCHEMAS)[K]>> };

export const wireEventSchema = z
  .looseObject({
    id: z
      .string()
      .min(1)
      .max(LIMITS.idLength)
      .describe('Idempotency key: an event with the same workspace and id is stored once.'),
    type: z.enum(EVENT_TYPES).describe('What the event records.'),
    timestamp: z
      .union([z.string().max(64), z.number()])
      .describe('Start time: ISO-8601 with a time zone, or epoch milliseconds.'),
    duration_ms: duration.nullish().describe('Duration in milliseconds (at most a year).'),
    revision: z
      .number()
      .int()
      .min(0)
      .max(Number.MAX_SAFE_INTEGER)
      .nullish()
      .describe(
        'Version of the event. Resending an id with a higher revision replaces the stored event (a message archived, a run finished, a pending tool call answered); the same or a lower revision is a duplicate.',
      ),
    ...contextShape,
    status: z
      .enum(STATUSES)
      .nullish()
      .describe('Outcome; defaults to "error" when `error` is present, else "ok".'),
    error: errorSchema.nullish().describe('What went wrong: error type, code and message.'),
    usage: usageSchema.nullish().describe('Token usage; absent counts are 0.'),
    cost_usd: cost
      .nullish()
      .describe('Cost reported by the caller; when absent, Cairn prices the usage.'),
    counters: z
      .record(z.string().max(LIMITS.counterNameLength), z.number())
      .nullish()
      .describe('Numeric counters such as searches, iterations or tool_calls.'),
    attributes: z
      .record(z.string(), z.unknown())
      .nullish()
      .describe('Free attributes; unknown top-level fields are added here.'),
    ...detailShape,
  })
  .meta({
    title: 'Cairn event',
    description:
      'One telemetry event. `id` is the idempotency key (deduplicated per workspace); `timestamp` is the start time as ISO-8601 or epoch milliseconds. Unknown top-level fields are kept in `attributes`.',
  });

export type WireEvent = z.infer<typeof wireEventSchema>;

/** The set of top-level names the schema knows; anything else is moved into `attributes`. */
export const KNOWN_FIELDS: ReadonlySet<string> = new Set(Object.keys(wireEventSchema.shape));
