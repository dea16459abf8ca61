import { Command, InvalidArgumentError, Option } from 'commander';
import type { Engine } from '../../engine.js';
import { applyRetention, retentionWorkspaces } from '../../maintenance/retention-apply.js';
import {
  ALL_WORKSPACES,
  parseDays,
  RETENTION_TARGETS,
  type RetentionDays,
  type RetentionTarget,
} from '../../maintenance/retention-policy.js';
import {
  policyOf,
  readPolicies,
  readWatermarks,
  writePolicy,
  type PolicyChange,
} from '../../maintenance/retention-store.js';
import { dbOption, DEFAULT_DB, withEngine } from '../with-engine.js';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const count = (n: number) => n.toLocaleString('en-US');

/** `cairn retention show | set | apply [--dry-run]`: per-workspace retention policies. */
export function retentionCommand(): Command {
  const cmd = new Command('retention').description(
    'retention policies: how long raw events, message content and each rollup grain are kept',
  );
  cmd
    .command('show')
    .description('print the policy in force for each workspace and what has been deleted')
    .addOption(dbOption().default(DEFAULT_DB))
    .action((o: { db: string }) => withEngine({ db: o.db }, runShow));
  const set = cmd
    .command('set')
    .description('change limits of a workspace ("*": every workspace without its own)')
    .requiredOption('--workspace <name>', 'workspace, or * for the defaults of all')
    .addOption(dbOption().default(DEFAULT_DB));
  for (const t of RETENTION_TARGETS) set.addOption(daysOption(t));
  set.action((o: { db: string; workspace: string } & Record<string, RetentionDays | null>) =>
    withEngine({ db: o.db }, (e) => runSet(e, o.workspace, changeOf(o))),
  );
  cmd
    .command('apply')
    .description('delete what the policies no longer keep, in small batches')
    .option('--dry-run', 'print what would be deleted, deleting nothing')
    .option('--workspace <name>', 'only this workspace')
    .addOption(dbOption().default(DEFAULT_DB))
    .action((o: { db: string; dryRun?: boolean; workspace?: string }) =>
      withEngine({ db: o.db }, (e) => runApply(e, Boolean(o.dryRun), o.workspace)),
    );
  return cmd;
}

function daysOption(target: RetentionTarget): Option {
  const what =
    target === 'content'
      ? 'message content'
      : target === 'raw'
        ? 'raw events'
        : `${target} rollups`;
  return new Option(`--${target}-days <n|keep|default>`, `days to keep ${what}`).argParser(
    (v: string): RetentionDays | null => {
      if (v === 'default') return null;
      try {
        return parseDays(v);
      } catch (err) {
        throw new InvalidArgumentError((err as Error).message);
      }
    },
  );
}

function changeOf(o: Record<string, unknown>): PolicyChange {
  const change: PolicyChange = {};
  for (const t of RETENTION_TARGETS) {
    const v = o[`${t}Days`] as RetentionDays | null | undefined;
    if (v !== undefined) change[t] = v;
  }
  return change;
}

/** `cairn retention show`. */
export async function runShow(engine: Engine): Promise<number> {
  const policies = await readPolicies(engine.store);
  const marks = await readWatermarks(engine.store);
  const names = [ALL_WORKSPACES, ...(await retentionWorkspaces(engine.store, policies))];
  const rows = names.map((ws) => {
    const p = policyOf(policies, ws);
    const raw = marks.get(ws)?.raw;
    return [ws, ...RETENTION_TARGETS.map((t) => String(p[t])), raw ? day(raw) : '-'];
  });
  printTable([['workspace', ...RETENTION_TARGETS, 'raw deleted before'], ...rows]);
  return 0;
}

/** `cairn retention set`. */
export async function runSet(
  engine: Engine,
  workspace: string,
  change: PolicyChange,
): Promise<number> {
  if (Object.keys(change).length === 0) {
    console.error(
      'cairn: retention set: give at least one of --raw-days, --content-days, --minute-days, --hour-days, --day-days',
    );
    return 2;
  }
  await writePolicy(engine.store, workspace, change, Date.now());
  const p = policyOf(await readPolicies(engine.store), workspace);
  console.log(
    `retention for ${workspace}: ${RETENTION_TARGETS.map((t) => `${t} ${p[t]}`).join(', ')}`,
  );
  return 0;
}

/** `cairn retention apply [--dry-run]`. */
export async function runApply(
  engine: Engine,
  dryRun: boolean,
  workspace?: string,
): Promise<number> {
  const r = await applyRetention(engine, Date.now(), { dryRun, workspace });
  const verb = dryRun ? 'would delete' : 'deleted';
  printTable([
    ['workspace', 'target', 'table', 'rows', 'before'],
    ...r.actions.map((a) => [a.workspace, a.target, a.table, count(a.rows), day(a.before)]),
  ]);
  const total = r.actions.reduce((n, a) => n + a.rows, 0);
  const batches = dryRun ? '' : ` in ${count(r.batches)} batches`;
  console.log(
    `retention: ${verb} ${count(total)} rows${batches} (content rows are blanked, not deleted)`,
  );
  return 0;
}

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows)
    console.log(
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
}
