import { z } from 'zod';
import { wireEventSchema } from '../core/event-schema.js';
import { QUERY_CATALOGUE } from '../query-catalogue.js';

/**
 * The OpenAPI document, generated from the same zod schemas that validate requests, so it cannot
 * drift from what the server accepts.
 */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, unknown> = {
    '/v1/events': {
      post: {
        summary: 'Ingest a batch of events (JSON {"events":[...]} or NDJSON, optionally gzip).',
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  events: { type: 'array', items: { $ref: '#/components/schemas/Event' } },
                },
              },
            },
            'application/x-ndjson': { schema: { type: 'string' } },
          },
        },
        responses: {
          '200': { description: 'Every item stored (or already stored).' },
          '207': { description: 'Some items rejected; the rest stored.' },
          '400': { description: 'Malformed body.' },
          '413': { description: 'Body or batch too large.' },
          '415': { description: 'Unsupported Content-Type or Content-Encoding.' },
        },
      },
    },
    '/healthz': {
      get: {
        summary: 'Liveness and database health.',
        responses: {
          '200': { description: 'OK' },
          '503': { description: 'Unavailable or draining.' },
        },
      },
    },
  };
  for (const [name, q] of Object.entries(QUERY_CATALOGUE)) {
    paths[`/v1/${name}`] = {
      get: {
        summary: q.summary,
        parameters: queryParameters(q.params),
        responses: { '200': { description: 'OK' }, '400': { description: 'invalid_parameter' } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Cairn',
      version: '0.1.0',
      description: 'Telemetry analytics for AI chat bots, agents and MCP tool servers.',
    },
    paths,
    components: {
      schemas: { Event: z.toJSONSchema(wireEventSchema, { io: 'input', target: 'draft-2020-12' }) },
    },
  };
}

function queryParameters(schema: z.ZodType): unknown[] {
  const json = z.toJSONSchema(schema, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
    schema: s,
  }));
}
