import { CairnError } from '../../core/errors.js';
import { describe } from '../../core/validate-event.js';
import { readCount, readDuration, readInteger, readText, type Values } from './values.js';

/** One agent of an `observability_events.agents` chain, flattened, with where it sits. */
export interface ChainStep {
  /** The seed's step id: `<event_id>-<index>`, and `-<index>` again for each worker level. */
  readonly stepId: string;
  /** The parent's step id; null for a top-level agent (the seed's parent_step_id). */
  readonly parentStepId: string | null;
  /** Position among its siblings (the seed's `json_each` key). */
  readonly index: number;
  readonly agent: Values;
  /** Path of indexes from the top ("0", "1.0" …), for the Cairn event id. */
  readonly path: string;
}

/** Fields of an agent object that map to Cairn columns; the rest is kept in the step's detail. */
export const AGENT_FIELDS = new Set([
  'name',
  'type',
  'duration_ms',
  'input_tokens',
  'output_tokens',
  'cached_tokens',
  'reasoning_tokens',
  'model',
  'tools',
  'tool_calls',
  'status',
  'error',
  'workers',
]);

/**
 * Flattens the agents chain depth-first: each agent, then its `workers` (which may have workers
 * of their own). The seed's view reads only the top level; Cairn keeps the nested workers as
 * steps too, each pointing at its parent.
 */
export function flattenChain(agents: unknown, eventId: string): ChainStep[] {
  if (agents === null) return [];
  if (!Array.isArray(agents))
    throw new CairnError('invalid_type', `agents: must be a JSON array, got ${describe(agents)}`);
  const out: ChainStep[] = [];
  const walk = (list: unknown[], parent: ChainStep | null, field: string) =>
    list.forEach((agent, index) => {
      const at = `${field}[${index}]`;
      if (agent === null || typeof agent !== 'object' || Array.isArray(agent))
        throw new CairnError('invalid_type', `${at}: must be an object, got ${describe(agent)}`);
      const step: ChainStep = {
        stepId: `${parent?.stepId ?? eventId}-${index}`,
        parentStepId: parent?.stepId ?? null,
        index,
        agent: agent as Values,
        path: parent ? `${parent.path}.${index}` : String(index),
      };
      checkAgent(step.agent, at);
      out.push(step);
      const workers = (agent as Values)['workers'];
      if (workers === undefined || workers === null) return;
      if (!Array.isArray(workers))
        throw new CairnError(
          'invalid_type',
          `${at}.workers: must be an array, got ${describe(workers)}`,
        );
      walk(workers, step, `${at}.workers`);
    });
  walk(agents, null, 'agents');
  return out;
}

/** Reads every mapped field once so that a bad value is reported with its path in the chain. */
function checkAgent(agent: Values, at: string): void {
  try {
    for (const f of ['input_tokens', 'output_tokens', 'cached_tokens', 'reasoning_tokens'])
      readCount(agent, f);
    readDuration(agent, 'duration_ms');
    const calls = readInteger(agent, 'tool_calls');
    if (calls !== null && calls < 0)
      throw new CairnError('invalid_number', `tool_calls: must not be negative, got ${calls}`);
    for (const f of ['name', 'type', 'model']) readText(agent, f);
  } catch (err) {
    if (err instanceof CairnError) throw new CairnError(err.code, `${at}.${err.message}`);
    throw err;
  }
}

/** Token totals of a set of steps, per Cairn usage field. */
export function stepTokens(steps: readonly ChainStep[]): Record<string, number> {
  const sum = (f: string) => steps.reduce((n, s) => n + readCount(s.agent, f), 0);
  return {
    input_tokens: sum('input_tokens'),
    output_tokens: sum('output_tokens'),
    cache_read_tokens: sum('cached_tokens'),
    reasoning_tokens: sum('reasoning_tokens'),
  };
}
