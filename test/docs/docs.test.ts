import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, httpStatusOf, type ErrorCode } from '../../src/core/errors.js';
import { EVENT_TYPES } from '../../src/core/event-schema.js';
import { eventJsonSchema } from '../../src/core/json-schema.js';

const doc = (name: string) => readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8');

describe('docs stay true to the code', () => {
  it('docs/errors.md lists every error code, and only those, with its HTTP status', () => {
    const text = doc('errors.md');
    const listed = new Set([...text.matchAll(/^\| `([a-z_0-9]+)`\s*\|/gm)].map((m) => m[1]));
    expect([...listed].sort()).toEqual(Object.keys(ERROR_CODES).sort());
    const withStatus = [...text.matchAll(/^\| `([a-z_0-9]+)` \| (\d{3}) \|/gm)];
    expect(withStatus.length).toBeGreaterThanOrEqual(10);
    for (const m of withStatus) expect(httpStatusOf(m[1] as ErrorCode), m[1]).toBe(Number(m[2]));
  });

  it('docs/events.schema.json is the schema generated from the code (npm run schema)', () => {
    expect(JSON.parse(doc('events.schema.json'))).toEqual(eventJsonSchema());
  });

  it('docs/events.md describes every event type', () => {
    const text = doc('events.md');
    for (const type of EVENT_TYPES) expect(text).toContain(`\`${type}\``);
  });
});
