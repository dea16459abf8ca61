import { wire } from '../support/events.js';

/** A fixed "now" for retention tests: cutoffs are computed from it, never from the clock. */
export const NOW = Date.UTC(2026, 10, 20, 12, 34, 56);
export const M = 60_000;
export const H = 60 * M;
export const D = 24 * H;

/** A wire event as the tests also read it back: the fields the independent sums need. */
export interface Sent {
  id: string;
  workspace: string;
  type: 'llm_call' | 'message';
  timestamp: number;
  user_id: string;
  model: string | null;
  input_tokens: number;
  output_tokens: number;
  content: string | null;
}

/**
 * `count` events of two workspaces spread over the `days` before NOW (about one every
 * days·24/count hours, with a jitter that puts them off bucket boundaries): LLM calls of two
 * models, and every third a chat message with content.
 */
export function workload(count: number, days = 120, prefix = 'e'): Sent[] {
  const step = Math.floor((days * D) / count);
  return Array.from({ length: count }, (_, i) => {
    const message = i % 3 === 0;
    return {
      id: `${prefix}${i}`,
      workspace: i % 2 === 0 ? 'acme' : 'globex',
      type: message ? 'message' : 'llm_call',
      timestamp: NOW - days * D + i * step + ((i * 7_919_993) % step),
      user_id: `u${i % 5}`,
      model: message ? null : i % 4 === 1 ? 'gpt-4o' : 'gpt-4o-mini',
      input_tokens: message ? 0 : 100 + i,
      output_tokens: message ? 0 : 10 + (i % 7),
      content: message ? `hello ${i}` : null,
    };
  });
}

/** The batch items Engine.ingest takes for a workload. */
export function itemsOf(events: readonly Sent[]) {
  return events.map((e) => ({
    ok: true as const,
    value:
      e.type === 'message'
        ? {
            id: e.id,
            type: 'message',
            workspace: e.workspace,
            timestamp: e.timestamp,
            user_id: e.user_id,
            message: { role: 'user', content: e.content },
          }
        : wire({
            id: e.id,
            workspace: e.workspace,
            timestamp: e.timestamp,
            user_id: e.user_id,
            model: e.model,
            duration_ms: 50 + (e.input_tokens % 37) * 11,
            usage: { input_tokens: e.input_tokens, output_tokens: e.output_tokens },
          }),
  }));
}
