import type { ComponentChildren } from 'preact';
import type { Loaded } from '../use-api.js';

/**
 * A titled card that shows its content once its query answered, a placeholder before, and the
 * server's message on failure — one panel failing never blanks the others.
 */
export function Panel<T>(props: {
  title: string;
  id: string;
  loaded: Loaded<T>;
  wide?: boolean;
  children: (data: T) => ComponentChildren;
}) {
  const { loaded } = props;
  const data = loaded.state === 'error' ? undefined : loaded.data;
  return (
    <section
      class={`panel${props.wide ? ' wide' : ''}`}
      data-panel={props.id}
      data-state={loaded.state}
    >
      <h2>{props.title}</h2>
      {loaded.state === 'error' ? (
        <p class="error-text">{loaded.message}</p>
      ) : data === undefined ? (
        <p class="muted">Loading…</p>
      ) : (
        props.children(data)
      )}
    </section>
  );
}

/** A headline number; `data-value` keeps the exact figure for tests and tooltips. */
export function Tile(props: { id: string; label: string; value: number | null; text: string }) {
  return (
    <div class="tile" data-tile={props.id} data-value={props.value ?? ''}>
      <div class="tile-label">{props.label}</div>
      <div class="tile-value">{props.text}</div>
    </div>
  );
}
