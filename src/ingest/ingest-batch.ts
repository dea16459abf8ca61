import type { Config } from '../core/config.js';
import { canonicalJson } from '../core/canonical-json.js';
import type { CairnEvent } from '../core/event.js';
import { validateEvent, type ValidationContext } from '../core/validate-event.js';
import type { Pricer } from '../pricing/pricer.js';
import type { Store } from '../store/store.js';
import type { BatchResult, ItemRejection, RawItem } from './raw-item.js';

export interface IngestDeps {
  store: Store;
  pricer: Pricer;
  config: Config;
  /** The only workspace items may name (an API key's); null admits any. */
  scope?: string | null;
  /**
   * Per workspace, the time before which retention deleted the raw events; events older than
   * that are refused, since a redelivery of a deleted event could not be recognised.
   */
  rawHorizons?: () => Promise<ReadonlyMap<string, number>>;
}

/**
 * The ingest pipeline: validate each item, drop repeats within the batch, price what carries
 * usage but no cost, and store the rest in one transaction. Bad items are reported by index and
 * never block the good ones; the promise settles only after the commit.
 */
export async function ingestBatch(
  items: readonly RawItem[],
  deps: IngestDeps,
  now = Date.now(),
): Promise<BatchResult> {
  const rejected: ItemRejection[] = [];
  const inScopeItems = inScope(
    validateAll(items, validationContext(deps.config, now), rejected),
    deps.scope ?? null,
    rejected,
  );
  const valid = deps.rawHorizons
    ? afterHorizons(inScopeItems, await deps.rawHorizons(), rejected)
    : inScopeItems;
  const unique = dropRepeats(valid, rejected);
  const events = await deps.pricer.applyAll(unique.events);
  const { inserted, updated, duplicates } = await deps.store.insertEvents(events, now);
  rejected.sort((a, b) => a.index - b.index);
  return { accepted: inserted.length, updated, duplicates: duplicates + unique.repeats, rejected };
}

export function validationContext(config: Config, now: number): ValidationContext {
  const i = config.ingest;
  return {
    defaultWorkspace: i.defaultWorkspace,
    maxEventBytes: i.maxEventBytes,
    window: { now, maxFutureMs: i.maxFutureMs, maxPastMs: i.maxPastDays * 86_400_000 },
  };
}

interface Indexed {
  index: number;
  event: CairnEvent;
}

/** Rejects items that name a workspace other than the scope; their siblings are unaffected. */
function inScope(valid: Indexed[], scope: string | null, rejected: ItemRejection[]): Indexed[] {
  if (scope === null) return valid;
  return valid.filter(({ index, event }) => {
    if (event.workspace === scope) return true;
    rejected.push({
      index,
      id: event.id,
      code: 'workspace_not_allowed',
      message: `workspace: ${JSON.stringify(event.workspace)} is not this API key's workspace (${JSON.stringify(scope)})`,
    });
    return false;
  });
}

/** Rejects items older than their workspace's raw retention horizon. */
function afterHorizons(
  valid: Indexed[],
  horizons: ReadonlyMap<string, number>,
  rejected: ItemRejection[],
): Indexed[] {
  if (horizons.size === 0) return valid;
  return valid.filter(({ index, event }) => {
    const horizon = horizons.get(event.workspace);
    if (horizon === undefined || event.timestamp >= horizon) return true;
    rejected.push({
      index,
      id: event.id,
      code: 'before_retention',
      message: `timestamp: ${new Date(event.timestamp).toISOString()} is before ${new Date(horizon).toISOString()}, where retention deleted workspace ${JSON.stringify(event.workspace)}'s raw events; a redelivery that old could not be recognised, so the event was not stored`,
    });
    return false;
  });
}

function validateAll(
  items: readonly RawItem[],
  ctx: ValidationContext,
  rejected: ItemRejection[],
): Indexed[] {
  const valid: Indexed[] = [];
  items.forEach((item, index) => {
    if (!item.ok) {
      rejected.push({ index, id: null, code: item.code, message: item.message });
      return;
    }
    const result = validateEvent(item.value, ctx);
    if (result.ok) valid.push({ index, event: result.event });
    else rejected.push({ index, id: idOf(item.value), code: result.code, message: result.message });
  });
  return valid;
}

/**
 * Within one batch the first occurrence of a (workspace, id) wins. A repeat identical to it is a
 * redelivery and counts as a duplicate; a repeat with a higher revision supersedes it (the lower
 * one counts as a duplicate); a repeat that differs at the same revision is a conflict and is
 * rejected.
 */
function dropRepeats(
  valid: Indexed[],
  rejected: ItemRejection[],
): { events: CairnEvent[]; repeats: number } {
  const kept = new Map<string, Indexed>();
  let repeats = 0;
  for (const item of valid) {
    const key = `${item.event.workspace}\u0000${item.event.id}`;
    const first = kept.get(key);
    if (first === undefined) kept.set(key, item);
    else if (item.event.revision !== first.event.revision) {
      repeats++;
      if (item.event.revision > first.event.revision) kept.set(key, item);
    } else if (canonicalJson(first.event) === canonicalJson(item.event)) repeats++;
    else rejected.push(conflict(item, first.index));
  }
  return { events: [...kept.values()].map((i) => i.event), repeats };
}

function conflict(item: Indexed, firstIndex: number): ItemRejection {
  return {
    index: item.index,
    id: item.event.id,
    code: 'duplicate_in_batch',
    message: `id: "${item.event.id}" appears at index ${firstIndex} of this batch with different content and the same revision; that one was kept`,
  };
}

function idOf(value: unknown): string | null {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id.slice(0, 256) : null;
}
