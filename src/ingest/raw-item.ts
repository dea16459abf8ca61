import type { ErrorCode } from '../core/errors.js';

/** One item of a batch as parsed from the wire: a JSON value, or a line that did not parse. */
export type RawItem =
  { ok: true; value: unknown } | { ok: false; code: ErrorCode; message: string };

export interface ItemRejection {
  index: number;
  id: string | null;
  code: ErrorCode;
  message: string;
}

export interface BatchResult {
  /** Events stored by this batch. */
  accepted: number;
  /** Events already stored before (same workspace and id); resending a batch only adds these. */
  duplicates: number;
  rejected: ItemRejection[];
}
