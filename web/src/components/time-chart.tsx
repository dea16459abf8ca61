import { useLayoutEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Line {
  label: string;
  values: ReadonlyArray<number | null>;
  color: string;
}

/** A CSS custom property's value, read when drawn so a theme switch restyles axes. */
const cssVar = (name: string) => () =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/**
 * The y axis is as wide as its longest label (plus the tick and a gap), so "150.00 s" is not cut
 * to "50.00 s" as a fixed width would; uPlot asks again whenever the labels change.
 */
function labelWidth(u: uPlot, values: string[] | null, axisIndex: number): number {
  if (!values || values.length === 0) return 40;
  const longest = values.reduce((a, b) => (b.length > a.length ? b : a));
  // At run time uPlot keeps an axis's font as [css font scaled by the pixel ratio, size].
  const font = u.axes[axisIndex]?.font as unknown;
  if (Array.isArray(font)) u.ctx.font = String(font[0]);
  return Math.ceil(u.ctx.measureText(longest).width / devicePixelRatio) + 18;
}

/** Charts redraw on this window event (sent by the theme toggle). */
export const THEME_EVENT = 'cairn-theme';

function options(
  lines: readonly Line[],
  width: number,
  format: (v: number) => string,
): uPlot.Options {
  const axis = { stroke: cssVar('--muted'), grid: { stroke: cssVar('--grid'), width: 1 } };
  return {
    width,
    height: 220,
    cursor: { points: { size: 6 } },
    legend: { live: true },
    scales: { x: { time: true } },
    // Every time on the page is UTC, whatever the viewer's zone.
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    axes: [axis, { ...axis, size: labelWidth, values: (_u, ticks) => ticks.map((t) => format(t)) }],
    series: [
      {},
      ...lines.map((l) => ({
        label: l.label,
        stroke: l.color,
        width: 1.5,
        spanGaps: false,
        value: (_u: uPlot, v: number | null) => (v == null ? '—' : format(v)),
      })),
    ],
  };
}

/**
 * A time series chart (uPlot: canvas, fast, small). `xs` are bucket starts in epoch ms;
 * clicking a point calls `onPick` with its bucket index — the drill-down into that bucket.
 */
export function TimeChart(props: {
  id: string;
  xs: readonly number[];
  lines: readonly Line[];
  format?: (v: number) => string;
  onPick?: (index: number) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const pick = useRef(props.onPick);
  pick.current = props.onPick;
  // A layout effect: the chart is drawn before the ready signal's frames, never after.
  useLayoutEffect(() => {
    const el = box.current!;
    const data = [props.xs.map((x) => x / 1000), ...props.lines.map((l) => [...l.values])];
    const u = new uPlot(
      options(props.lines, el.clientWidth || 600, props.format ?? String),
      data as uPlot.AlignedData,
      el,
    );
    const onClick = () => {
      const i = u.cursor.idx;
      if (i != null) pick.current?.(i);
    };
    u.over.addEventListener('click', onClick);
    const resize = new ResizeObserver(() => u.setSize({ width: el.clientWidth, height: 220 }));
    resize.observe(el);
    const redraw = () => u.redraw(false);
    window.addEventListener(THEME_EVENT, redraw);
    return () => {
      window.removeEventListener(THEME_EVENT, redraw);
      resize.disconnect();
      u.destroy();
    };
  }, [props.xs, props.lines]);
  return <div class={`chart${props.onPick ? ' drill' : ''}`} data-chart={props.id} ref={box} />;
}
