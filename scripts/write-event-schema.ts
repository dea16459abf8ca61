// Writes docs/events.schema.json from the zod schema the server validates with.
import { writeFileSync } from 'node:fs';
import { eventJsonSchema } from '../src/core/json-schema.js';

const path = new URL('../docs/events.schema.json', import.meta.url);
writeFileSync(path, `${JSON.stringify(eventJsonSchema(), null, 2)}\n`);
console.log(`wrote ${path.pathname}`);
