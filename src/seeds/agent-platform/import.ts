import { parseTimestamp, type TimestampWindow } from '../../core/timestamp.js';
import type { SeedRecord } from '../../store/seed-record-store.js';
import type { RowRejection, SeedImportContext, SeedImportResult, SeedRow } from '../adapter.js';
import { RowBatch } from '../row-batch.js';
import { inconsistent, parseRow, type ParsedRow, type SeedTable } from './rows.js';
import { activityEvent, referenceRecord, runEvents } from './to-events.js';

type Rejection = Pick<RowRejection, 'code' | 'message'>;

/** What one row becomes: events for the ingest pipeline, or a reference record. */
type Converted = { events: Record<string, unknown>[] } | { record: SeedRecord } | Rejection;

/**
 * Imports one batch of seed 004 rows. Event rows go through engine.ingest (validation, dedup,
 * revisions, rollups, one transaction); reference rows go to seed_records. Rejections — the
 * adapter's own and the pipeline's — are reported by the row's index in `rows`.
 */
export async function importAgentPlatformRows(
  rows: readonly SeedRow[],
  ctx: SeedImportContext,
): Promise<SeedImportResult> {
  const window = windowOf(ctx);
  const batch = new RowBatch(rows, {
    // A pipeline rejection names the Cairn event field; say which seed table it came from.
    inSeedTerms: (message, row) => `${row.table} (as a Cairn event): ${message}`,
  });
  const records: SeedRecord[] = [];
  rows.forEach((r, index) => {
    const c = convert(r, ctx, window);
    if ('code' in c) batch.reject(index, c.code, c.message);
    else if ('record' in c) {
      // Events naming another workspace are refused by the pipeline, row by row; a reference
      // row must be too, before the store would refuse the whole batch.
      const scope = ctx.engine.scope;
      if (scope === null || c.record.workspace === scope) records.push(c.record);
      else
        batch.reject(
          index,
          'workspace_not_allowed',
          `${r.table}: workspace ${JSON.stringify(c.record.workspace)} is not this API key's workspace (${JSON.stringify(scope)})`,
        );
    } else batch.add(index, c.events);
  });
  const stored = await ctx.engine.store.seedRecords.put(records, ctx.now);
  return batch.ingest(ctx, stored);
}

function convert(r: SeedRow, ctx: SeedImportContext, window: TimestampWindow): Converted {
  const p = parseRow(r.table as SeedTable, r.values);
  if (!p.ok) return { code: p.code, message: p.message };
  return convertParsed(p.parsed, r.values, ctx, window);
}

function convertParsed(
  p: ParsedRow,
  values: Readonly<Record<string, unknown>>,
  ctx: SeedImportContext,
  window: TimestampWindow,
): Converted {
  switch (p.table) {
    case 'user_activity': {
      const created = timeOf('user_activity.created_at', p.row.created_at, window);
      if (created !== null && typeof created !== 'number') return created;
      // The seed's created_at defaults to NOW() at insert time.
      return { events: [activityEvent(p.row, ctx.workspace, created ?? ctx.now)] };
    }
    case 'agent_runs': {
      const started = timeOf('agent_runs.started_at', p.row.started_at, window);
      if (typeof started !== 'number')
        return started ?? { code: 'missing_field', message: 'agent_runs.started_at: required' };
      const completed = timeOf('agent_runs.completed_at', p.row.completed_at, window);
      if (completed !== null && typeof completed !== 'number') return completed;
      if (completed !== null && completed < started)
        return inconsistent('agent_runs.completed_at', p.row.completed_at, 'is before started_at');
      return { events: runEvents(p.row, ctx.workspace, started, completed) };
    }
    default: {
      // Reference rows are not events: a user created 20 years ago is still a user.
      const anyTime = { now: window.now, maxFutureMs: Infinity, maxPastMs: Infinity };
      const ts = timeOf(`${p.table}.created_at`, values['created_at'], anyTime);
      if (ts !== null && typeof ts !== 'number') return ts;
      return { record: referenceRecord(p.table, p.row, values, ctx.workspace, ts) };
    }
  }
}

/** Epoch ms of a timestamp column, null when absent, or a rejection naming the column. */
function timeOf(field: string, value: unknown, window: TimestampWindow): number | null | Rejection {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' && typeof value !== 'number')
    return { code: 'invalid_type', message: `${field}: must be a timestamp string or epoch ms` };
  const t = parseTimestamp(value, window);
  return t.ok
    ? t.ms
    : { code: t.code, message: `${field}: ${t.message.replace(/^timestamp: /, '')}` };
}

function windowOf(ctx: SeedImportContext): TimestampWindow {
  const i = ctx.engine.config.ingest;
  return { now: ctx.now, maxFutureMs: i.maxFutureMs, maxPastMs: i.maxPastDays * 86_400_000 };
}
