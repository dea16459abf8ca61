import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AlertNotification } from '../notification.js';
import type { Channel } from '../rule.js';
import { postJson } from './post-json.js';

/** Headers of a signed webhook request. */
export const TIMESTAMP_HEADER = 'x-cairn-timestamp';
export const SIGNATURE_HEADER = 'x-cairn-signature';

/**
 * `sha256=` + hex HMAC-SHA256 of `${timestamp}.${body}` under the channel's secret. Signing the
 * timestamp with the body lets a receiver refuse replays of an old request (see
 * verifyWebhookSignature).
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface VerifyInput {
  secret: string;
  /** The raw request body, exactly as received (before any JSON parsing). */
  body: string;
  timestamp: string | null | undefined;
  signature: string | null | undefined;
  /** Epoch ms; the receiver's clock. */
  now: number;
  /** Oldest accepted request, in seconds (default 300). */
  toleranceSeconds?: number;
}

/** What a receiver runs: true when the signature matches and the timestamp is recent. */
export function verifyWebhookSignature(v: VerifyInput): boolean {
  if (!v.timestamp || !v.signature || !/^\d{1,12}$/.test(v.timestamp)) return false;
  const ts = Number(v.timestamp);
  if (Math.abs(v.now / 1000 - ts) > (v.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(v.secret, ts, v.body));
  const given = Buffer.from(v.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** POSTs the notification as JSON, signed when the channel has a secret. */
export async function sendWebhook(
  channel: Extract<Channel, { type: 'webhook' }>,
  n: AlertNotification,
  now: number,
): Promise<void> {
  const body = JSON.stringify(n);
  const headers: Record<string, string> = {};
  if (channel.secret !== undefined) {
    const ts = Math.floor(now / 1000);
    headers[TIMESTAMP_HEADER] = String(ts);
    headers[SIGNATURE_HEADER] = signWebhook(channel.secret, ts, body);
  }
  await postJson(channel.url, body, headers);
}
