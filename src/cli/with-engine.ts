import { Option } from 'commander';
import { loadConfig, type ConfigInput } from '../core/config.js';
import { createEngine, type Engine } from '../engine.js';

export const DEFAULT_DB = './cairn.db';

/** The --db option every data command takes (also from CAIRN_DB). */
export const dbOption = () =>
  new Option('--db <path|url>', 'SQLite file, postgres://… URL, or pglite:memory|pglite:DIR').env(
    'CAIRN_DB',
  );

/** Opens the engine for a data command, runs it, and always closes the database. */
export async function withEngine(
  config: ConfigInput,
  run: (engine: Engine) => Promise<number>,
): Promise<void> {
  const engine = await createEngine(loadConfig(config));
  try {
    process.exitCode = await run(engine);
  } finally {
    await engine.close();
  }
}
