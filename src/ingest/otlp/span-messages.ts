import { attrsOf, str, structured, type Attrs } from './attributes.js';
import type { OtlpSpanEvent } from './otlp-types.js';
import { nanosToMs } from './time.js';

/**
 * Chat messages recorded as span events, turned into `message` events:
 * - the deprecated per-message events gen_ai.{system,user,assistant,tool}.message and
 *   gen_ai.choice (gen-ai-events-deprecated.yaml), content in a `content` or `message` attribute;
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
}

interface Collected {
  input: MessageDraft[];
  output: MessageDraft[];
}

const PER_MESSAGE = /^gen_ai\.(system|user|assistant|tool)\.message$/;

/** The messages a span's events carry, oldest first; `fallbackMs` dates events without a time. */
export function spanMessages(events: readonly OtlpSpanEvent[], fallbackMs: number): MessageDraft[] {
  const got: Collected = { input: [], output: [] };
  for (const event of events) collect(event, got, fallbackMs);
  return [...newInput(got.input), ...got.output].filter((m) => hasContent(m.content));
}

function collect(event: OtlpSpanEvent, got: Collected, fallbackMs: number): void {
  const a = attrsOf(event.attributes);
  const at = event.timeUnixNano === '0' ? fallbackMs : nanosToMs(event.timeUnixNano);
  const perMessage = PER_MESSAGE.exec(event.name);
  if (perMessage) {
    got.input.push({
      role: str(a, 'role') ?? perMessage[1]!,
      content: contentOf(a),
      timestamp: at,
    });
  } else if (event.name === 'gen_ai.choice') {
    got.output.push(choice(a, at));
  } else if (event.name === 'gen_ai.client.inference.operation.details') {
    const system = structured(a['gen_ai.system_instructions']);
    if (system !== undefined)
      got.input.push({ role: 'system', content: partsContent(system), timestamp: at });
    got.input.push(...semconvMessages(a['gen_ai.input.messages'], at));
    got.output.push(...semconvMessages(a['gen_ai.output.messages'], at));
  }
}

/** The deprecated events put the body in `content` (or a JSON body in gen_ai.event.content). */
function contentOf(a: Attrs): unknown {
  if (a['content'] !== undefined) return structuredContent(a['content']);
  const body = structured(a['gen_ai.event.content']);
  if (body && typeof body === 'object' && 'content' in body) return (body as Attrs)['content'];
  return undefined;
}

function choice(a: Attrs, timestamp: number): MessageDraft {
  const message = structured(a['message']);
  if (message && typeof message === 'object' && !Array.isArray(message)) {
    const m = message as Attrs;
    return {
      role: str(m, 'role') ?? 'assistant',
      content: structuredContent(m['content']),
      timestamp,
    };
  }
  const content = a['message.content'] ?? contentOf(a);
  return {
    role: str(a, 'message.role') ?? 'assistant',
    content: structuredContent(content),
    timestamp,
  };
}

/** gen-ai-input-messages.json / gen-ai-output-messages.json: [{role, parts: [...]}]. */
function semconvMessages(value: unknown, timestamp: number): MessageDraft[] {
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
