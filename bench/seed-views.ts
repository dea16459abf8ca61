import { sql } from 'kysely';
import { createEngine } from '../src/engine.js';
import { SEED_ADAPTERS } from '../src/seeds/registry.js';
import type { Dataset } from './datasets.js';
import type { Metric } from './report.js';
import { percentiles, repeat, type RepeatOptions } from './stats.js';

/**
 * The seeds' SQL outputs as a BI tool reads them: `SELECT *` from every view the adapters
 * install, through the engine's own connection (the views are re-created from the current
 * source when the engine opens). Every row is fetched, so the figure includes computing every
 * column. The views compute from raw events at each read; this tracks what that costs as data
 * grows.
 */
export async function seedViewsBench(
  dataset: Dataset,
  label: string,
  o: RepeatOptions,
): Promise<{ metrics: Metric[]; notes: string[] }> {
  const engine = await createEngine({ db: dataset.db });
  const metrics: Metric[] = [];
  const slowest: Array<[string, number]> = [];
  try {
    for (const adapter of SEED_ADAPTERS.values()) {
      for (const view of adapter.views(engine.store.kind)) {
        let rows = 0;
        const select = async () => {
          const r = await sql`select * from ${sql.table(view.name)}`.execute(engine.store.reader);
          rows = r.rows.length;
        };
        const p = percentiles(await repeat(select, o));
        metrics.push({
          name: `seed_views.sqlite.${label}.${adapter.format}.${view.name}.p50`,
          value: p.p50,
          unit: 'ms',
          note: `${rows} rows; p95 ${p.p95.toFixed(0)} ms, ${p.n} runs`,
        });
        slowest.push([view.name, p.p50]);
      }
    }
  } finally {
    await engine.close();
  }
  slowest.sort((a, b) => b[1] - a[1]);
  const top = slowest.slice(0, 5).map(([n, ms]) => `${n} ${ms.toFixed(0)} ms`);
  return { metrics, notes: [`${label}: slowest seed views (p50): ${top.join(', ')}.`] };
}
