import { z } from 'zod';
import { wireEventSchema } from '../core/event-schema.js';
import { QUERY_CATALOGUE } from '../query-catalogue.js';
import { SEED_ADAPTERS } from '../seeds/registry.js';

const BATCH_RESPONSES = {
  '200': { description: 'Every row taken (or already there).' },
  '207': { description: 'Some rows rejected, each by index with a code; the rest stored.' },
  '400': { description: 'Malformed body.' },
  '404': { description: 'unknown_format' },
  '413': { description: 'Body or batch too large.' },
  '415': { description: 'Unsupported Content-Type or Content-Encoding.' },
};

/**
 * The OpenAPI document. The named queries' parameters are generated from the zod schemas that
 * validate them, so they cannot drift; the other routes are listed by hand, and a test checks
 * that every route the app serves is listed.
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
    '/v1/import/{format}': {
      post: {
        summary:
          'Import rows of a seed system\'s tables ({"table": …, …columns} per NDJSON line, or {"rows":[...]}); see docs/seeds/.',
        parameters: [
          {
            name: 'format',
            in: 'path',
            required: true,
            schema: { enum: [...SEED_ADAPTERS.keys()] },
          },
        ],
        responses: BATCH_RESPONSES,
      },
    },
    '/v1/mcp/interactions': {
      post: {
        summary:
          "An MCP proxy's live interaction log (NDJSON, one JSON-RPC message per line) for the mcp-log adapter.",
        responses: BATCH_RESPONSES,
      },
    },
    '/v1/traces': otlpPath('OTLP/HTTP trace export: spans become Cairn events (docs/otel.md).'),
    '/v1/logs': otlpPath(
      'OTLP/HTTP log export: records carrying GenAI messages become message events (docs/otel.md).',
    ),
    '/v1/alerts': {
      get: { summary: 'Alert rules of the workspace (docs/alerts.md).', responses: OK },
      post: { summary: 'Create an alert rule (docs/alerts.md).', responses: OK },
    },
    '/v1/alerts/{id}': {
      get: { summary: 'One alert rule and its current states.', responses: OK },
      patch: { summary: 'Enable or disable a rule: {"enabled": bool}.', responses: OK },
      delete: { summary: 'Delete a rule.', responses: { '204': { description: 'Deleted.' } } },
    },
    '/v1/alerts/{id}/test': {
      post: { summary: "Send a test notification to the rule's channels.", responses: OK },
    },
    '/v1/alerts/{id}/history': { get: { summary: "The rule's notifications.", responses: OK } },
    '/v1/alerts/history': {
      get: { summary: 'Notifications of the workspace, newest first.', responses: OK },
    },
    '/v1/alerts/history/{id}/ack': {
      post: { summary: 'Acknowledge a notification: {"by", "note"}.', responses: OK },
    },
    '/v1/alerts/evaluate': {
      post: { summary: 'Evaluate every rule now (unscoped servers only).', responses: OK },
    },
    '/v1/openapi.json': { get: { summary: 'This document.', responses: OK } },
    '/healthz/disk': {
      get: { summary: 'Disk usage and growth of the database (docs/retention.md).', responses: OK },
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
    // Needed once a key exists (docs/security.md); the embedded loopback default needs none.
    security: [{ bearer: [] }, { apiKey: [] }, {}],
    components: {
      schemas: { Event: z.toJSONSchema(wireEventSchema, { io: 'input', target: 'draft-2020-12' }) },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
    },
  };
}

const OK = { '200': { description: 'OK' } };

function otlpPath(summary: string): Record<string, unknown> {
  const otlp = { schema: { type: 'string', contentEncoding: 'binary' } };
  return {
    post: {
      summary,
      requestBody: { content: { 'application/x-protobuf': otlp, 'application/json': otlp } },
      responses: {
        '200': {
          description: 'The Export*ServiceResponse, with partial_success if any item was rejected.',
        },
        '400': { description: 'malformed_body' },
        '413': { description: 'body_too_large' },
        '415': { description: 'unsupported_media_type' },
      },
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
