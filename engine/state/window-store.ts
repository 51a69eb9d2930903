import { clampTime, latin1 } from './bytes.js';
import { decodeIndex, decodePrimary, indexKey, primaryKey } from './keyspace.js';
import type { StoreContext } from './kv-store.js';
import { LowWater } from './low-water.js';
import { overlayScan, PendingWrites } from './pending-writes.js';
import type { Serializer, StoreOptions, WindowStore } from './stores.js';

const EMPTY = Buffer.alloc(0);
const LOOKUP_CHUNK = 128;

/**
 * Window store with two layouts written together (keyspace.ts):
 * - key-major `len key start → value`: `fetch` is a point read and `fetchRange` one ordered scan;
 * - time-major index `start key → ''`: `fetchAll(from, to)` and `expireBefore(t)` scan only the
 *   time slice they touch instead of the whole store.
 * The price is a second (empty-valued) write per update; repeated updates of one window between
 * commits coalesce in the write buffer, so it is one extra RocksDB put per window per commit.
 *
 * Expiry deletes through the write buffer, so it is atomic with the commit (replaying records
 * after a crash never meets a window that was dropped ahead of its offsets).
 * Puts of windows that already expired are stored; the next `expireBefore` removes them.
 */
export class RocksWindowStore<K, V> implements WindowStore<K, V> {
  private readonly keys: Serializer<K>;
  private readonly values: Serializer<V>;
  /** Every live window starts at or after this (persisted, see low-water.ts). */
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

  put(key: K, windowStart: number, value: V | null): void {
    this.ctx.assertOpen();
    if (!Number.isSafeInteger(windowStart)) throw new RangeError(`Window start must be a safe integer: ${windowStart}`);
    const kb = this.keys.serialize(key);
    const primary = primaryKey(kb, windowStart);
    const index = indexKey(windowStart, undefined, kb);
    const live = value !== null && value !== undefined;
    this.pending.set(primary, latin1(primary), live ? this.values.serialize(value) : null);
    this.pending.set(index, latin1(index), live ? EMPTY : null);
    if (live) this.lowWater.lowerTo(windowStart);
  }

  fetch(key: K, windowStart: number): V | undefined {
    this.ctx.assertOpen();
    const raw = this.read(primaryKey(this.keys.serialize(key), windowStart));
    return raw === undefined ? undefined : this.values.deserialize(raw);
  }

  *fetchRange(key: K, timeFrom: number, timeTo: number): IterableIterator<[number, V]> {
    this.ctx.assertOpen();
    if (timeFrom > timeTo) return;
    const kb = this.keys.serialize(key);
    const lo = primaryKey(kb, clampTime(Math.max(timeFrom, this.lowWater.value)));
    const hi = primaryKey(kb, clampTime(timeTo));
    for (const [k, v] of overlayScan(this.ctx.db, this.pending, lo, hi, true)) {
      yield [decodePrimary(k, 1).t1, this.values.deserialize(v)];
    }
  }

  /** Windows of all keys with timeFrom ≤ start ≤ timeTo, in (start, key bytes) order. */
  *fetchAll(timeFrom: number, timeTo: number): IterableIterator<[K, number, V]> {
    this.ctx.assertOpen();
    if (timeFrom > timeTo) return;
    const lo = indexKey(clampTime(Math.max(timeFrom, this.lowWater.value)));
    const hi = indexKey(clampTime(timeTo) + 1);
    let batch: { key: Buffer; start: number }[] = [];
    for (const [k] of overlayScan(this.ctx.db, this.pending, lo, hi, false, true)) {
      const d = decodeIndex(k, 1);
      batch.push({ key: d.key, start: d.t1 });
      if (batch.length >= LOOKUP_CHUNK) {
        yield* this.resolve(batch);
        batch = [];
      }
    }
    yield* this.resolve(batch);
  }

  private *resolve(batch: readonly { key: Buffer; start: number }[]): Generator<[K, number, V]> {
    const values = this.readMany(batch.map((b) => primaryKey(b.key, b.start)));
    for (let i = 0; i < batch.length; i++) {
      const raw = values[i];
      if (raw !== undefined) yield [this.keys.deserialize(batch[i]!.key), batch[i]!.start, this.values.deserialize(raw)];
    }
  }

  expireBefore(time: number): void {
    this.ctx.assertOpen();
    if (time <= this.lowWater.value) return;
    const lo = indexKey(this.lowWater.value);
    const hi = indexKey(clampTime(time));
    const doomed: Buffer[] = [];
    for (const [k] of overlayScan(this.ctx.db, this.pending, lo, hi, false, true)) doomed.push(k);
    for (const k of doomed) {
      const d = decodeIndex(k, 1);
      const primary = primaryKey(d.key, d.t1);
      this.pending.set(primary, latin1(primary), null);
      this.pending.set(k, latin1(k), null);
    }
    this.lowWater.raiseTo(clampTime(time));
  }

  private read(full: Buffer): Buffer | undefined {
    if (this.pending.size > 0) {
      const e = this.pending.lookup(latin1(full));
      if (e !== undefined) return e.value ?? undefined;
    }
    return this.ctx.db.get(this.pending.full(full));
  }

  /** Point reads in one native MultiGet for the keys the buffer does not answer. */
  private readMany(fulls: Buffer[]): (Buffer | undefined)[] {
    const out = new Array<Buffer | undefined>(fulls.length);
    const missing: number[] = [];
    for (let i = 0; i < fulls.length; i++) {
      const e = this.pending.size > 0 ? this.pending.lookup(latin1(fulls[i]!)) : undefined;
      if (e !== undefined) out[i] = e.value ?? undefined;
      else missing.push(i);
    }
    if (missing.length > 0) {
      const got = this.ctx.db.getMany(missing.map((i) => this.pending.full(fulls[i]!)));
      for (let j = 0; j < missing.length; j++) out[missing[j]!] = got[j];
    }
    return out;
  }
}
