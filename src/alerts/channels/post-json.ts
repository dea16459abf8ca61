/** How long a channel's HTTP endpoint may take before the delivery counts as failed. */
export const HTTP_TIMEOUT_MS = 10_000;

/** POSTs a JSON body; anything but a 2xx answer (or no answer in time) throws. */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'cairn-alerts', ...headers },
    body,
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    redirect: 'error',
  });
  // Read the body so the connection can be reused, and keep a little of it for the history.
  const text = await res.text();
  if (!res.ok) throw new Error(`HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
}
