import type { z } from 'zod';
import { CairnError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { activeUsersParams, runActiveUsers } from './active-users.js';
import { resolveRange, summaryParams, timeseriesParams } from './params.js';
import { retentionParams, runRetention } from './retention.js';
import { summary } from './summary.js';
import { timeseries } from './timeseries.js';

/**
 * The named queries: each has a parameter schema (validated at the HTTP and CLI edges, and the
 * source of the OpenAPI document) and a runner. The HTTP API serves each at GET /v1/<name>;
 * `cairn query <name>` runs the same thing.
 */
export interface NamedQuery<S extends z.ZodType = z.ZodType> {
  summary: string;
  params: S;
  run(store: Store, params: z.output<S>, now: number): Promise<unknown>;
}

function define<S extends z.ZodType>(q: NamedQuery<S>): NamedQuery<S> {
  return q;
}

export const NAMED_QUERIES = {
  summary: define({
    summary: 'Requests, success, tokens, cost and latency by a dimension (or one total row).',
    params: summaryParams,
    run: (store, p, now) => summary(store, { ...p, ...resolveRange(p, now), by: p.by ?? null }),
  }),
  timeseries: define({
    summary:
      'Requests, errors, tokens, cost and latency per minute, hour, day or week in a time zone.',
    params: timeseriesParams,
    run: (store, p, now) => timeseries(store, { ...p, ...resolveRange(p, now), by: p.by ?? null }),
  }),
  active_users: define({
    summary: 'DAU, WAU (7 days), MAU (30 days), new and returning users per UTC day.',
    params: activeUsersParams,
    run: runActiveUsers,
  }),
  retention: define({
    summary:
      'Cohort retention: users by first active week (ISO, Monday UTC) or month, and how many return in each later period.',
    params: retentionParams,
    run: runRetention,
  }),
} as const;
export type QueryName = keyof typeof NAMED_QUERIES;

/**
 * Validates raw parameters (strings from a query string or the command line) and runs the query.
 * Every parameter problem becomes `invalid_parameter` with the parameter named.
 */
export async function runNamedQuery(
  store: Store,
  name: string,
  raw: Record<string, unknown>,
  now = Date.now(),
): Promise<unknown> {
  const q = (NAMED_QUERIES as Record<string, NamedQuery>)[name];
  if (!q)
    throw new CairnError(
      'not_found',
      `no query named "${name}"; known: ${Object.keys(NAMED_QUERIES).join(', ')}`,
    );
  const parsed = q.params.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CairnError(
      'invalid_parameter',
      `${issue.path.join('.') || 'parameters'}: ${issue.message}`,
    );
  }
  try {
    return await q.run(store, parsed.data, now);
  } catch (err) {
    if (err instanceof RangeError) throw new CairnError('invalid_parameter', err.message);
    throw err;
  }
}
