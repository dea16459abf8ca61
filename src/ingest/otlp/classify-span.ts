import { str, type Attrs } from './attributes.js';

/**
 * What a span records, decided from the conventions' own discriminators. `agent` spans become
 * `agent_run`, or `agent_step` when their parent is an agent span (see resolveAgentType).
 * Spans of no GenAI or MCP convention (HTTP, database …) classify as null and are not stored.
 */
export type SpanClass = 'llm_call' | 'tool_call' | 'agent';

export interface Classified {
  kind: SpanClass;
  /** The operation as the convention names it (chat, embeddings, invoke_agent, tools/call …). */
  operation: string;
}

/** OTel gen_ai.operation.name values (gen-ai-registry.yaml). */
const OTEL_OPERATIONS: Readonly<Record<string, SpanClass>> = {
  chat: 'llm_call',
  text_completion: 'llm_call',
  generate_content: 'llm_call',
  embeddings: 'llm_call',
  create_agent: 'agent',
  invoke_agent: 'agent',
  invoke_workflow: 'agent',
  execute_tool: 'tool_call',
  retrieval: 'tool_call',
};

/** OpenInference openinference.span.kind values. CHAIN is a step of a run (or the run itself). */
const OPENINFERENCE_KINDS: Readonly<Record<string, [SpanClass, string]>> = {
  LLM: ['llm_call', 'chat'],
  EMBEDDING: ['llm_call', 'embeddings'],
  TOOL: ['tool_call', 'execute_tool'],
  RETRIEVER: ['tool_call', 'retrieval'],
  AGENT: ['agent', 'invoke_agent'],
  CHAIN: ['agent', 'chain'],
};

/** OpenLLMetry traceloop.span.kind values and llm.request.type values. */
const TRACELOOP_KINDS: Readonly<Record<string, [SpanClass, string]>> = {
  workflow: ['agent', 'workflow'],
  agent: ['agent', 'invoke_agent'],
  task: ['agent', 'task'],
  tool: ['tool_call', 'execute_tool'],
};
const TRACELOOP_REQUEST_TYPES: Readonly<Record<string, string>> = {
  chat: 'chat',
  completion: 'text_completion',
  embedding: 'embeddings',
};

/** Classifies a span; MCP first, then OTel GenAI, then the other conventions in use. */
export function classifySpan(a: Attrs): Classified | null {
  return (
    mcp(a) ?? otel(a) ?? openInference(a) ?? openLlmetry(a) ?? vercel(a) ?? modelOnly(a) ?? null
  );
}

/** MCP spans (mcp-spans.yaml) are tool calls in Cairn whatever the method. */
function mcp(a: Attrs): Classified | undefined {
  const method = str(a, 'mcp.method.name');
  return method === undefined ? undefined : { kind: 'tool_call', operation: method };
}

function otel(a: Attrs): Classified | undefined {
  const op = str(a, 'gen_ai.operation.name');
  if (op === undefined) return undefined;
  const kind = OTEL_OPERATIONS[op];
  if (kind !== undefined) return { kind, operation: op };
  // An operation the registry does not list, on a span naming a model, is still an inference.
  return hasModel(a) ? { kind: 'llm_call', operation: op } : undefined;
}

function openInference(a: Attrs): Classified | undefined {
  const entry = OPENINFERENCE_KINDS[str(a, 'openinference.span.kind')?.toUpperCase() ?? ''];
  return entry && { kind: entry[0], operation: entry[1] };
}

function openLlmetry(a: Attrs): Classified | undefined {
  const op = TRACELOOP_REQUEST_TYPES[str(a, 'llm.request.type') ?? ''];
  if (op !== undefined) return { kind: 'llm_call', operation: op };
  const entry = TRACELOOP_KINDS[str(a, 'traceloop.span.kind') ?? ''];
  return entry && { kind: entry[0], operation: entry[1] };
}

/**
 * Vercel AI SDK: `ai.generateText.doGenerate` (and doStream, doEmbed) is one model call; the
 * outer `ai.generateText` wraps the steps of one call of the SDK; `ai.toolCall` runs a tool.
 */
function vercel(a: Attrs): Classified | undefined {
  const id = str(a, 'ai.operationId');
  if (id === undefined) return undefined;
  if (id === 'ai.toolCall') return { kind: 'tool_call', operation: 'execute_tool' };
  if (/\.do(Generate|Stream)$/.test(id)) return { kind: 'llm_call', operation: 'chat' };
  if (id.endsWith('.doEmbed')) return { kind: 'llm_call', operation: 'embeddings' };
  return { kind: 'agent', operation: id };
}

function modelOnly(a: Attrs): Classified | undefined {
  return hasModel(a) ? { kind: 'llm_call', operation: 'chat' } : undefined;
}

function hasModel(a: Attrs): boolean {
  return str(a, 'gen_ai.request.model', 'gen_ai.response.model', 'llm.model_name') !== undefined;
}
