import { useLayoutEffect, useState } from 'preact/hooks';
import { fetchQuery, type Params } from './api.js';
import type { Answers, QueryName } from './api-types.js';
import { beginLoad } from './ready.js';

export type Loaded<T> =
  { state: 'loading'; data?: T } | { state: 'ok'; data: T } | { state: 'error'; message: string };

/**
 * One panel's query: refetched whenever the name or parameters change (the range, workspace,
 * filters or refresh tick); the previous answer stays on screen while the next one loads, so
 * auto-refresh does not flicker. `params` null means "nothing to ask yet".
 * A layout effect (not useEffect) so the load is registered before the browser paints — the
 * ready signal must not fire between a render and its fetches.
 */
export function useApi<N extends QueryName>(name: N, params: Params | null): Loaded<Answers[N]> {
  const [result, setResult] = useState<Loaded<Answers[N]>>({ state: 'loading' });
  const key = params === null ? null : `${name}?${JSON.stringify(params)}`;
  useLayoutEffect(() => {
    if (params === null) return;
    const abort = new AbortController();
    const end = beginLoad();
    setResult((r) => ({ state: 'loading', ...(r.state === 'ok' ? { data: r.data } : {}) }));
    fetchQuery(name, params, abort.signal)
      .then((data) => setResult({ state: 'ok', data }))
      .catch((err: unknown) => {
        if (!abort.signal.aborted) setResult({ state: 'error', message: String(err) });
      })
      .finally(end);
    return () => {
      abort.abort();
      end();
    };
    // The key captures name and params; params is a fresh object on every render.
  }, [key]);
  return result;
}
