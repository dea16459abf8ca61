import { createEngine } from '../src/engine.js';
import { rebuildRollups } from '../src/maintenance/rebuild.js';
import { verifyRollups } from '../src/maintenance/verify.js';
import type { Dataset } from './datasets.js';
import { targetIf, type Metric } from './report.js';

/**
 * verify and rebuild over a whole dataset (every UTC day from the first event to the last).
 * Verify runs first and must find no difference; rebuild then rewrites the same rollups (the
 * cached dataset is unchanged in content).
 */
export async function maintenance(
  dataset: Dataset,
  label: string,
  targets: boolean,
): Promise<{ metrics: Metric[]; notes: string[] }> {
  const engine = await createEngine({ db: dataset.db });
  try {
    const from = (await engine.store.eventTimeRange()).first ?? 0;
    const range = { from, to: dataset.to };
    let t0 = performance.now();
    const verified = await verifyRollups(engine.store, range);
    const verifyS = (performance.now() - t0) / 1000;
    t0 = performance.now();
    const rebuilt = await rebuildRollups(engine.store, range);
    const rebuildS = (performance.now() - t0) / 1000;
    const n = dataset.stored;
    const p = `maintenance.sqlite.${label}`;
    return {
      metrics: [
        {
          name: `${p}.rebuild_events_per_s`,
          value: n / rebuildS,
          unit: 'ev/s',
          ...targetIf(targets, '>=', 150_000),
        },
        { name: `${p}.verify_events_per_s`, value: n / verifyS, unit: 'ev/s' },
        {
          name: `${p}.verify_differences`,
          value: verified.differences.length,
          unit: '',
          ...targetIf(true, '<=', 0),
        },
      ],
      notes: [
        `${label}: verify checked ${verified.rowsChecked} rollup rows over ${verified.days} days in ${verifyS.toFixed(1)} s; rebuild rewrote ${rebuilt.days} days (${rebuilt.events} events) in ${rebuildS.toFixed(1)} s.`,
      ],
    };
  } finally {
    await engine.close();
  }
}
