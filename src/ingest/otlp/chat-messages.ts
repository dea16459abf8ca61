import { attrsOf, str, structured, type Attrs } from './attributes.js';
import type { OtlpSpanEvent } from './otlp-types.js';
import { nanosToMs } from './time.js';

/**
 * Chat messages recorded as OTel events — span events or log records — turned into drafts of
 * `message` events:
 * - the deprecated per-message events gen_ai.{system,user,assistant,tool}.message and
 *   gen_ai.choice (gen-ai-events-deprecated.yaml), content in a `content` or `message` field
 *   (a log record's body, a span event's attributes) and tool calls in `tool_calls`;
 * - gen_ai.client.inference.operation.details (gen-ai-events.yaml), with gen_ai.input.messages,
 *   gen_ai.output.messages and gen_ai.system_instructions, structured or as JSON strings.
 *
 * Every inference call replays the whole conversation as input, so storing every input message
 * of every call would store each message once per later turn. Only the input after the last
 * assistant message — what is new in this call — is kept, plus every output message. Messages
 * without content (content capture is opt-in) are skipped.
 */
export interface MessageDraft {
  role: string;
  content: unknown;
  timestamp: number;
  /** The index of the source (event or record) it came from. */
  source: number;
  /** Its position among the messages of its source, before any is dropped: stable for ids. */
  index: number;
}

/** One event that may carry messages: its name, its fields, its time in epoch ms. */
export interface MessageSource {
  name: string;
  attrs: Attrs;
  timestamp: number;
}

interface Collected {
  input: MessageDraft[];
  output: MessageDraft[];
}

type Draft = Omit<MessageDraft, 'source' | 'index'>;

const PER_MESSAGE = /^gen_ai\.(system|user|assistant|tool)\.message$/;
const DETAILS = 'gen_ai.client.inference.operation.details';

/** True for the event names that carry chat messages (whether or not content was captured). */
export function isMessageEvent(name: string): boolean {
  return PER_MESSAGE.test(name) || name === 'gen_ai.choice' || name === DETAILS;
}

/**
 * The messages of a group of events, oldest first. A group that is one model call's (the events
 * of one span) replays the conversation so far as input, so that history is dropped; events
 * outside any span cannot be told apart from history, and are each kept as they come.
 */
export function messagesOf(sources: readonly MessageSource[], oneCall = true): MessageDraft[] {
  const got: Collected = { input: [], output: [] };
  sources.forEach((s, i) => collect(s, i, got));
  const input = oneCall ? newInput(got.input) : got.input;
  return [...input, ...got.output].filter((m) => hasContent(m.content));
}

/** True when at least one message of the event has content (content capture was on). */
export function hasMessageContent(source: MessageSource): boolean {
  const got: Collected = { input: [], output: [] };
  collect(source, 0, got);
  return [...got.input, ...got.output].some((m) => hasContent(m.content));
}

/** The messages a span's events carry, oldest first; `fallbackMs` dates events without a time. */
export function spanMessages(events: readonly OtlpSpanEvent[], fallbackMs: number): MessageDraft[] {
  return messagesOf(
    events.map((e) => ({
      name: e.name,
      attrs: attrsOf(e.attributes),
      timestamp: e.timeUnixNano === '0' ? fallbackMs : nanosToMs(e.timeUnixNano),
    })),
  );
}

function collect(s: MessageSource, source: number, got: Collected): void {
  const tag = (drafts: Draft[], offset = 0): MessageDraft[] =>
    drafts.map((d, i) => ({ ...d, source, index: offset + i }));
  const { attrs: a, timestamp } = s;
  const perMessage = PER_MESSAGE.exec(s.name);
  if (perMessage) {
    const content = withToolCalls(contentOf(a), a['tool_calls']);
    got.input.push(...tag([{ role: str(a, 'role') ?? perMessage[1]!, content, timestamp }]));
  } else if (s.name === 'gen_ai.choice') {
    got.output.push(...tag([choice(a, timestamp)]));
  } else if (s.name === DETAILS) {
    const system = structured(a['gen_ai.system_instructions']);
    const drafts: Draft[] =
      system === undefined ? [] : [{ role: 'system', content: partsContent(system), timestamp }];
    drafts.push(...semconvMessages(a['gen_ai.input.messages'], timestamp));
    got.input.push(...tag(drafts));
    got.output.push(...tag(semconvMessages(a['gen_ai.output.messages'], timestamp), drafts.length));
  }
}

/** The deprecated events put the body in `content` (or a JSON body in gen_ai.event.content). */
function contentOf(a: Attrs): unknown {
  if (a['content'] !== undefined) return structuredContent(a['content']);
  const body = structured(a['gen_ai.event.content']);
  if (body && typeof body === 'object' && 'content' in body) return (body as Attrs)['content'];
  return undefined;
}

/** gen_ai.choice: the message in `message` (a map, or flattened `message.*` keys). */
function choice(a: Attrs, timestamp: number): Draft {
  const message = structured(a['message']);
  if (message && typeof message === 'object' && !Array.isArray(message)) {
    const m = message as Attrs;
    const content = structuredContent(m['content']);
    return {
      role: str(m, 'role') ?? 'assistant',
      content: withToolCalls(content, m['tool_calls'] ?? a['tool_calls']),
      timestamp,
    };
  }
  const content = structuredContent(a['message.content'] ?? contentOf(a));
  return {
    role: str(a, 'message.role') ?? 'assistant',
    content: withToolCalls(content, a['tool_calls']),
    timestamp,
  };
}

/**
 * Tool calls of the deprecated events ({id, type, function: {name, arguments}}) as the newer
 * conventions' tool_call parts, after the text. Arguments are opt-in content: calls without them
 * (content capture off) add nothing, so such a message stays without content and is skipped.
 */
function withToolCalls(content: unknown, toolCalls: unknown): unknown {
  const calls = structured(toolCalls);
  if (!Array.isArray(calls)) return content;
  const parts = calls.map(toolCallPart).filter((p) => p !== null);
  if (parts.length === 0) return content;
  if (!hasContent(content)) return parts;
  const text = Array.isArray(content) ? content : [{ type: 'text', content }];
  return [...text, ...parts];
}

function toolCallPart(call: unknown): Attrs | null {
  if (typeof call !== 'object' || call === null) return null;
  const c = call as Attrs;
  const fn = (
    typeof c['function'] === 'object' && c['function'] !== null ? c['function'] : c
  ) as Attrs;
  if (fn['arguments'] === undefined || fn['arguments'] === null) return null;
  const part: Attrs = { type: 'tool_call', name: str(fn, 'name') ?? null };
  if (str(c, 'id') !== undefined) part['id'] = str(c, 'id');
  part['arguments'] = structured(fn['arguments']);
  return part;
}

/** gen-ai-input-messages.json / gen-ai-output-messages.json: [{role, parts: [...]}]. */
function semconvMessages(value: unknown, timestamp: number): Draft[] {
  const list = structured(value);
  if (!Array.isArray(list)) return [];
  return list
    .filter((m): m is Attrs => typeof m === 'object' && m !== null)
    .map((m) => ({
      role: str(m, 'role') ?? 'unknown',
      content: partsContent(m['parts'] ?? m['content']),
      timestamp,
    }));
}

/** Parts that are all text become one string; anything else is kept as structured parts. */
function partsContent(parts: unknown): unknown {
  const value = structured(parts);
  if (!Array.isArray(value)) return value;
  const texts = value.map((p) => (isTextPart(p) ? (p as Attrs)['content'] : null));
  return texts.every((t) => typeof t === 'string') ? texts.join('\n') : value;
}

function isTextPart(p: unknown): boolean {
  return typeof p === 'object' && p !== null && (p as Attrs)['type'] === 'text';
}

function structuredContent(value: unknown): unknown {
  return Array.isArray(structured(value)) ? partsContent(value) : value;
}

/** The input after the last assistant turn: what this call added to the conversation. */
function newInput(input: MessageDraft[]): MessageDraft[] {
  let last = -1;
  input.forEach((m, i) => {
    if (m.role === 'assistant' || m.role === 'model') last = i;
  });
  return input.slice(last + 1);
}

function hasContent(content: unknown): boolean {
  if (content === undefined || content === null || content === '') return false;
  return !(Array.isArray(content) && content.length === 0);
}
