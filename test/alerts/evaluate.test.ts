import { describe, expect, it } from 'vitest';
import { evaluate, severityOf, type EvalRule, type GroupState } from '../../src/alerts/evaluate.js';

/**
 * The evaluator is pure, so each case is a table: a rule, then one row per evaluation with the
 * metric's value(s) at that minute, the state each group should be in afterwards and the
 * notifications that evaluation should produce.
 */
const MIN = 60_000;
const base: EvalRule = {
  condition: 'above',
  warning: 0.05,
  critical: 0.1,
  for_ms: 0,
  renotify_ms: 0,
  no_data: 'no_data',
  absent_is_zero: false,
};

/** One evaluation: minute, values per group ('' for an ungrouped rule), expected outcome. */
type Row = [
  minute: number,
  values: Record<string, number | null>,
  states: Record<string, string>,
  notified: string[],
];

/** Runs the rows in order, threading states, and checks every row; returns the final states. */
function play(rule: EvalRule, rows: Row[], start: GroupState[] = []): GroupState[] {
  let states = start;
  for (const [minute, values, expected, notified] of rows) {
    const series = Object.entries(values).map(([group, value]) => ({ group, value }));
    const r = evaluate(rule, series, states, minute * MIN);
    const got = Object.fromEntries(r.states.map((s) => [s.group, s.state]));
    const want = Object.fromEntries(Object.entries(expected).filter(([, s]) => s !== 'ok'));
    expect({ minute, states: got }).toEqual({ minute, states: want });
    expect({ minute, notified: r.events.map((e) => `${e.group}:${e.kind}:${e.severity}`) }).toEqual(
      { minute, notified },
    );
    states = r.states;
  }
  return states;
}

const one = (v: number | null) => ({ '': v });

describe('severityOf', () => {
  it.each([
    ['above', 0.04, null],
    ['above', 0.05, null], // equal to the threshold is not a breach
    ['above', 0.06, 'warning'],
    ['above', 0.5, 'critical'],
    ['below', 0.5, null],
    ['below', 0.09, 'warning'],
    ['below', 0.01, 'critical'],
  ] as const)('%s: %d → %s', (condition, value, severity) => {
    const rule =
      condition === 'above' ? base : { ...base, condition, warning: 0.1, critical: 0.05 };
    expect(severityOf(rule, value)).toBe(severity);
  });

  it('works with only one threshold', () => {
    expect(severityOf({ ...base, warning: null }, 0.07)).toBeNull();
    expect(severityOf({ ...base, critical: null }, 0.5)).toBe('warning');
  });
});

describe('evaluate: states and transitions', () => {
  it('fires at once without a for-duration, resolves once, then is ok', () => {
    play(base, [
      [0, one(0.01), { '': 'ok' }, []],
      [1, one(0.07), { '': 'firing' }, [':firing:warning']],
      [2, one(0.08), { '': 'firing' }, []],
      [3, one(0.2), { '': 'firing' }, [':severity:critical']],
      [4, one(0.06), { '': 'firing' }, [':severity:warning']],
      [5, one(0.01), { '': 'resolved' }, [':resolved:warning']],
      [6, one(0.01), { '': 'ok' }, []],
    ]);
  });

  it('waits out the for-duration in pending; a dip back resets it', () => {
    play({ ...base, for_ms: 2 * MIN }, [
      [0, one(0.2), { '': 'pending' }, []],
      [1, one(0.2), { '': 'pending' }, []],
      [2, one(0.01), { '': 'ok' }, []], // never fired: nothing to resolve, nothing sent
      [3, one(0.07), { '': 'pending' }, []],
      [4, one(0.2), { '': 'pending' }, []],
      [5, one(0.2), { '': 'firing' }, [':firing:critical']],
    ]);
  });

  it('re-notifies while firing at the interval, counted from the last notification', () => {
    play({ ...base, renotify_ms: 10 * MIN }, [
      [0, one(0.2), { '': 'firing' }, [':firing:critical']],
      [9, one(0.2), { '': 'firing' }, []],
      [10, one(0.2), { '': 'firing' }, [':renotify:critical']],
      [15, one(0.06), { '': 'firing' }, [':severity:warning']],
      [24, one(0.06), { '': 'firing' }, []],
      [25, one(0.06), { '': 'firing' }, [':renotify:warning']],
    ]);
  });

  it('never re-notifies with renotify 0', () => {
    play(base, [
      [0, one(0.2), { '': 'firing' }, [':firing:critical']],
      [600, one(0.2), { '': 'firing' }, []],
    ]);
  });

  it('an acknowledgement silences re-notification until the severity changes', () => {
    const rule = { ...base, renotify_ms: 10 * MIN };
    const [firing] = play(rule, [[0, one(0.2), { '': 'firing' }, [':firing:critical']]]);
    play(
      rule,
      [
        [10, one(0.2), { '': 'firing' }, []],
        [30, one(0.2), { '': 'firing' }, []],
        [31, one(0.06), { '': 'firing' }, [':severity:warning']],
        [41, one(0.06), { '': 'firing' }, [':renotify:warning']],
      ],
      [{ ...firing!, acknowledged: true }],
    );
  });

  it('an incident that goes through no_data is one incident: fired once, resolved once', () => {
    // for 2m, no-data policy no_data; threshold 10.
    const rule = { ...base, warning: null, critical: 10, for_ms: 2 * MIN };
    const opening: Row[] = [
      [0, one(20), { '': 'pending' }, []],
      [2, one(20), { '': 'firing' }, [':firing:critical']],
      [3, one(null), { '': 'no_data' }, [':no_data:null']],
      // Back in breach: straight back to firing, nothing new to tell.
      [4, one(20), { '': 'firing' }, []],
    ];
    play(rule, [...opening, [5, one(5), { '': 'resolved' }, [':resolved:critical']]]);
    // The breach persists past `for`: no second firing for the same incident.
    play(rule, [
      ...opening,
      [5, one(20), { '': 'firing' }, []],
      [6, one(20), { '': 'firing' }, []],
      [7, one(5), { '': 'resolved' }, [':resolved:critical']],
    ]);
  });

  it('returning from no_data at another severity tells of the change; reminders go on', () => {
    const rule = { ...base, renotify_ms: 10 * MIN };
    play(rule, [
      [0, one(0.07), { '': 'firing' }, [':firing:warning']],
      [1, one(null), { '': 'no_data' }, [':no_data:null']],
      [2, one(0.2), { '': 'firing' }, [':severity:critical']],
      [11, one(0.2), { '': 'firing' }, []],
      [12, one(0.2), { '': 'firing' }, [':renotify:critical']],
    ]);
  });

  it('no_data that interrupted no firing episode re-enters through pending as usual', () => {
    play({ ...base, for_ms: 2 * MIN }, [
      [0, one(0.2), { '': 'pending' }, []],
      [1, one(null), { '': 'no_data' }, [':no_data:null']],
      [2, one(0.2), { '': 'pending' }, []],
      [4, one(0.2), { '': 'firing' }, [':firing:critical']],
    ]);
  });

  it('a severity change starts a new acknowledgement episode (since moves)', () => {
    const [warning] = play(base, [[0, one(0.07), { '': 'firing' }, [':firing:warning']]]);
    const r = evaluate(base, [{ group: '', value: 0.2 }], [warning!], 3 * MIN);
    expect(r.states[0]).toMatchObject({ state: 'firing', severity: 'critical', since: 3 * MIN });
  });

  it('below: a volume drop', () => {
    play({ ...base, condition: 'below', warning: 100, critical: 10 }, [
      [0, one(500), { '': 'ok' }, []],
      [1, one(50), { '': 'firing' }, [':firing:warning']],
      [2, one(0), { '': 'firing' }, [':severity:critical']],
      [3, one(120), { '': 'resolved' }, [':resolved:critical']],
    ]);
  });
});

describe('evaluate: no-data policies', () => {
  it.each<[EvalRule['no_data'], Row[]]>([
    [
      'no_data',
      [
        [1, one(null), { '': 'no_data' }, [':no_data:null']],
        [2, one(null), { '': 'no_data' }, []],
        // The incident that was firing (critical) before the data went missing is resolved.
        [3, one(0.01), { '': 'resolved' }, [':resolved:critical']],
      ],
    ],
    [
      'ok',
      [
        [1, one(null), { '': 'resolved' }, [':resolved:critical']],
        [2, one(null), { '': 'ok' }, []],
      ],
    ],
    [
      'keep',
      [
        [1, one(null), { '': 'firing' }, []],
        [2, one(null), { '': 'firing' }, []],
        [3, one(0.01), { '': 'resolved' }, [':resolved:critical']],
      ],
    ],
    [
      'alerting',
      [
        [1, one(null), { '': 'firing' }, []],
        [2, one(0.01), { '': 'resolved' }, [':resolved:critical']],
        [3, one(null), { '': 'firing' }, [':firing:critical']],
      ],
    ],
  ])('%s', (no_data, rows) => {
    const rule = { ...base, no_data };
    play(rule, [[0, one(0.2), { '': 'firing' }, [':firing:critical']], ...rows]);
  });

  it('keep from ok stays ok; alerting from ok honours the for-duration', () => {
    play({ ...base, no_data: 'keep' }, [[0, one(null), { '': 'ok' }, []]]);
    play({ ...base, no_data: 'alerting', for_ms: MIN }, [
      [0, one(null), { '': 'pending' }, []],
      [1, one(null), { '': 'firing' }, [':firing:critical']],
    ]);
  });
});

describe('evaluate: groups', () => {
  it('keeps a state per group and forgets groups that go away while ok', () => {
    play({ ...base, absent_is_zero: false }, [
      [0, { search: 0.2, fetch: 0.01 }, { search: 'firing' }, ['search:firing:critical']],
      [
        1,
        { search: 0.2, fetch: 0.07 },
        { search: 'firing', fetch: 'firing' },
        ['fetch:firing:warning'],
      ],
      [
        2,
        { fetch: 0.01 },
        { search: 'no_data', fetch: 'resolved' },
        ['fetch:resolved:warning', 'search:no_data:null'],
      ],
      [3, { search: 0.01 }, { search: 'resolved' }, ['search:resolved:critical']],
      [4, {}, {}, []],
    ]);
  });

  it('for sums, a vanished group counts as zero (a user who stopped spending)', () => {
    const budget = { ...base, warning: 0.8, critical: 1, absent_is_zero: true };
    play(budget, [
      [0, { alice: 0.5, bob: 1.2 }, { bob: 'firing' }, ['bob:firing:critical']],
      [
        1,
        { alice: 0.9 },
        { alice: 'firing', bob: 'resolved' },
        ['alice:firing:warning', 'bob:resolved:critical'],
      ],
      [2, {}, { alice: 'resolved' }, ['alice:resolved:warning']],
      [3, {}, {}, []],
    ]);
  });

  it('stamps notifications with value, threshold and time', () => {
    const r = evaluate(base, [{ group: '', value: 0.2 }], [], 5 * MIN);
    expect(r.events).toEqual([
      {
        group: '',
        kind: 'firing',
        state: 'firing',
        severity: 'critical',
        value: 0.2,
        threshold: 0.1,
        at: 5 * MIN,
      },
    ]);
    expect(r.states[0]).toMatchObject({
      since: 5 * MIN,
      last_notified_at: 5 * MIN,
      acknowledged: false,
    });
  });
});
