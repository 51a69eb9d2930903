import { concat, prefixEnd } from './keyspace.js';
import { overlayScan, PendingWrites } from './pending-writes.js';
import type { RocksDb } from './rocks-binding.js';
import type { KeyValueStore, Serializer, StoreOptions } from './stores.js';

/** What a store needs from its task: the database, and a guard against use after close. */
export interface StoreContext {
  readonly db: RocksDb;
  assertOpen(): void;
}

/**
 * Key-value store over a task's RocksDB, keys `prefix ++ serialisedKey`.
 *
 * Reads see this task's uncommitted writes (the store's `PendingWrites`) first, then RocksDB,
 * synchronously. Writes only touch the buffer; nothing reaches disk before `TaskState.commit`.
 * `put(key, null | undefined)` deletes, as in Kafka Streams.
 */
export class RocksKeyValueStore<K, V> implements KeyValueStore<K, V> {
  private readonly keys: Serializer<K>;
  private readonly values: Serializer<V>;
  private readonly end: Buffer;

  constructor(
    readonly name: string,
    private readonly ctx: StoreContext,
    private readonly prefix: Buffer,
    readonly pending: PendingWrites,
    options: StoreOptions<K, V>,
  ) {
    this.keys = options.keySerializer;
    this.values = options.valueSerializer;
    this.end = prefixEnd(prefix);
  }

  get(key: K): V | undefined {
    this.ctx.assertOpen();
    const full = concat(this.prefix, this.keys.serialize(key));
    if (this.pending.size > 0) {
      const e = this.pending.lookup(full.toString('latin1'));
      if (e !== undefined) return e.value === null ? undefined : this.values.deserialize(e.value);
    }
    const raw = this.ctx.db.get(full);
    return raw === undefined ? undefined : this.values.deserialize(raw);
  }

  put(key: K, value: V): void {
    this.ctx.assertOpen();
    const full = concat(this.prefix, this.keys.serialize(key));
    const bytes = value === null || value === undefined ? null : this.values.serialize(value);
    this.pending.set(full, full.toString('latin1'), bytes);
  }

  delete(key: K): void {
    this.ctx.assertOpen();
    const full = concat(this.prefix, this.keys.serialize(key));
    this.pending.set(full, full.toString('latin1'), null);
  }

  range(from?: K, to?: K): IterableIterator<[K, V]> {
    this.ctx.assertOpen();
    const lo = from === undefined ? this.prefix : concat(this.prefix, this.keys.serialize(from));
    if (to === undefined) return this.decode(overlayScan(this.ctx.db, this.pending, lo, this.end, false));
    return this.decode(overlayScan(this.ctx.db, this.pending, lo, concat(this.prefix, this.keys.serialize(to)), true));
  }

  all(): IterableIterator<[K, V]> {
    return this.range();
  }

  /** Exact count of live entries; costs a key-only scan of the store (O(n)), meant for metrics. */
  approximateCount(): number {
    this.ctx.assertOpen();
    let n = 0;
    for (const _ of overlayScan(this.ctx.db, this.pending, this.prefix, this.end, false, true)) n++;
    return n;
  }

  private *decode(rows: Iterable<[Buffer, Buffer]>): Generator<[K, V]> {
    const p = this.prefix.length;
    for (const [k, v] of rows) yield [this.keys.deserialize(k.subarray(p)), this.values.deserialize(v)];
  }
}
