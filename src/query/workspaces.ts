import { sql } from 'kysely';
import { z } from 'zod';
import type { Store } from '../store/store.js';

/**
 * `workspace` narrows the list to that one workspace (when it holds data). It is there so a
 * workspace-scoped API key, whose queries get its workspace forced in, sees only its own.
 */
export const workspacesParams = z.strictObject({
  workspace: z.string().min(1).max(512).optional().describe('Only this workspace, if it has data'),
});

export interface WorkspacesResult {
  workspaces: string[];
}

/**
 * The workspaces with data, for the dashboard's workspace selector. Read from the day grain of
 * the `total` rollup rather than `events`: every event lands there, day rows are kept when raw
 * events expire, and there are a few per workspace and day instead of millions of raw rows.
 */
export async function workspaces(
  store: Store,
  p: z.output<typeof workspacesParams>,
): Promise<WorkspacesResult> {
  const only = p.workspace === undefined ? sql`` : sql`and workspace = ${p.workspace}`;
  const rows = await sql<{ workspace: string }>`
    select distinct workspace from ${sql.table('rollup_total')}
    where grain = 'day' ${only} order by workspace`.execute(store.reader);
  return { workspaces: rows.rows.map((r) => r.workspace) };
}
