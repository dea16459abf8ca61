import { useEffect, useState } from 'preact/hooks';
import { setApiKey, UNAUTHORIZED_EVENT } from '../api-key.js';

/**
 * Asks for an API key when the server refuses the dashboard's requests (401): this Cairn has
 * keys in force. A read key of the workspace to look at is enough; it is remembered in this
 * browser, and `onKey` reloads the view with it.
 */
export function KeyPrompt({ onKey }: { onKey: () => void }) {
  const [shown, setShown] = useState(false);
  const [value, setValue] = useState('');
  useEffect(() => {
    const show = () => setShown(true);
    window.addEventListener(UNAUTHORIZED_EVENT, show);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, show);
  }, []);
  if (!shown) return null;
  const submit = (e: Event) => {
    e.preventDefault();
    setApiKey(value);
    setShown(false);
    onKey();
  };
  return (
    <form class="key-prompt" data-key-prompt onSubmit={submit}>
      <label>
        This Cairn requires an API key (<code>cairn keys create --role read</code>):{' '}
        <input
          type="password"
          name="api-key"
          autoComplete="off"
          placeholder="cairn_…"
          value={value}
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
        />
      </label>{' '}
      <button type="submit">Use key</button>
    </form>
  );
}
