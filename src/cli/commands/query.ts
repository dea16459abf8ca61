import type { Engine } from '../../engine.js';
import { formatResult, type OutputFormat } from '../format-rows.js';

/** `cairn query NAME --param value …`: the same named queries as GET /v1/NAME. */
export async function runQuery(
  engine: Engine,
  name: string,
  params: Record<string, string>,
  format: OutputFormat,
): Promise<number> {
  const result = await engine.query(name, params);
  // The plan (which rollups answered) is for JSON readers; tables and CSV show the answer only.
  const shown =
    Array.isArray(result) || result === null || typeof result !== 'object'
      ? result
      : (({ plan: _plan, ...rest }) => rest)(result as Record<string, unknown>);
  console.log(formatResult(format === 'json' ? result : shown, format));
  return 0;
}

/** Turns ["--by", "model", "--from", "2026-11-01"] into { by: "model", from: "2026-11-01" }. */
export function parseQueryParams(args: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--'))
      throw new Error(`unexpected argument "${arg}"; parameters are --name value`);
    const eq = arg.indexOf('=');
    if (eq !== -1) params[arg.slice(2, eq)] = arg.slice(eq + 1);
    else {
      const value = args[++i];
      if (value === undefined) throw new Error(`parameter ${arg} needs a value`);
      params[arg.slice(2)] = value;
    }
  }
  return params;
}
