import { sql, type Kysely, type RawBuilder } from 'kysely';
import { z } from 'zod';
import type { NamedQuery } from '../../query/named-queries.js';
import { parseQueryTime } from '../../query/params.js';

/**
 * The seed's storage-class reads (`SELECT * FROM analytics_…_view WHERE …`) as named queries:
 * GET /v1/observability/<name> and `cairn query observability/<name>`. Each reads one view with
 * equality filters on the columns the seed's storage classes look rows up by, an optional time
 * range, and a row limit.
 */
interface ViewQuery {
  summary: string;
  view: string;
  /** Query parameter → view column, compared with `=`. */
  filters: Readonly<Record<string, string>>;
  /** The column `from` / `to` bound ([from, to), epoch ms). */
  timeColumn: string;
  order: string;
}

const VIEW_QUERIES: Readonly<Record<string, ViewQuery>> = {
  messages: {
    summary: 'Rows of analytics_messages_view (seed 000), by session, user or message id.',
    view: 'analytics_messages_view',
    filters: { session_id: 'session_id', user_id: 'user_id', message_id: 'message_id' },
    timeColumn: 'created_at',
    order: 'created_at, message_id',
  },
  agent_steps: {
    summary: 'Rows of analytics_agent_steps_view (seed 000), nested workers included.',
    view: 'analytics_agent_steps_view',
    filters: { event_id: 'event_id', agent_name: 'agent_name', status: 'status' },
    timeColumn: 'started_at',
    order: 'started_at, step_id',
  },
  conversations: {
    summary: 'Rows of analytics_conversations_view (seed 000): one per unarchived conversation.',
    view: 'analytics_conversations_view',
    filters: { user_id: 'user_id', platform: 'platform', conversation_id: 'conversation_id' },
    timeColumn: 'last_message_at',
    order: 'last_message_at desc, conversation_id',
  },
  user_daily: {
    summary:
      'Rows of analytics_user_daily_view (seed 000): tokens, messages and cost per user-day.',
    view: 'analytics_user_daily_view',
    filters: { user_id: 'aggregate_key' },
    timeColumn: 'period_start',
    order: 'period_start, aggregate_key',
  },
  platform_daily: {
    summary: 'Rows of analytics_platform_daily_view (seed 000): usage per platform and UTC day.',
    view: 'analytics_platform_daily_view',
    filters: { platform: 'aggregate_key' },
    timeColumn: 'period_start',
    order: 'period_start, aggregate_key',
  },
};

const text = z.string().min(1).max(512);
const time = z.string().transform((s, ctx) => {
  const t = parseQueryTime(s);
  if (typeof t === 'number') return t;
  ctx.addIssue({ code: 'custom', message: t });
  return z.NEVER;
});

function paramsOf(q: ViewQuery) {
  return z.strictObject({
    workspace: text.optional().describe('Only this workspace (default: all)'),
    from: time.optional().describe(`Earliest ${q.timeColumn}, inclusive`),
    to: time.optional().describe(`Latest ${q.timeColumn}, exclusive`),
    limit: z.coerce.number().int().min(1).max(10_000).default(1_000).describe('At most N rows'),
    ...Object.fromEntries(
      Object.entries(q.filters).map(([p, c]) => [
        p,
        text.optional().describe(`Only rows whose ${c} is this`),
      ]),
    ),
  });
}

type Params = Record<string, string | number | undefined>;

function defineViewQuery(q: ViewQuery): NamedQuery {
  return {
    summary: q.summary,
    params: paramsOf(q),
    run: async (store, params: Params) => {
      const where: RawBuilder<unknown>[] = [sql`1 = 1`];
      const equal = (column: string, value: unknown) =>
        value !== undefined && where.push(sql`${sql.ref(column)} = ${value}`);
      equal('workspace', params['workspace']);
      for (const [p, column] of Object.entries(q.filters)) equal(column, params[p]);
      if (params['from'] !== undefined)
        where.push(sql`${sql.ref(q.timeColumn)} >= ${params['from']}`);
      if (params['to'] !== undefined) where.push(sql`${sql.ref(q.timeColumn)} < ${params['to']}`);
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(q.view)}
        where ${sql.join(where, sql` and `)} order by ${sql.raw(q.order)} limit ${params['limit']}`.execute(
        store.reader as Kysely<unknown>,
      );
      return { view: q.view, rows: rows.rows };
    },
  };
}

/** The observability adapter's named queries. */
export const OBSERVABILITY_QUERIES: Readonly<Record<string, NamedQuery>> = Object.fromEntries(
  Object.entries(VIEW_QUERIES).map(([name, q]) => [name, defineViewQuery(q)]),
);
