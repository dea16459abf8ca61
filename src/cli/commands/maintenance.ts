import type { Engine } from '../../engine.js';
import { rebuildRollups } from '../../maintenance/rebuild.js';
import { repriceEvents } from '../../maintenance/reprice.js';
import { describeSkipped, verifyRollups } from '../../maintenance/verify.js';
import { Progress } from '../progress.js';

export interface RangeOptions {
  from: number;
  to: number;
  workspace?: string;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** `cairn verify`: exit 0 when the rollups equal a recomputation from raw, 1 otherwise. */
export async function runVerify(engine: Engine, o: RangeOptions): Promise<number> {
  const progress = new Progress('verify', null);
  const r = await verifyRollups(engine.store, {
    ...o,
    onDay: (d, done, total) => progress.update(done, `of ${total} days (${day(d)})`),
  });
  progress.done();
  for (const d of r.differences.slice(0, 50)) {
    console.log(
      `${d.table} [${d.key}]\n  stored:   ${d.stored ?? '(no row)'}\n  expected: ${d.expected ?? '(no row)'}`,
    );
  }
  for (const s of r.skipped) console.log(describeSkipped(s));
  console.log(
    `verified ${r.days} days, ${r.rowsChecked.toLocaleString('en-US')} rollup rows: ${r.differences.length} differences`,
  );
  return r.differences.length === 0 ? 0 : 1;
}

/** `cairn rebuild`: regenerates the rollups of the range from raw events. */
export async function runRebuild(engine: Engine, o: RangeOptions): Promise<number> {
  const progress = new Progress('rebuild', null);
  const started = performance.now();
  const r = await rebuildRollups(engine.store, {
    ...o,
    onDay: (d, done, total) => progress.update(done, `of ${total} days (${day(d)})`),
  });
  progress.done();
  for (const s of r.skipped) console.log(describeSkipped(s));
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `rebuilt ${r.days} days from ${r.events.toLocaleString('en-US')} events in ${seconds.toFixed(1)} s (${Math.round(r.events / Math.max(seconds, 0.001)).toLocaleString('en-US')} events/s)`,
  );
  return 0;
}

/** `cairn reprice`: recomputes costs with today's prices and overrides, rollups included. */
export async function runReprice(engine: Engine, o: RangeOptions): Promise<number> {
  const progress = new Progress('reprice', null);
  const r = await repriceEvents(engine.store, engine.pricer, {
    ...o,
    onDay: (d, done, total) => progress.update(done, `of ${total} days (${day(d)})`),
  });
  progress.done();
  const usd = r.deltaNanos / 1e9;
  console.log(
    `repriced ${r.examined.toLocaleString('en-US')} events: ${r.changed.toLocaleString('en-US')} changed, total cost ${usd >= 0 ? '+' : '−'}$${Math.abs(usd).toFixed(6)}`,
  );
  return 0;
}
