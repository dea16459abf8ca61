import type { z } from 'zod';
import { CairnError } from '../core/errors.js';

/**
 * Parses a value at an edge (HTTP body or query, CLI options, a rule file); the first problem
 * becomes invalid_parameter naming the field, as every other Cairn edge reports it.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new CairnError('invalid_parameter', `${issue.path.join('.') || 'body'}: ${issue.message}`);
}
