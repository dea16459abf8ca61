import { createTransport } from 'nodemailer';
import { detailLines, headline, type AlertNotification } from '../notification.js';
import type { Channel } from '../rule.js';

/** How long an SMTP server may take to connect, greet, and answer each command. */
const SMTP_TIMEOUT_MS = 10_000;

/** Subject and plain-text body of the alert email. */
export function emailMessage(n: AlertNotification): { subject: string; text: string } {
  return { subject: headline(n), text: `${detailLines(n).join('\n')}\n` };
}

/**
 * Nodemailer transport options from the channel's URL: smtps:// is TLS from the start (port 465
 * by default); smtp:// upgrades with STARTTLS when the server offers it (port 587 by default).
 */
export function smtpOptions(smtpUrl: string) {
  const u = new URL(smtpUrl);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    ...(u.username
      ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } }
      : {}),
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  };
}

/**
 * Sends one plain-text email. A transport per send: alerts are rare, and a pooled connection
 * would outlive the scheduler's tick.
 */
export async function sendEmail(
  channel: Extract<Channel, { type: 'email' }>,
  n: AlertNotification,
): Promise<void> {
  const transport = createTransport(smtpOptions(channel.smtp));
  try {
    await transport.sendMail({ from: channel.from, to: channel.to, ...emailMessage(n) });
  } finally {
    transport.close();
  }
}
