import { z } from 'zod';
import { wireEventSchema } from './event-schema.js';

/** The JSON Schema of one event, generated from the zod schema the server validates with. */
export function eventJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(wireEventSchema, { io: 'input', target: 'draft-2020-12' });
  return { ...schema, $id: 'https://cairn.dev/schemas/event.json' };
}
