import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALERT_STATES, NOTIFICATION_KINDS } from '../../src/alerts/evaluate.js';
import { ALERT_METRICS } from '../../src/alerts/metrics.js';
import { NO_DATA_POLICIES, channelSchema } from '../../src/alerts/rule.js';

/** docs/alerts.md names everything a user can set or receive. */
const text = readFileSync(new URL('../../docs/alerts.md', import.meta.url), 'utf8');
const tableKeys = new Set([...text.matchAll(/^\| `([a-z_0-9]+)`/gm)].map((m) => m[1]));

describe('docs/alerts.md stays true to the code', () => {
  it('documents every metric, state and no-data policy in a table', () => {
    for (const name of [...Object.keys(ALERT_METRICS), ...ALERT_STATES, ...NO_DATA_POLICIES])
      expect(text, name).toMatch(new RegExp(`^\\| [^\\n]*\`${name}\``, 'm'));
    expect(tableKeys.has('cost_budget')).toBe(true);
  });

  it('documents every notification kind and channel type', () => {
    for (const kind of NOTIFICATION_KINDS) expect(text).toContain(`\`${kind}\``);
    for (const option of channelSchema.options)
      expect(text).toContain(`"type": "${option.shape.type.value}"`);
  });
});
