import { authHeaders, UNAUTHORIZED_EVENT } from './api-key.js';
import type { Answers, QueryName } from './api-types.js';

/** Query-string parameters; undefined ones are left out, so optional filters stay optional. */
export type Params = Record<string, string | number | undefined>;

/** An answer the server refused, with the error catalogue's code (docs/errors.md). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The URL of GET /v1/<name> for these parameters (also what the drill-down links reuse). */
export function queryUrl(name: QueryName, params: Params = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return `/v1/${name}${s ? `?${s}` : ''}`;
}

/** Fetches one named query; a refused request throws ApiError with the server's message. */
export async function fetchQuery<N extends QueryName>(
  name: N,
  params: Params,
  signal?: AbortSignal,
): Promise<Answers[N]> {
  const res = await fetch(queryUrl(name, params), {
    headers: authHeaders(),
    ...(signal ? { signal } : {}),
  });
  if (res.status === 401) window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
  const body = (await res.json()) as Answers[N] | { error: { code: string; message: string } };
  if (!res.ok) {
    const e = (body as { error?: { code: string; message: string } }).error;
    throw new ApiError(e?.code ?? String(res.status), e?.message ?? res.statusText);
  }
  return body as Answers[N];
}
