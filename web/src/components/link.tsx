import type { ComponentChildren } from 'preact';
import { useView } from '../view.js';

/**
 * An in-app link: a real <a href> (so it can be opened in a new tab or copied) whose plain
 * click moves the single-page app instead of reloading.
 */
export function Link(props: { href: string; class?: string; children: ComponentChildren }) {
  const { navigate } = useView();
  return (
    <a
      href={props.href}
      class={props.class}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(props.href);
      }}
    >
      {props.children}
    </a>
  );
}
