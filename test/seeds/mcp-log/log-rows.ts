/** Hand-written interaction rows for the pairing and spec cases. */
export const T = Date.parse('2026-11-21T10:00:00.000Z');
export const NOW = T + 60_000;

let seq = 0;
/** An interaction row as the proxy logs it (message_type and method left for the adapter). */
export function row(
  session: string,
  at: number,
  direction: 'inbound' | 'outbound',
  content: unknown,
) {
  return {
    table: 'interactions',
    id: `i${++seq}`,
    session_id: session,
    timestamp: new Date(at).toISOString(),
    direction,
    content: JSON.stringify(content),
  };
}
export const call = (id: unknown, name: string, args: object = {}) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: args },
});
export const answer = (id: unknown, body: object) => ({ jsonrpc: '2.0', id, ...body });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped SQL rows; the assertions check each field
export type Row = Record<string, any>;
