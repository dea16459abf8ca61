import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  CreateMessageRequestSchema,
  ListPromptsResultSchema,
  type JSONRPCMessage,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

/**
 * Real MCP traffic: an McpServer and a Client from @modelcontextprotocol/sdk over the SDK's
 * in-memory transport, with every message in both directions logged as a proxy would log it —
 * one `interactions` row per message, stamped when it was sent.
 */
export interface InteractionRow {
  table: 'interactions';
  id: number;
  session_id: string;
  timestamp: string;
  direction: 'inbound' | 'outbound';
  message_type: 'request' | 'response' | 'notification';
  method: string | null;
  request_id: string | null;
  content: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function typeOf(m: Record<string, unknown>): InteractionRow['message_type'] {
  if ('method' in m) return 'id' in m ? 'request' : 'notification';
  return 'response';
}

/** Logs each message a transport sends, as inbound (client's) or outbound (server's). */
function tap(
  t: InMemoryTransport,
  log: InteractionRow[],
  session: string,
  direction: 'inbound' | 'outbound',
) {
  const send = t.send.bind(t);
  t.send = (message: JSONRPCMessage, options) => {
    const m = message as Record<string, unknown>;
    log.push({
      table: 'interactions',
      id: log.length + 1,
      session_id: session,
      timestamp: new Date().toISOString(),
      direction,
      message_type: typeOf(m),
      method: typeof m['method'] === 'string' ? m['method'] : null,
      request_id: m['id'] === undefined || m['id'] === null ? null : String(m['id']),
      content: JSON.stringify(message),
    });
    return send(message, options);
  };
}

function server(): McpServer {
  const s = new McpServer({ name: 'demo-server', version: '0.9.0' });
  const text = (t: string) => ({ content: [{ type: 'text' as const, text: t }] });
  s.registerTool('add', { inputSchema: { a: z.number(), b: z.number() } }, ({ a, b }) =>
    text(String(a + b)),
  );
  s.registerTool('fails_softly', { inputSchema: { city: z.string() } }, ({ city }) => ({
    ...text(`no forecast for ${city}: quota exceeded`),
    isError: true,
  }));
  s.registerTool('throws', {}, () => {
    throw new Error('database connection lost');
  });
  s.registerTool('slow', { inputSchema: { ms: z.number() } }, async ({ ms }) => {
    await sleep(ms);
    return text(`slept ${ms} ms`);
  });
  // Asks the client's model: a server → client request, numbered by the server from 0.
  s.registerTool('ask', { inputSchema: { q: z.string() } }, async ({ q }) => {
    const r = await s.server.createMessage({
      messages: [{ role: 'user', content: { type: 'text', text: q } }],
      maxTokens: 20,
    });
    return text(r.content.type === 'text' ? r.content.text : '?');
  });
  return s;
}

/** One client session: initialize, a mix of tools, a failing method, pings both ways. */
export async function recordSession(
  log: InteractionRow[],
  session: string,
  clientInfo: { name: string; version: string },
  heavy: boolean,
): Promise<void> {
  const [clientT, serverT] = InMemoryTransport.createLinkedPair();
  tap(clientT, log, session, 'inbound');
  tap(serverT, log, session, 'outbound');
  const mcp = server();
  const client = new Client(clientInfo, {
    capabilities: { sampling: {}, roots: { listChanged: heavy } },
  });
  client.setRequestHandler(CreateMessageRequestSchema, async () => {
    await sleep(5);
    return { role: 'assistant', model: 'stub-model', content: { type: 'text', text: 'forty-two' } };
  });
  await mcp.connect(serverT);
  await client.connect(clientT);
  await client.listTools();
  for (let i = 0; i < (heavy ? 4 : 2); i++)
    await client.callTool({ name: 'add', arguments: { a: i, b: 2 } });
  await client.callTool({ name: 'fails_softly', arguments: { city: 'Oslo' } });
  await client.callTool({ name: 'throws', arguments: {} });
  for (const ms of heavy ? [15, 30, 45] : [20])
    await client.callTool({ name: 'slow', arguments: { ms } });
  await client.callTool({ name: 'ask', arguments: { q: 'meaning of life?' } });
  await client.request({ method: 'prompts/list' }, ListPromptsResultSchema).catch(() => undefined);
  await client.ping();
  await mcp.server.ping();
  await client.close();
}

/** Two sessions of real traffic, one after the other. */
export async function recordTraffic(): Promise<InteractionRow[]> {
  const log: InteractionRow[] = [];
  await recordSession(log, 'sess-a', { name: 'claude-desktop', version: '1.2.3' }, true);
  await recordSession(log, 'sess-b', { name: 'cursor', version: '0.42.0' }, false);
  return log;
}
