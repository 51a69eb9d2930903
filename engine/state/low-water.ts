import { latin1, MIN_TIME, readOrderedInt64, writeOrderedInt64 } from './bytes.js';
import { META } from './keyspace.js';
import type { StoreContext } from './kv-store.js';
import type { PendingWrites } from './pending-writes.js';

const KEY = Buffer.from([META]);
const ID = latin1(KEY);

/**
 * Expiry watermark of a window or session store: every live entry's time is ≥ `value`.
 * Scans start at the watermark, so they never walk the tombstones that expiry left below it
 * (RocksDB keeps deleted keys until compaction and iterators step over each one).
 *
 * Persisted in the store's own keyspace through the write buffer, so it is committed atomically
 * with the data it describes. Invariant: every change is written, including a late put that
 * lowers it; otherwise a restored watermark could hide a committed entry.
 */
export class LowWater {
  value: number;

  constructor(ctx: StoreContext, private readonly pending: PendingWrites) {
    const raw = ctx.db.get(pending.full(KEY));
    this.value = raw === undefined ? MIN_TIME : readOrderedInt64(raw, 0);
  }

  /** A live entry at time `t` is being written. */
  lowerTo(t: number): void {
    if (t < this.value) this.set(t);
  }

  /** Everything before `t` has been deleted. */
  raiseTo(t: number): void {
    if (t > this.value) this.set(t);
  }

  private set(t: number): void {
    this.value = t;
    const b = Buffer.allocUnsafe(8);
    writeOrderedInt64(b, 0, t);
    this.pending.set(KEY, ID, b);
  }
}
