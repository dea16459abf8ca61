import { useView } from '../view.js';

export interface Bar {
  label: string;
  value: number;
  text: string;
  href?: string;
}

/**
 * Horizontal bars in plain HTML/CSS: a ranked list (top models, top tools) reads best as bars
 * whose labels stay legible, and each bar is a drill-down link.
 */
export function Bars(props: { id: string; bars: readonly Bar[] }) {
  const { navigate } = useView();
  const max = Math.max(0, ...props.bars.map((b) => b.value));
  if (props.bars.length === 0) return <p class="muted">Nothing in this range.</p>;
  return (
    <ul class="bars" data-bars={props.id}>
      {props.bars.map((b) => (
        <li
          key={b.label}
          class={b.href ? 'drill' : undefined}
          data-label={b.label}
          data-value={b.value}
          onClick={b.href ? () => navigate(b.href!) : undefined}
        >
          <span class="bar-label" title={b.label}>
            {b.label}
          </span>
          <span class="bar-track">
            <span class="bar-fill" style={{ width: `${max > 0 ? (b.value / max) * 100 : 0}%` }} />
          </span>
          <span class="bar-text">{b.text}</span>
        </li>
      ))}
    </ul>
  );
}
