import { useState } from 'preact/hooks';
import { useApi } from '../use-api.js';
import { DEFAULT_PRESET, PRESETS, isPreset } from '../range.js';
import { applyTheme, nextTheme, storedTheme } from '../theme.js';
import { useView, viewUrl } from '../view.js';

const REFRESH = [
  ['0', 'off'],
  ['30', '30 s'],
  ['60', '1 min'],
  ['300', '5 min'],
] as const;

/** Epoch ms ⇄ the value of a datetime-local input, in UTC (every time on the page is UTC). */
const toInput = (ms: number) => new Date(ms).toISOString().slice(0, 16);
const fromInput = (s: string) => Date.parse(`${s}:00Z`);

/** Range, custom range, workspace, auto-refresh and theme: every choice is written to the URL. */
export function Toolbar() {
  const ctx = useView();
  const { view, range, navigate } = ctx;
  const here = (filters: Record<string, string | number | undefined>) =>
    navigate(viewUrl(view, view.page, filters, true));
  const custom = view.q.from !== undefined && view.q.to !== undefined;
  const preset = custom ? 'custom' : isPreset(view.q.range) ? view.q.range : DEFAULT_PRESET;
  const workspaces = useApi('workspaces', {});
  // A cleared input (NaN) or an end on the wrong side of the other is ignored, not written to
  // the URL: the range shown must always be the range asked.
  const setEnd = (end: 'from' | 'to', ms: number) => {
    const from = end === 'from' ? ms : range.from;
    const to = end === 'to' ? ms : range.to;
    if (Number.isFinite(ms) && from < to) here({ [end]: ms });
  };
  const [theme, setTheme] = useState(storedTheme);
  return (
    <div class="toolbar">
      <label>
        Range{' '}
        <select
          name="range"
          value={preset}
          onChange={(e) => {
            const v = e.currentTarget.value;
            if (v === 'custom') here({ range: undefined, from: range.from, to: range.to });
            else here({ range: v, from: undefined, to: undefined });
          }}
        >
          {Object.keys(PRESETS).map((p) => (
            <option key={p} value={p}>
              last {p}
            </option>
          ))}
          <option value="custom">custom</option>
        </select>
      </label>
      {custom && (
        <span class="custom-range">
          <input
            type="datetime-local"
            name="from"
            value={toInput(range.from)}
            onChange={(e) => setEnd('from', fromInput(e.currentTarget.value))}
          />
          –
          <input
            type="datetime-local"
            name="to"
            value={toInput(range.to)}
            onChange={(e) => setEnd('to', fromInput(e.currentTarget.value))}
          />
          UTC
        </span>
      )}
      <label>
        Workspace{' '}
        <select
          name="workspace"
          value={ctx.workspace ?? ''}
          onChange={(e) => here({ workspace: e.currentTarget.value })}
        >
          <option value="">all</option>
          {(workspaces.state === 'ok' ? workspaces.data.workspaces : []).map((w) => (
            <option key={w} value={w}>
              {w}
            </option>
          ))}
        </select>
      </label>
      <label>
        Refresh{' '}
        <select
          name="refresh"
          value={view.q.refresh ?? '0'}
          onChange={(e) =>
            here({ refresh: e.currentTarget.value === '0' ? undefined : e.currentTarget.value })
          }
        >
          {REFRESH.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </label>
      <button
        class="theme-toggle"
        title="Colour scheme: follows the system (auto), or forced dark or light"
        onClick={() => {
          const t = nextTheme(theme);
          applyTheme(t);
          setTheme(t);
        }}
      >
        Theme: {theme}
      </button>
    </div>
  );
}
