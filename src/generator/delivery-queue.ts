import type { WireEventLike } from './wire-event-like.js';

/** One pending delivery: an event and the simulated time at which the collector receives it. */
export interface Delivery {
  at: number;
  /** Insertion order: breaks ties in `at` so the output never depends on heap internals. */
  seq: number;
  event: WireEventLike;
  /** True for a redelivery; a redelivery is not redelivered again. */
  redelivery: boolean;
}

/**
 * A binary min-heap of deliveries ordered by (at, seq). It only ever holds events that are
 * in flight (open sessions, late and redelivered events), so its size depends on the traffic rate
 * and the lateness window, not on how many events have been generated.
 */
export class DeliveryQueue {
  private readonly heap: Delivery[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** The delivery time of the next event, or +Infinity when nothing is pending. */
  peekAt(): number {
    return this.heap[0]?.at ?? Number.POSITIVE_INFINITY;
  }

  push(at: number, event: WireEventLike, redelivery: boolean): void {
    this.heap.push({ at, seq: this.seq++, event, redelivery });
    this.siftUp(this.heap.length - 1);
  }

  /** Removes and returns the earliest delivery; the caller checks `size` first. */
  pop(): Delivery {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (top === undefined || last === undefined) throw new RangeError('pop() on an empty queue');
    if (top !== last) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private siftUp(i: number): void {
    const item = this.heap[i] as Delivery;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = this.heap[parent] as Delivery;
      if (!before(item, p)) break;
      this.heap[i] = p;
      i = parent;
    }
    this.heap[i] = item;
  }

  private siftDown(i: number): void {
    const n = this.heap.length;
    const item = this.heap[i] as Delivery;
    for (;;) {
      const child = this.smallerChild(2 * i + 1, n);
      if (child < 0 || !before(this.heap[child] as Delivery, item)) break;
      this.heap[i] = this.heap[child] as Delivery;
      i = child;
    }
    this.heap[i] = item;
  }

  /** The index of the earlier of the two children starting at `left`, or -1 if there is none. */
  private smallerChild(left: number, n: number): number {
    if (left >= n) return -1;
    const right = left + 1;
    if (right < n && before(this.heap[right] as Delivery, this.heap[left] as Delivery))
      return right;
    return left;
  }
}

function before(x: Delivery, y: Delivery): boolean {
  return x.at < y.at || (x.at === y.at && x.seq < y.seq);
}
