import type { ErrorCode } from '../core/errors.js';
import type { BatchResult } from '../ingest/raw-item.js';

/** Totals over many batches, as `cairn ingest` and the demo loader report them. */
export interface IngestSummary {
  accepted: number;
  updated: number;
  duplicates: number;
  rejected: number;
  byCode: Partial<Record<ErrorCode, number>>;
  /** The first few rejections, with their source line, for the user to look at. */
  samples: Array<{ line: number; id: string | null; code: ErrorCode; message: string }>;
}

const MAX_SAMPLES = 5;

export function emptySummary(): IngestSummary {
  return { accepted: 0, updated: 0, duplicates: 0, rejected: 0, byCode: {}, samples: [] };
}

/** Adds one batch's result; `lines[i]` is the source line of the batch's item i. */
export function addBatch(s: IngestSummary, r: BatchResult, lines: readonly number[]): void {
  s.accepted += r.accepted;
  s.updated += r.updated;
  s.duplicates += r.duplicates;
  s.rejected += r.rejected.length;
  for (const x of r.rejected) {
    s.byCode[x.code] = (s.byCode[x.code] ?? 0) + 1;
    if (s.samples.length < MAX_SAMPLES)
      s.samples.push({
        line: lines[x.index] ?? x.index + 1,
        id: x.id,
        code: x.code,
        message: x.message,
      });
  }
}

/** "1,234 accepted, 12 duplicates, 3 rejected (missing_field 2, invalid_timestamp 1)" */
export function formatSummary(s: IngestSummary): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const codes = Object.entries(s.byCode)
    .sort((a, b) => b[1] - a[1])
    .map(([code, count]) => `${code} ${n(count)}`)
    .join(', ');
  const updated = s.updated > 0 ? `${n(s.updated)} updated, ` : '';
  return `${n(s.accepted)} accepted, ${updated}${n(s.duplicates)} duplicates, ${n(s.rejected)} rejected${codes ? ` (${codes})` : ''}`;
}
