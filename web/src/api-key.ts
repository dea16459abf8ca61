/**
 * The API key the dashboard sends, once the server requires one (docs/security.md). It is kept
 * in this browser's localStorage, never in the URL: shared links must not carry a credential.
 */
const STORAGE_KEY = 'cairn.apiKey';

/** Fired on window when the server answers 401: the key is missing or no longer valid. */
export const UNAUTHORIZED_EVENT = 'cairn:unauthorized';

export function apiKey(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled: the dashboard works while no key is required
  }
}

export function setApiKey(key: string | null): void {
  if (key === null || key.trim() === '') localStorage.removeItem(STORAGE_KEY);
  else localStorage.setItem(STORAGE_KEY, key.trim());
}

/** Request headers carrying the key, when one is set. */
export function authHeaders(): Record<string, string> {
  const key = apiKey();
  return key ? { authorization: `Bearer ${key}` } : {};
}
