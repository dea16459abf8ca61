/** A wire event as tests build it. */
export type Wire = Record<string, unknown>;
/** Active UTC days (day-start epoch ms) per user, keyed "workspace␀user_id". */
export type Days = Map<string, Set<number>>;

const DAY = 86_400_000;

/**
 * Active UTC days per user from wire events as the store keeps them: the first delivery of a
 * (workspace, id) wins, and events without a user count for nobody. The tests' independent
 * reckoning of DAU/WAU/MAU and cohorts starts from here.
 */
export function activeDays(events: readonly Wire[], workspace?: string): Days {
  const seen = new Set<string>();
  const days: Days = new Map();
  for (const e of events) {
    const key = `${e.workspace as string}\u0000${e.id as string}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!e.user_id || (workspace !== undefined && e.workspace !== workspace)) continue;
    const ts = typeof e.timestamp === 'number' ? e.timestamp : Date.parse(e.timestamp as string);
    const user = `${e.workspace as string}\u0000${e.user_id as string}`;
    if (!days.has(user)) days.set(user, new Set());
    days.get(user)!.add(Math.floor(ts / DAY) * DAY);
  }
  return days;
}
