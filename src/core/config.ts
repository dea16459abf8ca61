import { z } from 'zod';

/**
 * Configuration, validated once at the entry point and frozen; modules receive it as an
 * argument and never read process.env themselves.
 */
export const configSchema = z.object({
  /** SQLite file path, `:memory:`, `postgres://…` or `pglite:memory` / `pglite:DIR`. */
  db: z.string().min(1).default('./cairn.db'),
  server: z
    .object({
      host: z.string().min(1).default('127.0.0.1'),
      port: z.number().int().min(0).max(65_535).default(4680),
      /** Largest request body, compressed or not, in bytes. */
      maxBodyBytes: z
        .number()
        .int()
        .positive()
        .default(16 * 1024 * 1024),
      /** Port of the OTLP/gRPC trace listener (0 picks a free one); null: not served. */
      otlpGrpcPort: z.number().int().min(0).max(65535).nullable().default(null),
    })
    .prefault({}),
  ingest: z
    .object({
      defaultWorkspace: z.string().min(1).default('default'),
      maxBatchEvents: z.number().int().positive().default(10_000),
      maxEventBytes: z
        .number()
        .int()
        .positive()
        .default(1024 * 1024),
      /** Clock skew tolerated for events stamped in the future. */
      maxFutureMs: z
        .number()
        .int()
        .nonnegative()
        .default(24 * 3_600_000),
      /** Oldest accepted event, in days before now. */
      maxPastDays: z.number().int().positive().default(3650),
    })
    .prefault({}),
  sqlite: z.object({ synchronous: z.enum(['NORMAL', 'FULL']).default('NORMAL') }).prefault({}),
  alerts: z
    .object({
      /**
       * Whether `cairn serve` evaluates alert rules. Several servers on one database would each
       * evaluate and notify: let one of them do it.
       */
      enabled: z.boolean().default(true),
      /** How often `cairn serve` evaluates alert rules. */
      intervalMs: z.number().int().positive().default(60_000),
    })
    .prefault({}),
  retention: z
    .object({
      /** Whether `cairn serve` applies retention policies itself (docs/retention.md). */
      enabled: z.boolean().default(true),
      /** Time between runs. */
      intervalMs: z.number().int().positive().default(3_600_000),
      /** Time from start to the first run, so a restarted server answers before it deletes. */
      firstRunMs: z.number().int().nonnegative().default(600_000),
    })
    .prefault({}),
  seeds: z
    .object({
      mcpLog: z
        .object({
          /** An MCP request unanswered this long becomes a timeout (docs/seeds/mcp-log.md). */
          timeoutMs: z.number().int().positive().default(300_000),
        })
        .prefault({}),
    })
    .prefault({}),
});

export type Config = Readonly<z.infer<typeof configSchema>>;
export type ConfigInput = z.input<typeof configSchema>;

/** Validates and deep-freezes configuration. Throws with every problem named. */
export function loadConfig(input: ConfigInput = {}): Config {
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  return deepFreeze(parsed.data);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
