import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { CairnError } from '../core/errors.js';
import type { Engine } from '../engine.js';
import { engineOf } from '../server/auth.js';
import { AlertStore } from './alert-store.js';
import { parseOrThrow } from './parse.js';
import { editedInput, hasMaskedSecret, publicRule, ruleInput, type AlertRule } from './rule.js';
import { evaluateAll, sendTest } from './run-rules.js';

const listQuery = z.strictObject({ workspace: z.string().min(1).max(512).optional() });
const historyQuery = listQuery.extend({
  rule_id: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
});
const ackBody = z.strictObject({
  by: z.string().min(1).max(255).optional(),
  note: z.string().max(2_000).optional(),
});
/** An edit: any rule field but the workspace; null clears a field back to its default. */
const patchBody = z.record(z.string(), z.unknown()).superRefine((b, ctx) => {
  if ('workspace' in b)
    ctx.addIssue({ code: 'custom', path: ['workspace'], message: 'a rule cannot move workspace' });
  if (hasMaskedSecret(b.channels))
    ctx.addIssue({
      code: 'custom',
      path: ['channels'],
      message:
        'holds a masked value (********): send the real secret or URL, or leave channels out',
    });
});

/** The JSON body; an empty body is {}. */
async function body(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new CairnError('malformed_body', 'the request body is not valid JSON');
  }
}

/**
 * /v1/alerts: rules (list, create, read, enable/disable, delete, test send), history and
 * acknowledgement, and an evaluation on demand. A request on an API key's workspace sees and
 * touches only that workspace's rules; others answer not_found, so ids do not leak.
 */
export function alertsRoutes(engine: Engine): Hono {
  const app = new Hono();
  const alerts = new AlertStore(engine.store);
  const scopeOf = (c: Context) => engineOf(c, engine).scope;
  const workspaceOf = (c: Context, asked: string | undefined) => {
    const scope = scopeOf(c);
    if (scope !== null && asked !== undefined && asked !== scope)
      throw new CairnError('forbidden', `this API key is for workspace "${scope}"`);
    return scope ?? asked;
  };
  const ruleOr404 = async (c: Context): Promise<AlertRule> => {
    const rule = await alerts.getRule(c.req.param('id')!);
    const scope = scopeOf(c);
    if (!rule || (scope !== null && rule.workspace !== scope))
      throw new CairnError('not_found', `no alert rule ${c.req.param('id')}`);
    return rule;
  };

  app.get('/', async (c) => {
    const q = parseOrThrow(listQuery, c.req.query());
    const rules = await alerts.listRules({ workspace: workspaceOf(c, q.workspace) });
    return c.json({ rules: rules.map(publicRule) });
  });
  app.post('/', async (c) => {
    const input = { ...((await body(c)) as object) } as Record<string, unknown>;
    const spec = parseOrThrow(ruleInput, {
      ...input,
      workspace: workspaceOf(c, typeof input.workspace === 'string' ? input.workspace : undefined),
    });
    return c.json({ rule: publicRule(await alerts.createRule(spec, Date.now())) }, 201);
  });
  app.get('/history', async (c) => {
    const q = parseOrThrow(historyQuery, c.req.query());
    const entries = await alerts.listHistory({ ...q, workspace: workspaceOf(c, q.workspace) });
    return c.json({ history: entries });
  });
  app.post('/history/:id/ack', async (c) => {
    const b = parseOrThrow(ackBody, await body(c));
    const entry = await alerts.getHistory(c.req.param('id'));
    const scope = scopeOf(c);
    if (!entry || (scope !== null && entry.workspace !== scope))
      throw new CairnError('not_found', `no alert history entry ${c.req.param('id')}`);
    const acked = await alerts.acknowledge(entry.id, b.by ?? null, b.note ?? null, Date.now());
    return c.json({ entry: acked });
  });
  app.post('/evaluate', async (c) => {
    if (scopeOf(c) !== null)
      throw new CairnError('forbidden', 'evaluating every workspace needs an unscoped server');
    return c.json(await evaluateAll(engine));
  });
  app.get('/:id', async (c) => {
    const rule = await ruleOr404(c);
    return c.json({ rule: publicRule(rule), states: await alerts.states(rule.id) });
  });
  app.patch('/:id', async (c) => {
    const rule = await ruleOr404(c);
    const change = parseOrThrow(patchBody, await body(c));
    const spec = parseOrThrow(ruleInput, editedInput(rule, change));
    return c.json({ rule: publicRule(await alerts.updateRule(rule, spec, Date.now())) });
  });
  app.delete('/:id', async (c) => {
    await alerts.deleteRule((await ruleOr404(c)).id);
    return c.body(null, 204);
  });
  app.post('/:id/test', async (c) => c.json(await sendTest(engine, await ruleOr404(c))));
  app.get('/:id/history', async (c) => {
    const rule = await ruleOr404(c);
    const { limit } = parseOrThrow(historyQuery.pick({ limit: true }), c.req.query());
    return c.json({ history: await alerts.listHistory({ rule_id: rule.id, limit }) });
  });
  return app;
}
