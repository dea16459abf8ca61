import { randomUUID } from 'node:crypto';
import type { Engine } from '../../engine.js';
import type { PriceOverride } from '../../pricing/price-override.js';

export interface PriceSetOptions {
  workspace: string;
  model: string;
  provider?: string;
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
  from?: number;
}

/** `cairn prices set`: adds a workspace override (USD per million tokens). */
export async function runPriceSet(engine: Engine, o: PriceSetOptions): Promise<number> {
  const override: PriceOverride = {
    id: randomUUID(),
    workspace: o.workspace,
    model: o.model,
    provider: o.provider ?? null,
    input_per_mtok: o.input,
    output_per_mtok: o.output,
    cache_read_per_mtok: o.cacheRead ?? null,
    cache_write_per_mtok: o.cacheWrite ?? null,
    effective_from: o.from ?? 0,
  };
  await engine.pricer.putOverride(override);
  console.log(`price override ${override.id} set for ${o.model} in workspace ${o.workspace}`);
  return 0;
}

export async function runPriceList(engine: Engine, workspace: string): Promise<number> {
  const rows = await engine.pricer.overridesFor(workspace);
  if (rows.length === 0) console.log(`no price overrides in workspace ${workspace}`);
  for (const r of rows) {
    const from = r.effective_from ? new Date(r.effective_from).toISOString() : 'always';
    console.log(
      `${r.id}  ${r.provider ?? '*'}/${r.model}  in $${r.input_per_mtok}  out $${r.output_per_mtok}  cache read $${r.cache_read_per_mtok ?? r.input_per_mtok}  cache write $${r.cache_write_per_mtok ?? r.input_per_mtok} per Mtok  from ${from}`,
    );
  }
  return 0;
}

export async function runPriceDelete(
  engine: Engine,
  workspace: string,
  id: string,
): Promise<number> {
  const deleted = await engine.pricer.deleteOverride(workspace, id);
  console.log(deleted ? `deleted ${id}` : `no override ${id} in workspace ${workspace}`);
  return deleted ? 0 : 1;
}
