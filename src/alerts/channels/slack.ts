import { detailLines, headline, type AlertNotification } from '../notification.js';
import type { Channel } from '../rule.js';
import { postJson } from './post-json.js';

/**
 * The incoming-webhook message: `text` (what notifications and clients without blocks show)
 * and Block Kit blocks — a header-like section and a context line. Slack-compatible receivers
 * (Mattermost, Rocket.Chat, Discord's /slack endpoint) read `text` at least.
 */
export function slackMessage(n: AlertNotification): { text: string; blocks: unknown[] } {
  const title = headline(n);
  const [fact, ...context] = detailLines(n);
  return {
    text: `${title}\n${fact}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${escape(title)}*\n${escape(fact!)}` } },
      { type: 'context', elements: context.map((t) => ({ type: 'mrkdwn', text: escape(t) })) },
    ],
  };
}

/** Slack's mrkdwn treats &, < and > as markup; a rule name must not become a link. */
function escape(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export async function sendSlack(
  channel: Extract<Channel, { type: 'slack' }>,
  n: AlertNotification,
): Promise<void> {
  await postJson(channel.url, JSON.stringify(slackMessage(n)));
}
