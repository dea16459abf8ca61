import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Range } from './range.js';

/** The pages, in navigation order; the path of each is `/<id>` (the overview is `/`). */
export const PAGES = [
  { id: 'overview', label: 'Overview' },
  { id: 'models', label: 'Models' },
  { id: 'apps', label: 'Apps & platforms' },
  { id: 'agents', label: 'Agents' },
  { id: 'tools', label: 'Tools' },
  { id: 'errors', label: 'Errors' },
  { id: 'sessions', label: 'Sessions' },
  { id: 'users', label: 'Users' },
  { id: 'alerts', label: 'Alerts' },
] as const;
/** Detail pages reached by drill-down, not listed in the navigation. */
export type PageId = (typeof PAGES)[number]['id'] | 'trace' | 'session';

/**
 * Parameters that describe the whole view and survive moving between pages; everything else in
 * the query string is a page's filter and is dropped when leaving it.
 */
const GLOBAL_KEYS = ['range', 'from', 'to', 'workspace', 'refresh'];

/** Everything a view shows is in its URL, so a copied link opens the same view. */
export interface View {
  page: PageId;
  q: Readonly<Record<string, string>>;
}

const KNOWN: ReadonlySet<string> = new Set([...PAGES.map((p) => p.id), 'trace', 'session']);

export function parseView(location: { pathname: string; search: string }): View {
  const id = location.pathname.replace(/^\/+|\/+$/g, '') || 'overview';
  return {
    page: (KNOWN.has(id) ? id : 'overview') as PageId,
    q: Object.fromEntries(new URLSearchParams(location.search)),
  };
}

/**
 * The URL of `page` from the current view: the global parameters carried over, the page's own
 * filters replaced by `filters` (an undefined or empty value removes a parameter).
 */
export function viewUrl(
  current: View,
  page: PageId,
  filters: Record<string, string | number | undefined> = {},
  keepFilters = false,
): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(current.q))
    if (keepFilters || GLOBAL_KEYS.includes(k)) q.set(k, v);
  for (const [k, v] of Object.entries(filters))
    if (v === undefined || v === '') q.delete(k);
    else q.set(k, String(v));
  const s = q.toString();
  return `/${page === 'overview' ? '' : page}${s ? `?${s}` : ''}`;
}

/** What every page reads: the view, its resolved range, and how to move to another view. */
export interface ViewContext {
  view: View;
  range: Range;
  /** The workspace filter as a query parameter (undefined: all workspaces). */
  workspace: string | undefined;
  navigate(url: string): void;
}

export const ViewCtx = createContext<ViewContext | null>(null);

export function useView(): ViewContext {
  const v = useContext(ViewCtx);
  if (!v) throw new Error('useView outside <ViewCtx.Provider>');
  return v;
}

/** The range and workspace parameters every range query takes. */
export function rangeParams(ctx: ViewContext): { from: number; to: number; workspace?: string } {
  const p = { from: ctx.range.from, to: ctx.range.to };
  return ctx.workspace === undefined ? p : { ...p, workspace: ctx.workspace };
}
