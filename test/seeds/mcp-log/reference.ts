import type { InteractionRow } from './record-traffic.js';

/**
 * An independent reading of a recorded log, written the plain way (for each response, search
 * back for the latest request with the same id sent the other way in the same session), to
 * check the views against. It shares no code with src/seeds/mcp-log.
 */
export interface RefExchange {
  session: string;
  req: InteractionRow;
  res: InteractionRow;
  method: string;
  tool: string | null;
  args: Record<string, unknown> | undefined;
  ms: number;
  status: 'success' | 'error';
  errorCode: number | null;
  isError: boolean;
  text: string | null;
  clientToServer: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON-RPC messages, read loosely on purpose
type Msg = Record<string, any>;
const parse = (r: InteractionRow): Msg => JSON.parse(r.content) as Msg;
export const ms = (r: InteractionRow) => Date.parse(r.timestamp);
export const bytes = (r: InteractionRow) => Buffer.byteLength(r.content);

export function exchanges(rows: readonly InteractionRow[]): RefExchange[] {
  const out: RefExchange[] = [];
  rows.forEach((res, i) => {
    if (res.message_type !== 'response') return;
    const id = parse(res)['id'];
    const req = rows
      .slice(0, i)
      .reverse()
      .find(
        (r) =>
          r.session_id === res.session_id &&
          r.message_type === 'request' &&
          r.direction !== res.direction &&
          parse(r)['id'] === id,
      );
    if (!req) return;
    const q = parse(req);
    const a = parse(res);
    const isError = a['result']?.['isError'] === true;
    const text = a['error']?.['message'] ?? a['result']?.['content']?.[0]?.['text'] ?? null;
    out.push({
      session: res.session_id,
      req,
      res,
      method: q['method'],
      tool: q['method'] === 'tools/call' ? q['params']['name'] : null,
      args: q['method'] === 'tools/call' ? q['params']['arguments'] : undefined,
      ms: ms(res) - ms(req),
      status: a['error'] || isError ? 'error' : 'success',
      errorCode: a['error']?.['code'] ?? null,
      isError,
      text,
      clientToServer: req.direction === 'inbound',
    });
  });
  return out;
}

/** percentile_cont: linear interpolation between the two nearest ranks. */
export function percentile(values: number[], p: number): number {
  const v = [...values].sort((a, b) => a - b);
  const pos = (v.length - 1) * p;
  const lo = Math.floor(pos);
  return v[lo]! + (pos - lo) * ((v[Math.min(lo + 1, v.length - 1)] ?? v[lo]!) - v[lo]!);
}

export const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

export function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const t of items) m.set(key(t), [...(m.get(key(t)) ?? []), t]);
  return m;
}

/** The seed's categories for the codes real traffic produced. */
export const CATEGORY: Record<number, string> = {
  [-32700]: 'parse_error',
  [-32600]: 'invalid_request',
  [-32601]: 'method_not_found',
  [-32602]: 'invalid_params',
  [-32603]: 'internal_error',
  [-32022]: 'unsupported_protocol_version',
};

export const iso = (t: number) => new Date(t).toISOString();
