import { clampTime, latin1, MAX_TIME, MIN_TIME } from './bytes.js';
import { decodeIndex, decodePrimary, INDEX_START, indexKey, primaryKey, PRIMARY_START } from './keyspace.js';
import type { StoreContext } from './kv-store.js';
import { LowWater } from './low-water.js';
import { overlayScan, PendingWrites } from './pending-writes.js';
import type { Serializer, SessionStore, SessionWindow, StoreOptions } from './stores.js';

const EMPTY = Buffer.alloc(0);

/**
 * Session store in Kafka Streams' layout `key ++ end ++ start` (here `len key end start`), so one
 * key's sessions are contiguous and ordered by end time: `findSessions` seeks to
 * (key, earliestEnd) and scans that key's later sessions, filtering on start.
 * An end-time index `end start key → ''` makes `expireBefore` touch only expired sessions.
 *
 * Retention is by session END (as Kafka Streams): `expireBefore(t)` drops sessions with end < t.
 * `put(key, window, null)` removes, like `remove`.
 */
export class RocksSessionStore<K, V> implements SessionStore<K, V> {
  private readonly keys: Serializer<K>;
  private readonly values: Serializer<V>;
  /** Every live session ends at or after this (persisted, see low-water.ts). */
  private readonly lowWater: LowWater;

  constructor(
    readonly name: string,
    private readonly ctx: StoreContext,
    readonly pending: PendingWrites,
    options: StoreOptions<K, V>,
  ) {
    this.keys = options.keySerializer;
    this.values = options.valueSerializer;
    this.lowWater = new LowWater(ctx, pending);
  }

  *findSessions(key: K, earliestEnd: number, latestStart: number): IterableIterator<[SessionWindow, V]> {
    this.ctx.assertOpen();
    const kb = this.keys.serialize(key);
    const lo = primaryKey(kb, clampTime(Math.max(earliestEnd, this.lowWater.value)), MIN_TIME);
    const hi = primaryKey(kb, MAX_TIME, MAX_TIME);
    for (const [k, v] of overlayScan(this.ctx.db, this.pending, lo, hi, true)) {
      const d = decodePrimary(k, 2);
      if (d.t2 <= latestStart) yield [{ start: d.t2, end: d.t1 }, this.values.deserialize(v)];
    }
  }

  put(key: K, window: SessionWindow, value: V): void {
    this.write(key, window, value === null || value === undefined ? null : this.values.serialize(value));
  }

  remove(key: K, window: SessionWindow): void {
    this.write(key, window, null);
  }

  /** Every session, in (key bytes length, key bytes, end, start) order. */
  *fetchAll(): IterableIterator<[K, SessionWindow, V]> {
    this.ctx.assertOpen();
    const lo = PRIMARY_START;
    const hi = INDEX_START;
    for (const [k, v] of overlayScan(this.ctx.db, this.pending, lo, hi, false)) {
      const d = decodePrimary(k, 2);
      yield [this.keys.deserialize(d.key), { start: d.t2, end: d.t1 }, this.values.deserialize(v)];
    }
  }

  expireBefore(time: number): void {
    this.ctx.assertOpen();
    if (time <= this.lowWater.value) return;
    const lo = indexKey(this.lowWater.value, MIN_TIME);
    const hi = indexKey(clampTime(time), MIN_TIME);
    const doomed: Buffer[] = [];
    for (const [k] of overlayScan(this.ctx.db, this.pending, lo, hi, false, true)) doomed.push(k);
    for (const k of doomed) {
      const d = decodeIndex(k, 2);
      const primary = primaryKey(d.key, d.t1, d.t2);
      this.pending.set(primary, latin1(primary), null);
      this.pending.set(k, latin1(k), null);
    }
    this.lowWater.raiseTo(clampTime(time));
  }

  private write(key: K, window: SessionWindow, bytes: Buffer | null): void {
    this.ctx.assertOpen();
    const { start, end } = window;
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start > end) {
      throw new RangeError(`Invalid session window [${start}, ${end}]`);
    }
    const kb = this.keys.serialize(key);
    const primary = primaryKey(kb, end, start);
    const index = indexKey(end, start, kb);
    this.pending.set(primary, latin1(primary), bytes);
    this.pending.set(index, latin1(index), bytes === null ? null : EMPTY);
    if (bytes !== null) this.lowWater.lowerTo(end);
  }
}
