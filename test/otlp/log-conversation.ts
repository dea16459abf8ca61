import { hexId } from './otlp-json-request.js';
import type { LogsHarness } from './otel-logs.js';

/**
 * A realistic conversation recorded as OTel GenAI log records: two chat calls reported with the
 * older per-message events (the second replays the first as history, as instrumentations do),
 * then a third call reported as one gen_ai.client.inference.operation.details record. Plus a
 * plain log line and a call whose content was not captured (two records), which must be skipped.
 */
export interface Conversation {
  traceId: string;
  spans: { first: string; second: string; third: string; uncaptured: string };
  sessionId: string;
  start: number;
  /** Message records emitted, and how many of them carry no content (skipped). */
  records: number;
}

/** A message as Cairn should store it: role, content (parsed when structured), its call's span. */
export interface ExpectedMessage {
  role: string;
  content: unknown;
  span: keyof Conversation['spans'];
}

const SYSTEM = 'You are a weather assistant.';
const ASK = 'What is the weather in Paris?';
const ARGS = '{"city":"Paris"}';
const TOOL_RESULT = 'rainy, 14°C';
const ANSWER = 'It is rainy in Paris, 14°C.';
const FOLLOW_UP = 'And tomorrow?';
const FORECAST = 'Sunny tomorrow, 19°C.';
const toolCall = {
  id: 'call_1',
  type: 'function',
  function: { name: 'get_weather', arguments: ARGS },
};

/**
 * What must be stored, written out by hand from the script below: every message once, in
 * conversation order — replayed history (call 2's system, user and assistant records, call 3's
 * first five input messages) is not stored again.
 */
export const EXPECTED: ExpectedMessage[] = [
  { role: 'system', content: SYSTEM, span: 'first' },
  { role: 'user', content: ASK, span: 'first' },
  {
    role: 'assistant',
    content: [
      { type: 'tool_call', name: 'get_weather', id: 'call_1', arguments: { city: 'Paris' } },
    ],
    span: 'first',
  },
  { role: 'tool', content: TOOL_RESULT, span: 'second' },
  { role: 'assistant', content: ANSWER, span: 'second' },
  { role: 'user', content: FOLLOW_UP, span: 'third' },
  { role: 'assistant', content: FORECAST, span: 'third' },
];

const text = (content: string) => [{ type: 'text', content }];

/** Emits the conversation through `h`; `sessionId` goes on every record as gen_ai.conversation.id. */
export function emitConversation(h: LogsHarness, sessionId: string, user: string): Conversation {
  const traceId = hexId(16);
  const spans = { first: hexId(8), second: hexId(8), third: hexId(8), uncaptured: hexId(8) };
  const start = Date.now() - 60_000;
  const common = {
    'gen_ai.conversation.id': sessionId,
    'user.id': user,
    'gen_ai.system': 'openai',
  };
  let t = start;
  let records = 0;
  const emit = (span: keyof typeof spans, eventName: string, body: unknown, extra = {}) => {
    records++;
    h.emit({
      eventName,
      body: body as never,
      attributes: { ...common, ...extra },
      timestampMs: t++,
      span: { traceId, spanId: spans[span] },
    });
  };
  emit('first', 'gen_ai.system.message', { content: SYSTEM });
  emit('first', 'gen_ai.user.message', { content: ASK });
  emit('first', 'gen_ai.choice', {
    index: 0,
    finish_reason: 'tool_calls',
    message: { role: 'assistant', tool_calls: [toolCall] },
  });
  emit('second', 'gen_ai.system.message', { content: SYSTEM });
  emit('second', 'gen_ai.user.message', { content: ASK });
  emit('second', 'gen_ai.assistant.message', { tool_calls: [toolCall] });
  // An older SDK: the event name in the `event.name` attribute, no event_name field.
  records++;
  h.emit({
    body: { content: TOOL_RESULT, id: 'call_1' },
    attributes: { ...common, 'event.name': 'gen_ai.tool.message' },
    timestampMs: t++,
    span: { traceId, spanId: spans.second },
  });
  emit('second', 'gen_ai.choice', {
    index: 0,
    finish_reason: 'stop',
    message: { content: ANSWER },
  });
  emit('third', 'gen_ai.client.inference.operation.details', undefined, {
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
    'gen_ai.system_instructions': text(SYSTEM),
    'gen_ai.input.messages': [
      { role: 'user', parts: text(ASK) },
      {
        role: 'assistant',
        parts: [
          { type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } },
        ],
      },
      {
        role: 'tool',
        parts: [{ type: 'tool_call_response', id: 'call_1', response: TOOL_RESULT }],
      },
      { role: 'assistant', parts: text(ANSWER) },
      { role: 'user', parts: text(FOLLOW_UP) },
    ],
    'gen_ai.output.messages': [{ role: 'assistant', parts: text(FORECAST), finish_reason: 'stop' }],
  });
  // Content capture off: no body, and a tool call without its (opt-in) arguments.
  emit('uncaptured', 'gen_ai.user.message', undefined);
  emit('uncaptured', 'gen_ai.choice', {
    index: 0,
    finish_reason: 'tool_calls',
    message: {
      tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'get_weather' } }],
    },
  });
  // Not a GenAI message at all.
  h.emit({ body: 'GET /chat 200', attributes: { 'http.route': '/chat' }, timestampMs: t++ });
  return { traceId, spans, sessionId, start, records };
}
