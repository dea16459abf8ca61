import { describe, expect, it } from 'vitest';
import { parseDuration, publicRule, ruleInput, type AlertRule } from '../../src/alerts/rule.js';
import { loadConfig } from '../../src/core/config.js';

describe('parseDuration', () => {
  it.each([
    ['250', 250],
    [250, 250],
    ['250ms', 250],
    ['90s', 90_000],
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['30d', 2_592_000_000],
    [' 5m ', 300_000],
    ['5 m', null],
    ['1.5h', null],
    ['-1s', null],
    [-1, null],
    [1.5, null],
    ['soon', null],
  ] as const)('%j → %s', (input, ms) => expect(parseDuration(input)).toBe(ms));
});

describe('ruleInput', () => {
  const base = { workspace: 'w', name: 'n', metric: 'error_rate', critical: 0.1 };

  it('fills the defaults', () => {
    expect(ruleInput.parse(base)).toEqual({
      ...base,
      enabled: true,
      condition: 'above',
      warning: null,
      window_ms: 300_000,
      for_ms: 0,
      renotify_ms: 0,
      no_data: 'no_data',
      channels: [],
    });
  });

  it('orders thresholds by condition, and budgets default to 80 % / 100 %', () => {
    expect(ruleInput.safeParse({ ...base, warning: 0.2 }).success).toBe(false);
    expect(ruleInput.safeParse({ ...base, condition: 'below', warning: 0.2 }).success).toBe(true);
    const budget = ruleInput.parse({
      ...base,
      critical: undefined,
      metric: 'cost_budget',
      budget_usd: 5,
    });
    expect(budget).toMatchObject({ warning: 0.8, critical: 1 });
    const onlyCritical = ruleInput.parse({
      ...base,
      metric: 'cost_budget',
      budget_usd: 5,
      critical: 2,
    });
    expect(onlyCritical).toMatchObject({ warning: null, critical: 2 });
  });

  it('takes min_requests for ratios and quantiles only, naming the field', () => {
    expect(ruleInput.parse({ ...base, min_requests: 20 })).toMatchObject({ min_requests: 20 });
    const onLatency = { ...base, metric: 'latency_p95', critical: 500, min_requests: 5 };
    expect(ruleInput.safeParse(onLatency).success).toBe(true);
    const onSum = ruleInput.safeParse({ ...base, metric: 'cost_usd', min_requests: 5 });
    expect(onSum.success).toBe(false);
    expect(onSum.error?.issues[0]).toMatchObject({ path: ['min_requests'] });
    expect(onSum.error?.issues[0]?.message).toContain('not cost_usd');
    expect(ruleInput.safeParse({ ...base, min_requests: 0 }).success).toBe(false);
    expect(ruleInput.safeParse({ ...base, min_requests: 2.5 }).success).toBe(false);
  });

  it('refuses a zero window and a window past 400 days', () => {
    expect(ruleInput.safeParse({ ...base, window: 0 }).success).toBe(false);
    expect(ruleInput.safeParse({ ...base, window: '401d' }).success).toBe(false);
  });
});

describe('publicRule', () => {
  it('masks webhook secrets and SMTP passwords, and nothing else', () => {
    const rule = {
      ...ruleInput.parse({
        workspace: 'w',
        name: 'n',
        metric: 'errors',
        critical: 1,
        channels: [
          { type: 'webhook', url: 'https://h.example/x', secret: 'a-very-secret-value' },
          { type: 'email', to: ['a@example.com'], smtp: 'smtp://me:p%40ss@mail.example:2525' },
          { type: 'slack', url: 'https://hooks.example/s' },
        ],
      }),
      id: 'r',
      created_at: 0,
      updated_at: 0,
    } satisfies AlertRule;
    const shown = JSON.stringify(publicRule(rule));
    expect(shown).not.toContain('a-very-secret-value');
    expect(shown).not.toContain('p%40ss');
    expect(publicRule(rule).channels).toMatchObject([
      { url: 'https://h.example/x', secret: '********' },
      { smtp: 'smtp://me:********@mail.example:2525' },
      { url: 'https://hooks.example/********' },
    ]);
  });

  it('masks the token in a Slack URL and the query and user-info of a webhook URL', () => {
    const rule = {
      ...ruleInput.parse({
        workspace: 'w',
        name: 'n',
        metric: 'errors',
        critical: 1,
        channels: [
          { type: 'slack', url: 'https://hooks.slack.com/services/T0001/B0002/slacktoken123' },
          { type: 'slack', url: 'https://chat.example/hooks/mmtoken456?channel=ops' },
          {
            type: 'webhook',
            url: 'https://bot:hookpass789@ops.example:8443/cairn/in?token=qs0&v=2',
          },
          { type: 'webhook', url: 'https://apikey000@ops.example/cairn#frag111' },
        ],
      }),
      id: 'r',
      created_at: 0,
      updated_at: 0,
    } satisfies AlertRule;
    const shown = JSON.stringify(publicRule(rule));
    for (const secret of ['T0001', 'B0002', 'slacktoken123', 'mmtoken456', 'hookpass789', 'qs0'])
      expect(shown).not.toContain(secret);
    expect(shown).not.toContain('apikey000');
    expect(shown).not.toContain('frag111');
    expect(publicRule(rule).channels.map((c) => (c as { url: string }).url)).toEqual([
      'https://hooks.slack.com/services/********',
      'https://chat.example/hooks/********?channel=********',
      'https://********:********@ops.example:8443/cairn/in?token=********&v=********',
      'https://********@ops.example/cairn#********',
    ]);
    // The stored rule itself is untouched: delivery still uses the real URLs.
    expect(rule.channels[0]).toMatchObject({
      url: 'https://hooks.slack.com/services/T0001/B0002/slacktoken123',
    });
  });
});

describe('the alert interval', () => {
  it('comes from config.alerts.intervalMs, a minute by default, and must be positive', () => {
    expect(loadConfig({}).alerts.intervalMs).toBe(60_000);
    expect(loadConfig({ alerts: { intervalMs: 5_000 } }).alerts.intervalMs).toBe(5_000);
    expect(() => loadConfig({ alerts: { intervalMs: 0 } })).toThrow(/alerts\.intervalMs/);
  });
});
