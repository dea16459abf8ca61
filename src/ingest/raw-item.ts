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
  /** Events that replaced a stored event with a lower revision (see `revision`). */
  updated: number;
  /** Events already stored (same workspace and id, no higher revision), or repeated within the
   * batch; resending a batch only adds these. */
  duplicates: number;
  rejected: ItemRejection[];
}
