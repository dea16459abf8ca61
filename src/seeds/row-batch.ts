import type { ErrorCode } from '../core/errors.js';
import type { RawItem } from '../ingest/raw-item.js';
import type { RowRejection, SeedImportContext, SeedImportResult, SeedRow } from './adapter.js';

export interface RowBatchOptions {
  /** The row's own id as the seed knows it (default: its `id` column). */
  idOf?(row: SeedRow): string | null;
  /** Puts a message of the ingest pipeline (which names Cairn's fields) in the seed's terms. */
  inSeedTerms?(message: string, row: SeedRow): string;
}

/**
 * The events a batch of seed rows becomes, each remembering its row, so that one engine.ingest
 * call (one transaction: dedup, revisions, pricing, rollups) serves the whole batch and every
 * rejection — the adapter's own or the pipeline's — comes back once, by the row's index.
 */
export class RowBatch {
  private readonly items: RawItem[] = [];
  private readonly ownerOf: number[] = [];
  private readonly rejected = new Map<number, RowRejection>();

  constructor(
    private readonly rows: readonly SeedRow[],
    private readonly options: RowBatchOptions = {},
  ) {}

  /** Row `index` becomes these events (a row may become several, or none). */
  add(index: number, events: readonly unknown[]): void {
    for (const value of events) {
      this.items.push({ ok: true, value });
      this.ownerOf.push(index);
    }
  }

  /** Row `index` is rejected; its first rejection is the one reported. */
  reject(index: number, code: ErrorCode, message: string): void {
    if (this.rejected.has(index)) return;
    const row = this.rows[index]!;
    this.rejected.set(index, { index, table: row.table, id: this.idOf(row), code, message });
  }

  /** Ingests the events and reports the batch; `records` counts reference rows stored beside. */
  async ingest(ctx: SeedImportContext, records = 0): Promise<SeedImportResult> {
    const result =
      this.items.length > 0
        ? await ctx.engine.ingest(this.items, ctx.now)
        : { accepted: 0, updated: 0, duplicates: 0, rejected: [] };
    for (const r of result.rejected) {
      const index = this.ownerOf[r.index]!;
      // "at index N of this batch" names an event; the reader knows rows.
      const message = r.message.replace(
        /at index (\d+) of this batch/,
        (_, n: string) => `at row ${this.ownerOf[Number(n)] ?? n} of this batch`,
      );
      this.reject(index, r.code, this.options.inSeedTerms?.(message, this.rows[index]!) ?? message);
    }
    const { accepted, updated, duplicates } = result;
    const rejected = [...this.rejected.values()].sort((a, b) => a.index - b.index);
    return { rows: this.rows.length, accepted, updated, duplicates, records, rejected };
  }

  private idOf(row: SeedRow): string | null {
    if (this.options.idOf) return this.options.idOf(row);
    const id = row.values['id'];
    return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
  }
}
