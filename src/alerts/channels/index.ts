import type { AlertNotification } from '../notification.js';
import type { Channel } from '../rule.js';
import { sendEmail } from './email.js';
import { sendSlack } from './slack.js';
import { sendWebhook } from './webhook.js';

/**
 * Delivers one notification to one channel: one function over the channel union, each channel
 * in its own file. Throws when the channel did not accept it; the caller records the error.
 */
export function deliver(channel: Channel, n: AlertNotification, now: number): Promise<void> {
  switch (channel.type) {
    case 'webhook':
      return sendWebhook(channel, n, now);
    case 'slack':
      return sendSlack(channel, n);
    case 'email':
      return sendEmail(channel, n);
  }
}
