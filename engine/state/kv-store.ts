import { latin1 } from './bytes.js';
import { overlayScan, PendingWrites } from './pending-writes.js';
import type { RocksDb } from './rocks-binding.js';
import type { KeyValueStore, Serializer, StoreOptions } from './stores.js';

/** What a store needs from its task: the database, and a guard against use after close. */
export interface StoreContext {
  readonly db: RocksDb;
  assertOpen(): void;
}

const EMPTY = Buffer.alloc(0);

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

  constructor(
    readonly name: string,
    private readonly ctx: StoreContext,
    readonly pending: PendingWrites,
    options: StoreOptions<K, V>,
  ) {
    this.keys = options.keySerializer;
    this.values = options.valueSerializer;
  }

  get(key: K): V | undefined {
    this.ctx.assertOpen();
    const kb = this.serializeKey(key);
    if (this.pending.size > 0) {
      const e = this.pending.lookup(this.lastId);
      if (e !== undefined) return e.value === null ? undefined : this.values.deserialize(e.value);
    }
    const raw = this.ctx.db.get(this.pending.full(kb));
    return raw === undefined ? undefined : this.values.deserialize(raw);
  }

  put(key: K, value: V): void {
    this.ctx.assertOpen();
    const kb = this.serializeKey(key);
    this.pending.set(kb, this.lastId, value === null || value === undefined ? null : this.values.serialize(value));
  }

  delete(key: K): void {
    this.ctx.assertOpen();
    const kb = this.serializeKey(key);
    this.pending.set(kb, this.lastId, null);
  }

  private lastKey: K | undefined;
  private lastKb: Buffer | undefined;
  private lastId = '';

  /**
   * Serialises a key and sets `lastId` to its latin1 id. The get-then-put of one key per record
   * (every aggregation) serialises it once: primitive keys are memoised for one call.
   */
  private serializeKey(key: K): Buffer {
    if (key === this.lastKey && this.lastKb !== undefined && typeof key !== 'object') return this.lastKb;
    const kb = this.keys.serialize(key);
    this.lastKey = key;
    this.lastKb = kb;
    this.lastId = latin1(kb);
    return kb;
  }

  range(from?: K, to?: K): IterableIterator<[K, V]> {
    this.ctx.assertOpen();
    const lo = from === undefined ? EMPTY : this.keys.serialize(from);
    const hi = to === undefined ? null : this.keys.serialize(to);
    return this.decode(overlayScan(this.ctx.db, this.pending, lo, hi, true));
  }

  all(): IterableIterator<[K, V]> {
    return this.range();
  }

  /** Exact count of live entries; costs a key-only scan of the store (O(n)), meant for metrics. */
  approximateCount(): number {
    this.ctx.assertOpen();
    let n = 0;
    for (const _ of overlayScan(this.ctx.db, this.pending, EMPTY, null, false, true)) n++;
    return n;
  }

  private *decode(rows: Iterable<[Buffer, Buffer]>): Generator<[K, V]> {
    for (const [k, v] of rows) yield [this.keys.deserialize(k), this.values.deserialize(v)];
  }
}
