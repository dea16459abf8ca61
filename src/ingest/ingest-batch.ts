import type { Config } from '../core/config.js';
import type { CairnEvent } from '../core/event.js';
import { validateEvent, type ValidationContext } from '../core/validate-event.js';
import type { Pricer } from '../pricing/pricer.js';
import type { Store } from '../store/store.js';
import type { BatchResult, ItemRejection, RawItem } from './raw-item.js';

export interface IngestDeps {
  store: Store;
  pricer: Pricer;
  config: Config;
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
  const valid = validateAll(items, validationContext(deps.config, now), rejected);
  const unique = dropRepeats(valid, rejected);
  const events = await deps.pricer.applyAll(unique);
  const { inserted, duplicates } = await deps.store.insertEvents(events, now);
  rejected.sort((a, b) => a.index - b.index);
  return { accepted: inserted.length, duplicates, rejected };
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

/** Within one batch the first occurrence of a (workspace, id) wins; later ones are reported. */
function dropRepeats(valid: Indexed[], rejected: ItemRejection[]): CairnEvent[] {
  const firstIndex = new Map<string, number>();
  const out: CairnEvent[] = [];
  for (const { index, event } of valid) {
    const key = `${event.workspace}\u0000${event.id}`;
    const first = firstIndex.get(key);
    if (first === undefined) {
      firstIndex.set(key, index);
      out.push(event);
    } else {
      rejected.push({
        index,
        id: event.id,
        code: 'duplicate_in_batch',
        message: `id: "${event.id}" already appears at index ${first} of this batch; that one was kept`,
      });
    }
  }
  return out;
}

function idOf(value: unknown): string | null {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id.slice(0, 256) : null;
}
