import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceNode } from '../../web/src/api-types.js';
import { fmtInt, fmtMs, fmtPct, fmtText, fmtUsd } from '../../web/src/format.js';
import {
  bars,
  browserAvailable,
  openView,
  screenshot,
  tableRows,
  tiles,
  waitReady,
} from './browser.js';
import { DAY, openDemoSite, summaryCells, type DemoSite } from './demo-site.js';

/**
 * The dashboard as a user meets it: `cairn serve --demo`, every page opened in headless
 * Chromium, every number shown compared with the answer of the same /v1 query (formatted by the
 * dashboard's own format functions), and the drill-downs followed.
 */
let site: DemoSite;
let page: Page;
let range: DemoSite['range'];
const api: DemoSite['api'] = (name, params) => site.api(name, params);
const viewUrl = (path: string, extra?: Record<string, string>) => site.viewUrl(path, extra);
const currentQuery = () => site.query();

const flatten = (nodes: readonly TraceNode[]): TraceNode[] =>
  nodes.flatMap((n) => [n, ...flatten(n.children)]);

describe.skipIf(!browserAvailable())('the dashboard in headless Chromium', () => {
  beforeAll(async () => {
    site = await openDemoSite();
    ({ page, range } = site);
  }, 120_000);

  afterAll(() => site?.close());

  it('overview: every tile, bar and the active users equal the API; dark mode; workspace', async () => {
    await openView(page, viewUrl('/'));
    const [total] = (await api('summary', range)).rows;
    const shown = await tiles(page, 'totals');
    expect(shown.requests).toEqual({
      value: String(total!.requests),
      text: fmtInt(total!.requests),
    });
    expect(shown.error_rate!.text).toBe(fmtPct(total!.errors / total!.requests));
    expect(shown.tokens!.text).toBe(fmtInt(total!.input_tokens + total!.output_tokens));
    expect(shown.cost).toEqual({ value: String(total!.cost_usd), text: fmtUsd(total!.cost_usd) });
    for (const q of ['p50', 'p95', 'p99'] as const)
      expect(shown[q]!.text, q).toBe(fmtMs(total!.duration_ms[q]));
    expect(total!.requests).toBeGreaterThan(1000);

    const last = (await api('active_users', { to: range.to })).points.at(-1)!;
    const users = await tiles(page, 'active-users');
    expect([users.dau!.value, users.wau!.value, users.mau!.value]).toEqual(
      [last.dau, last.wau, last.mau].map(String),
    );

    const models = (await api('summary', { ...range, by: 'model', limit: 5 })).rows;
    expect(await bars(page, 'top-models')).toEqual(
      models.map((r) => ({ label: r.key, text: `${fmtInt(r.requests)} · ${fmtUsd(r.cost_usd)}` })),
    );
    const tools = (await api('summary', { ...range, by: 'tool', type: 'tool_call', limit: 5 }))
      .rows;
    expect(await bars(page, 'top-tools')).toEqual(
      tools.map((r) => ({
        label: r.key,
        text: `${fmtInt(r.requests)} · p95 ${fmtMs(r.duration_ms.p95)}`,
      })),
    );
    expect(await page.locator('[data-chart] canvas').count()).toBe(2);
    await screenshot(page, 'overview');

    await page.click('button.theme-toggle');
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    const bg = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    expect(bg).toBe('rgb(15, 18, 22)');
    await screenshot(page, 'overview-dark');
    await page.click('button.theme-toggle'); // dark → light
    await page.click('button.theme-toggle'); // light → auto

    // A preset range ends at the page's "now": read the range it resolved and ask the same.
    expect(await page.inputValue('select[name="range"]')).toBe('custom');
    await page.selectOption('select[name="range"]', '7d');
    await waitReady(page);
    expect(currentQuery()).toMatchObject({ range: '7d' });
    expect(currentQuery().from).toBeUndefined();
    const week = {
      from: Number(await page.getAttribute('main', 'data-from')),
      to: Number(await page.getAttribute('main', 'data-to')),
    };
    expect(week.to - week.from).toBe(7 * DAY);
    const [inWeek] = (await api('summary', week)).rows;
    expect((await tiles(page, 'totals')).requests!.value).toBe(String(inWeek!.requests));
    expect(inWeek!.requests).toBeGreaterThan(total!.requests);
    await page.selectOption('select[name="refresh"]', '60');
    expect(currentQuery().refresh).toBe('60');
    await page.goto(viewUrl('/')); // back to the fixed range, auto-refresh off
    await waitReady(page);

    const workspace = (await api('workspaces')).workspaces[0]!;
    await page.selectOption('select[name="workspace"]', workspace);
    await waitReady(page);
    expect(currentQuery().workspace).toBe(workspace);
    const [inWs] = (await api('summary', { ...range, workspace })).rows;
    expect((await tiles(page, 'totals')).requests!.value).toBe(String(inWs!.requests));
    expect(inWs!.requests).toBeLessThan(total!.requests);
  });

  it('overview → a top model drills down to the models page filtered to that model', async () => {
    await openView(page, viewUrl('/'));
    const label = await page.getAttribute('[data-bars="top-models"] li >> nth=0', 'data-label');
    await page.click('[data-bars="top-models"] li >> nth=0');
    await waitReady(page);
    expect(new URL(page.url()).pathname).toBe('/models');
    expect(currentQuery().model).toBe(label);
    const row = (await api('summary', { ...range, by: 'model' })).rows.find(
      (r) => r.key === label,
    )!;
    const shown = await tiles(page, 'model');
    expect(shown.requests!.value).toBe(String(row.requests));
    expect(shown.cost!.text).toBe(fmtUsd(row.cost_usd));
    await screenshot(page, 'model-detail');
  });

  it('overview → a point of the requests chart opens that hour’s failures', async () => {
    await openView(page, viewUrl('/'));
    const box = (await page.locator('[data-chart="trend"] .u-over').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await waitReady(page);
    expect(new URL(page.url()).pathname).toBe('/errors');
    const q = currentQuery();
    const bucket = { from: Number(q.from), to: Number(q.to) };
    expect(bucket.to - bucket.from).toBe(3_600_000);
    expect(bucket.from % 3_600_000).toBe(0);
    expect(bucket.from).toBeGreaterThan(range.from);
    const failures = (await api('recent_errors', { ...bucket, limit: 200 })).errors;
    expect((await tableRows(page, 'recent-errors')).map((r) => r.message)).toEqual(
      failures.slice(0, 20).map((e) => fmtText(e.error.message)),
    );
    expect(
      failures.every((e) => Date.parse(e.ts) >= bucket.from && Date.parse(e.ts) < bucket.to),
    ).toBe(true);
  });

  it('models: the table equals summary by=model and sorts by a clicked column', async () => {
    await openView(page, viewUrl('/models'));
    // Events without a model (tool calls, steps …) are not a model's usage: no "—" row.
    const all = (await api('summary', { ...range, by: 'model' })).rows;
    const rows = all.filter((r) => r.key !== null);
    expect(rows.length).toBeLessThan(all.length);
    expect(await tableRows(page, 'models')).toEqual(rows.slice(0, 20).map(summaryCells));
    await page.click('table[data-table="models"] th:has-text("Cost")');
    const byCost = [...rows].sort((a, b) => b.cost_usd - a.cost_usd);
    expect(await bars(page, 'models-cost')).toEqual(
      byCost.map((r) => ({ label: r.key, text: fmtUsd(r.cost_usd) })),
    );
    expect((await tableRows(page, 'models')).map((r) => r.key)).toEqual(
      byCost.slice(0, 20).map((r) => fmtText(r.key)),
    );
    await screenshot(page, 'models');
  });

  it('apps, domains and platforms: each breakdown equals summary by that dimension', async () => {
    for (const dim of ['app', 'domain', 'platform']) {
      await openView(page, viewUrl('/apps', { dim }));
      const rows = (await api('summary', { ...range, by: dim })).rows;
      expect(await tableRows(page, 'breakdown'), dim).toEqual(rows.slice(0, 20).map(summaryCells));
      await screenshot(page, `apps-${dim}`);
    }
  });

  it('agents: per-agent runs and the run list equal the API; a run opens its waterfall', async () => {
    await openView(page, viewUrl('/agents'));
    const agents = (await api('summary', { ...range, by: 'agent', type: 'agent_run' })).rows;
    const shown = await tableRows(page, 'agents');
    expect(shown.map((r) => [r.key, r.runs, r.failed, r.p95])).toEqual(
      agents.map((r) => [
        fmtText(r.key),
        fmtInt(r.requests),
        fmtInt(r.errors),
        fmtMs(r.duration_ms.p95),
      ]),
    );
    const runs = (await api('agent_runs', { ...range, limit: 200 })).runs;
    const first = (await tableRows(page, 'runs'))[0]!;
    expect([first.agent, first.status, first.steps, first.cost]).toEqual([
      fmtText(runs[0]!.agent),
      runs[0]!.status,
      fmtInt(runs[0]!.totals.steps),
      fmtUsd(runs[0]!.totals.cost_usd),
    ]);
    await screenshot(page, 'agents');

    await page.click('table[data-table="runs"] tbody tr >> nth=0');
    await waitReady(page);
    const q = currentQuery();
    expect(new URL(page.url()).pathname).toBe('/trace');
    expect([q.ws, q.id]).toEqual([runs[0]!.workspace, runs[0]!.id]);
    const at = Number(q.at);
    const trace = await api('trace', {
      workspace: q.ws!,
      id: q.id!,
      from: at - 6 * 3_600_000,
      to: at + 6 * 3_600_000,
    });
    const spans = await page.$$eval('[data-span]', (els) =>
      els.map((e) => [e.getAttribute('data-span'), Number(e.getAttribute('data-depth'))]),
    );
    const depthOf = (nodes: readonly TraceNode[], d = 0): Array<[string, number]> =>
      nodes.flatMap((n) => [[n.id, d] as [string, number], ...depthOf(n.children, d + 1)]);
    expect(spans).toEqual(depthOf(trace.roots));
    expect(flatten(trace.roots).length).toBeGreaterThan(3);
    expect(spans.some(([, d]) => (d as number) >= 2)).toBe(true); // steps nest under steps
    // A tool call's bar names its tool and an LLM call's its model, not just tools/call or chat.
    const labels = new Map(
      await page.$$eval('[data-span]', (els) =>
        els.map((e) => [e.getAttribute('data-span')!, e.querySelector('.wf-label')!.textContent!]),
      ),
    );
    const calls = flatten(trace.roots).filter(
      (n) => n.type === 'tool_call' || n.type === 'llm_call',
    );
    expect(calls.length).toBeGreaterThan(0);
    for (const n of calls)
      expect(labels.get(n.id)).toContain(n.type === 'tool_call' ? n.tool : n.model);
    const totals = await tiles(page, 'trace-totals');
    expect(totals.steps!.value).toBe(String(trace.totals.steps));
    expect(totals.cost!.text).toBe(fmtUsd(trace.totals.cost_usd));
    await screenshot(page, 'trace');
  });

  it('tools: the table equals tool_usage, pages, and a tool shows its clients and codes', async () => {
    await openView(page, viewUrl('/tools'));
    const tools = (await api('tool_usage', range)).tools;
    const cells = (t: (typeof tools)[number]) => [
      fmtText(t.tool),
      fmtInt(t.calls),
      fmtPct(t.error_rate),
      fmtMs(t.duration_ms.p50),
      fmtMs(t.duration_ms.p99),
    ];
    const pick = (r: Record<string, string>) => [r.tool, r.calls, r.error_rate, r.p50, r.p99];
    expect((await tableRows(page, 'tools')).map(pick)).toEqual(tools.slice(0, 20).map(cells));
    expect(tools.length).toBeGreaterThan(20);
    await page.click('.pager button:has-text("Next")');
    expect((await tableRows(page, 'tools')).map(pick)).toEqual(tools.slice(20, 40).map(cells));
    await screenshot(page, 'tools');

    const tool = tools.find((t) => t.error_codes.length > 0)!;
    await openView(page, viewUrl('/tools', { tool: tool.tool! }));
    const one = (await api('tool_usage', { ...range, tool: tool.tool! })).tools[0]!;
    expect(await bars(page, 'tool-clients')).toEqual(
      [...one.clients]
        .sort((a, b) => b.count - a.count)
        .map((c) => ({ label: c.client ?? '(no client)', text: fmtInt(c.count) })),
    );
    const codes = await bars(page, 'tool-codes');
    expect(codes.reduce((s, c) => s + Number(c.text.replace(/,/g, '')), 0)).toBe(
      one.error_codes.reduce((s, c) => s + c.count, 0),
    );
    await screenshot(page, 'tool-detail');
  });

  it('errors: hotspots equal the API and a hotspot drills down to its failures', async () => {
    await openView(page, viewUrl('/errors'));
    const hotspots = (await api('error_hotspots', range)).hotspots;
    expect((await tableRows(page, 'hotspots')).map((r) => [r.type, r.subject, r.count])).toEqual(
      hotspots.slice(0, 20).map((h) => [h.type, fmtText(h.subject), fmtInt(h.count)]),
    );
    await screenshot(page, 'errors');
    const h = hotspots.find((x) => x.subject_kind !== null && x.subject !== null)!;
    const index = hotspots.indexOf(h);
    await page.click(`table[data-table="hotspots"] tbody tr >> nth=${index}`);
    await waitReady(page);
    const q = currentQuery();
    expect([q.type, q[h.subject_kind!]]).toEqual([h.type, h.subject]);
    const failures = (
      await api('recent_errors', {
        ...range,
        type: h.type,
        [h.subject_kind!]: h.subject!,
        limit: 200,
      })
    ).errors;
    const shown = await tableRows(page, 'recent-errors');
    expect(shown.map((r) => r.message)).toEqual(
      failures.slice(0, 20).map((e) => fmtText(e.error.message)),
    );
    expect(failures.length).toBeGreaterThanOrEqual(Math.min(h.count, 200));
    await screenshot(page, 'errors-drilldown');
  });

  it('sessions: the list equals the API and a session shows its messages and steps in order', async () => {
    await openView(page, viewUrl('/sessions'));
    const sessions = (await api('sessions', { ...range, limit: 500 })).sessions;
    expect((await tableRows(page, 'sessions')).map((r) => [r.session, r.messages, r.cost])).toEqual(
      sessions.slice(0, 20).map((s) => [s.session_id, fmtInt(s.messages), fmtUsd(s.cost_usd)]),
    );
    await screenshot(page, 'sessions');
    const index = sessions.slice(0, 20).findIndex((s) => s.messages > 0 && s.agent_runs > 0);
    expect(index).toBeGreaterThanOrEqual(0);
    await page.click(`table[data-table="sessions"] tbody tr >> nth=${index}`);
    await waitReady(page);
    const q = currentQuery();
    expect(q.session_id).toBe(sessions[index]!.session_id);
    const at = Number(q.at);
    const timeline = await api('session', {
      session_id: q.session_id!,
      workspace: q.ws!,
      from: at - 3_600_000,
      to: at + DAY,
    });
    const shown = await page.$$eval('[data-event]', (els) =>
      els.map((e) => [e.getAttribute('data-event'), e.getAttribute('data-type')]),
    );
    expect(shown).toEqual(timeline.events.map((e) => [e.id, e.type]));
    const types = new Set(shown.map(([, t]) => t));
    expect(types.has('message') && types.has('agent_run')).toBe(true);
    // Tool and LLM calls are titled by the tool and the model, as in the trace waterfall.
    const titles = new Map(
      await page.$$eval('[data-event]', (els) =>
        els.map((e) => [e.getAttribute('data-event')!, e.querySelector('.tl-title')!.textContent!]),
      ),
    );
    const calls = timeline.events.filter((e) => e.type === 'tool_call' || e.type === 'llm_call');
    expect(calls.length).toBeGreaterThan(0);
    for (const e of calls)
      expect(titles.get(e.id)).toContain(e.type === 'tool_call' ? e.tool : e.model);
    await screenshot(page, 'session');
  });

  it('users: totals, retention cohorts and cost per user equal the API', async () => {
    await openView(page, viewUrl('/users'));
    const active = await api('active_users', range);
    const shown = await tiles(page, 'users-totals');
    expect([shown.users!.value, shown.new_users!.value]).toEqual(
      [active.totals.users, active.totals.new_users].map(String),
    );
    const retention = await api('retention', { to: range.to, period: 'week', periods: 8 });
    const cohorts = await page.$$eval('[data-heatmap] tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
    );
    expect(cohorts).toEqual(
      retention.cohorts.map((c) => [
        c.cohort,
        fmtInt(c.users),
        ...Array.from(
          { length: Math.max(...retention.cohorts.map((x) => x.rates.length)) },
          (_, k) => (c.rates[k] == null ? '' : fmtPct(c.rates[k])),
        ),
      ]),
    );
    const perUser = (await api('summary', { ...range, by: 'user', type: 'llm_call', limit: 500 }))
      .rows;
    expect((await tableRows(page, 'cost-per-user')).map((r) => [r.user, r.cost])).toEqual(
      perUser.slice(0, 20).map((r) => [fmtText(r.key), fmtUsd(r.cost_usd)]),
    );
    expect(await page.locator('[data-chart="active-users"] canvas').count()).toBe(1);
    await screenshot(page, 'users');
  });

  it('alerts: rules and their notifications equal the API', async () => {
    const post = async (path: string, body?: unknown) => {
      const res = await fetch(`${site.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body ?? {}),
      });
      expect(res.status, path).toBeLessThan(300);
      return res.json() as Promise<unknown>;
    };
    const [workspace] = (await api('workspaces', {})).workspaces;
    // A rule every model of the demo breaches: more than one request in the last day.
    await post('/v1/alerts', {
      workspace,
      name: 'busy models',
      metric: 'requests',
      type: 'llm_call',
      warning: 1,
      critical: 2,
      window: '1d',
      group_by: 'model',
    });
    await post('/v1/alerts/evaluate');
    await openView(page, viewUrl('/alerts', { workspace: workspace! }));
    const rules = (await api('alerts', { workspace: workspace! })).rules;
    expect((await tableRows(page, 'alert-rules')).map((r) => [r.name, r.metric])).toEqual(
      rules.map((r) => [r.name, `${r.metric} (${r.type})`]),
    );
    const history = (await api('alerts/history', { workspace: workspace!, limit: 200 })).history;
    expect(history.length).toBeGreaterThan(0);
    expect(history.every((h) => h.kind === 'firing' && h.severity === 'critical')).toBe(true);
    const shown = await tableRows(page, 'alert-history');
    expect(shown.map((r) => [r.rule, r.group, r.kind, r.severity])).toEqual(
      history
        .slice(0, 20)
        .map((h) => ['busy models', fmtText(h.group || null), 'firing', 'critical']),
    );
    await screenshot(page, 'alerts');
  });
});
