import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver } from '../../src/alerts/channels/index.js';
import {
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyWebhookSignature,
} from '../../src/alerts/channels/webhook.js';
import type { AlertNotification } from '../../src/alerts/notification.js';
import {
  closedPortUrl,
  startHttpReceiver,
  startSmtpReceiver,
  type HttpReceiver,
  type SmtpReceiver,
} from './receivers.js';

/** Every channel against a real local server the test starts; nothing is mocked. */
const NOW = Date.parse('2026-11-20T12:00:00Z');
const SECRET = 'a-webhook-secret-of-some-length';
const n: AlertNotification = {
  kind: 'firing',
  rule: {
    id: 'r1',
    name: 'Tool errors <search> & co',
    workspace: 'acme',
    metric: 'tool_error_rate',
    condition: 'above',
    window_ms: 300_000,
    group_by: 'tool',
  },
  group: 'search',
  state: 'firing',
  severity: 'critical',
  value: 0.25,
  threshold: 0.1,
  at: new Date(NOW).toISOString(),
  history_id: 'h1',
};

let http: HttpReceiver;
let smtp: SmtpReceiver;
beforeAll(async () => {
  [http, smtp] = await Promise.all([startHttpReceiver(), startSmtpReceiver()]);
});
afterAll(async () => {
  await Promise.all([http.close(), smtp.close()]);
});

describe('webhook', () => {
  it('POSTs the notification as JSON with a verifiable HMAC signature', async () => {
    http.received.length = 0;
    await deliver({ type: 'webhook', url: http.url, secret: SECRET }, n, NOW);
    const [req] = http.received;
    expect(req!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req!.body)).toEqual(n);
    expect(req!.headers[TIMESTAMP_HEADER]).toBe(String(NOW / 1000));
    expect(req!.headers[SIGNATURE_HEADER]).toMatch(/^sha256=[0-9a-f]{64}$/);
    const check = (over: Partial<Parameters<typeof verifyWebhookSignature>[0]>) =>
      verifyWebhookSignature({
        secret: SECRET,
        body: req!.body,
        timestamp: req!.headers[TIMESTAMP_HEADER] as string,
        signature: req!.headers[SIGNATURE_HEADER] as string,
        now: NOW + 1_000,
        ...over,
      });
    expect(check({})).toBe(true);
    expect(check({ body: req!.body.replace('0.25', '0.26') })).toBe(false);
    expect(check({ secret: `${SECRET}x` })).toBe(false);
    expect(check({ timestamp: String(NOW / 1000 + 1) })).toBe(false);
    expect(check({ now: NOW + 301_000 })).toBe(false); // a replay after the tolerance
    expect(check({ signature: undefined })).toBe(false);
  });

  it('sends no signature headers without a secret', async () => {
    http.received.length = 0;
    await deliver({ type: 'webhook', url: http.url }, n, NOW);
    expect(http.received[0]!.headers[SIGNATURE_HEADER]).toBeUndefined();
  });

  it('fails on a non-2xx answer, naming the status, and on a refused connection', async () => {
    http.status = 503;
    try {
      await expect(deliver({ type: 'webhook', url: http.url }, n, NOW)).rejects.toThrow(
        /HTTP 503: ok/,
      );
    } finally {
      http.status = 200;
    }
    await expect(
      deliver({ type: 'webhook', url: await closedPortUrl() }, n, NOW),
    ).rejects.toThrow();
  });
});

describe('slack', () => {
  it('posts an incoming-webhook message with text and blocks, mrkdwn escaped', async () => {
    http.received.length = 0;
    await deliver({ type: 'slack', url: http.url }, n, NOW);
    const msg = JSON.parse(http.received[0]!.body) as {
      text: string;
      blocks: Array<{ type: string; text?: { text: string }; elements?: unknown[] }>;
    };
    expect(msg.text).toContain('[FIRING critical] Tool errors <search> & co (tool=search)');
    expect(msg.text).toContain('tool_error_rate over 5m: 0.25 (threshold > 0.1)');
    expect(msg.blocks.map((b) => b.type)).toEqual(['section', 'context']);
    expect(msg.blocks[0]!.text!.text).toContain('Tool errors &lt;search&gt; &amp; co');
    expect(JSON.stringify(msg.blocks[1])).toContain('cairn alerts ack h1');
  });
});

describe('email', () => {
  it('sends a plain-text mail over SMTP to every recipient', async () => {
    const to = ['oncall@example.com', 'lead@example.com'];
    await deliver({ type: 'email', to, from: 'cairn@example.com', smtp: smtp.url }, n, NOW);
    const [mail] = smtp.mails;
    expect(mail!.from).toBe('cairn@example.com');
    expect(mail!.to).toEqual(to);
    expect(mail!.raw).toMatch(
      /^Subject: \[FIRING critical\] Tool errors <search> & co \(tool=search\)/m,
    );
    expect(mail!.raw).toContain('tool_error_rate over 5m: 0.25 (threshold > 0.1)');
    expect(mail!.raw).toContain('state: firing; workspace: acme');
  });

  it('fails when no SMTP server answers', async () => {
    const smtpUrl = (await closedPortUrl()).replace('http://', 'smtp://').replace('/hook', '');
    await expect(
      deliver(
        { type: 'email', to: ['a@example.com'], from: 'c@example.com', smtp: smtpUrl },
        n,
        NOW,
      ),
    ).rejects.toThrow();
  });
});
