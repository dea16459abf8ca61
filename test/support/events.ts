/** Builders for wire events in tests: a valid event of each type, overridable field by field. */
export const NOW = Date.parse('2026-11-20T12:00:00Z');

let counter = 0;

export function wire(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter++;
  return {
    id: `evt-${counter}`,
    type: 'llm_call',
    timestamp: NOW - 60_000,
    duration_ms: 420,
    model: 'gpt-4o-mini',
    provider: 'openai',
    usage: { input_tokens: 1200, output_tokens: 300, cache_read_tokens: 200 },
    ...overrides,
  };
}

/** Wraps values as parsed batch items, the form Engine.ingest takes. */
export function items(...values: unknown[]) {
  return values.map((value) => ({ ok: true as const, value }));
}
