import { useEffect, useMemo, useState } from 'preact/hooks';
import { KeyPrompt } from './components/key-prompt.js';
import { Link } from './components/link.js';
import { Toolbar } from './components/toolbar.js';
import { AgentsPage } from './pages/agents.js';
import { AlertsPage } from './pages/alerts.js';
import { AppsPage } from './pages/apps.js';
import { ErrorsPage } from './pages/errors.js';
import { ModelsPage } from './pages/models.js';
import { OverviewPage } from './pages/overview.js';
import { SessionPage } from './pages/session.js';
import { SessionsPage } from './pages/sessions.js';
import { ToolsPage } from './pages/tools.js';
import { TracePage } from './pages/trace.js';
import { UsersPage } from './pages/users.js';
import { resolveRange } from './range.js';
import { resetReady } from './ready.js';
import { PAGES, parseView, viewUrl, ViewCtx, type PageId, type ViewContext } from './view.js';

const PAGE_COMPONENTS: Record<PageId, () => preact.JSX.Element> = {
  overview: OverviewPage,
  models: ModelsPage,
  apps: AppsPage,
  agents: AgentsPage,
  trace: TracePage,
  tools: ToolsPage,
  errors: ErrorsPage,
  sessions: SessionsPage,
  session: SessionPage,
  users: UsersPage,
  alerts: AlertsPage,
};

/** Pages reached by drill-down, highlighted under the list page they belong to. */
const PARENT: Partial<Record<PageId, PageId>> = { trace: 'agents', session: 'sessions' };

/** The app shell: the view lives in the URL; `now` moves at navigation and every auto-refresh. */
export function App() {
  const [view, setView] = useState(() => parseView(location));
  const [now, setNow] = useState(() => Date.now());
  const show = (url: string, push: boolean) => {
    if (push) history.pushState(null, '', url);
    resetReady();
    setView(parseView(location));
    setNow(Date.now());
  };
  useEffect(() => {
    const onPop = () => show(location.href, false);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const refresh = Number(view.q.refresh ?? 0);
  useEffect(() => {
    if (!(refresh > 0)) return;
    const timer = setInterval(() => {
      resetReady();
      setNow(Date.now());
    }, refresh * 1000);
    return () => clearInterval(timer);
  }, [refresh]);
  const ctx = useMemo<ViewContext>(
    () => ({
      view,
      range: resolveRange(view.q, now),
      workspace: view.q.workspace || undefined,
      navigate: (url) => show(url, true),
    }),
    [view, now],
  );
  const Page = PAGE_COMPONENTS[view.page];
  const active = PARENT[view.page] ?? view.page;
  return (
    <ViewCtx.Provider value={ctx}>
      <header class="top">
        <span class="brand">Cairn</span>
        <nav>
          {PAGES.map((p) => (
            <Link key={p.id} href={viewUrl(view, p.id)} class={p.id === active ? 'active' : ''}>
              {p.label}
            </Link>
          ))}
        </nav>
        <Toolbar />
      </header>
      <KeyPrompt
        onKey={() => {
          resetReady();
          setNow(Date.now());
        }}
      />
      {/* The resolved range, for a reader of the page (and the tests) to see what was asked. */}
      <main data-page={view.page} data-from={ctx.range.from} data-to={ctx.range.to}>
        <Page />
      </main>
    </ViewCtx.Provider>
  );
}
