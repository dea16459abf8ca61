import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import { createApp } from '../../src/server/app.js';
import { openTestEngine } from '../support/databases.js';
import { hexId, jsonRequest } from './otlp-json-request.js';

/**
 * The span attribute sets in ../shared/reference/openinference-fixtures (OpenInference and OTel
 * GenAI, current and deprecated), read in place, sent as OTLP/JSON spans and checked field by field.
 */
const FIXTURES = '/work/shared/reference/openinference-fixtures';
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Record<string, unknown>;

let engine: Engine;
beforeAll(async () => {
  engine = await openTestEngine('sqlite');
});
afterAll(() => engine.close());

async function sendFixture(name: string) {
  const [traceId, spanId] = [hexId(16), hexId(8)];
  const body = jsonRequest([{ name, traceId, spanId, attributes: fixture(name) }]);
  const res = await createApp(engine).request('/v1/traces', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({});
  const event = await engine.store.getEvent('default', `${traceId}:${spanId}`);
  expect(event).not.toBeNull();
  return event!;
}

const GPT4_CALL = {
  type: 'llm_call',
  model: 'gpt-4-0613',
  provider: 'openai',
  input_tokens: 97,
  output_tokens: 52,
  cache_read_tokens: 0,
  app: 'fixture-app',
  status: 'ok',
};

describe('reference span fixtures', () => {
  it.each(['openinference_client_span_input_output_only', 'openinference_client_span_tool_calls'])(
    'OpenInference %s → llm_call with llm.model_name, llm.provider and token counts',
    async (name) => {
      const e = await sendFixture(name);
      expect(e).toMatchObject({ ...GPT4_CALL, name: 'chat' });
      expect(e.cost_nanos).toBeGreaterThan(0);
      // Unmapped attributes are kept.
      expect(e.attributes).toMatchObject({ 'llm.invocation_parameters': expect.any(String) });
    },
  );

  it('OTel GenAI client span → the response model, finish reason, request model kept', async () => {
    const e = await sendFixture('otel_genai_client_span_tool_calls');
    expect(e).toMatchObject({ ...GPT4_CALL, name: 'chat' });
    expect(e.detail).toMatchObject({ finish_reason: 'stop' });
    expect(e.attributes).toMatchObject({
      'gen_ai.request.model': 'gpt-4',
      'gen_ai.response.id': 'chatcmpl-CQF10eCkoFphJZJQkzzN6EkTD0AVF',
    });
  });

  it('OTel GenAI span with deprecated content attributes → the same llm_call', async () => {
    const e = await sendFixture('otel_genai_deprecated_client_span_tool_calls');
    expect(e).toMatchObject({ ...GPT4_CALL, name: 'chat' });
    expect(e.attributes).toHaveProperty('gen_ai.prompt');
  });

  it('OTel GenAI execute_tool span → tool_call with the tool name and call id', async () => {
    const e = await sendFixture('otel_genai_tool_execution_span');
    expect(e).toMatchObject({
      type: 'tool_call',
      tool: 'get_weather',
      name: 'execute_tool',
      status: 'ok',
    });
    expect(e.detail).toMatchObject({ request_id: '1234' });
    expect(e.attributes).toMatchObject({ 'gen_ai.tool.type': 'function' });
  });
});
