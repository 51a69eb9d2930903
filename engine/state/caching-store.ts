import type { KeyValueStore, Serializer, TaskState } from './stores.js';
import { latin1 } from './bytes.js';
import { approximateSize } from './size.js';

/** One update forwarded downstream. `undefined` = absent (deleted / did not exist). */
export interface CacheFlushEvent<K, V> {
  readonly key: K;
  readonly newValue: V | undefined;
  /** The value the inner store held just before `newValue` was written (undefined without `sendOldValues`). */
  readonly oldValue: V | undefined;
}

export interface CachingOptions<K, V> {
  /** This store's share of `cache.max.bytes.buffering`. 0 disables caching (see class doc). */
  readonly maxBytes: number;
  /** Cache identity: two keys are the same entry iff their serialised bytes are equal. */
  readonly keySerializer: Serializer<K>;
  readonly onFlush: (event: CacheFlushEvent<K, V>) => void;
  /** Read the previous value for each emission (Kafka's sendOldValues). Default true. */
  readonly sendOldValues?: boolean;
  /** Bytes charged for an entry; default: serialised key length + a structural estimate of the value. */
  readonly sizeOf?: (keyBytes: Buffer, value: V | undefined) => number;
}

interface Entry<K, V> { readonly key: K; value: V | undefined; dirty: boolean; size: number; used: boolean }

/**
 * Write-back cache around a KeyValueStore, with Kafka Streams' caching semantics simplified
 * (TimestampedKeyValueStore + CachingKeyValueStore + NamedCache). It decides WHEN updates are
 * forwarded downstream (`onFlush`) and how many reach the inner store:
 *
 * - `maxBytes = 0`: no cache. Every `put`/`delete` is written to the inner store and emitted at
 *   once, one event per call, in call order (what conformance tests expect).
 * - `maxBytes > 0`: `put`/`delete` only update a cache entry (marked dirty); repeated updates of a
 *   key coalesce into one. Dirty entries are written to the inner store and emitted
 *   (a) all of them, during the `put` (or caching `get` miss) that makes the cache exceed
 *       `maxBytes`, when the entry chosen for eviction is dirty (then entries are dropped until
 *       the cache fits), and
 *   (b) all of them, at `flush()`, which `TaskState.commit`/`flushCaches` call via `beforeCommit`.
 *   Emission order is the order in which keys first became dirty since the previous flush.
 *   An event's newValue is the key's latest value; its oldValue is the inner store's value before
 *   the write, i.e. the value last emitted for that key.
 *   `get` of a cached key returns the cached value; a miss reads the inner store and caches the
 *   result clean. Eviction is approximately least-recently-used (second chance, see `evict`).
 * In both modes, an update that deletes a key the inner store never had emits nothing.
 *
 * Values are held by reference, not copied: callers must not mutate a value after `put` or one
 * returned by `get` (the reason to cache objects is to skip deserialisation on the hot path).
 * Record timestamps travel inside V (store ValueAndTimestamp-like values), as in Kafka's
 * timestamped stores.
 */
export class CachingKeyValueStore<K, V> implements KeyValueStore<K, V> {
  readonly name: string;
  private readonly cache = new Map<string, Entry<K, V>>();
  private dirty = new Set<string>();
  private bytes = 0;
  private readonly sendOld: boolean;

  constructor(readonly inner: KeyValueStore<K, V>, private readonly options: CachingOptions<K, V>) {
    this.name = inner.name;
    this.sendOld = options.sendOldValues ?? true;
    if (!(options.maxBytes >= 0)) throw new RangeError(`cache.max.bytes.buffering must be ≥ 0: ${options.maxBytes}`);
  }

  /** Bytes currently charged to the cache. */
  get cachedBytes(): number {
    return this.bytes;
  }

  get(key: K): V | undefined {
    if (this.options.maxBytes === 0) return this.inner.get(key);
    const id = this.id(key);
    const e = this.cache.get(id);
    if (e !== undefined) {
      e.used = true; // second chance at eviction (see evict)
      return e.value;
    }
    const v = this.inner.get(key);
    if (v !== undefined) this.insert(id, key, v, false);
    return v;
  }

  put(key: K, value: V): void {
    const v = value === null ? undefined : value;
    if (this.options.maxBytes === 0) {
      this.forward(key, v);
      return;
    }
    const id = this.id(key);
    const e = this.cache.get(id);
    if (e === undefined) {
      this.insert(id, key, v, true);
      return;
    }
    // Update in place; `used` gives it the second chance a re-queue would (cheaper than Map delete+set).
    const size = this.sizeOf(id, v);
    this.bytes += size - e.size;
    e.value = v;
    e.size = size;
    e.used = true;
    if (!e.dirty) {
      e.dirty = true;
      this.dirty.add(id);
    }
    if (this.bytes > this.options.maxBytes) this.evict();
  }

  delete(key: K): void {
    this.put(key, undefined as V);
  }

  /** Writes every dirty entry to the inner store and emits it. Returns the number emitted. */
  flush(): number {
    if (this.dirty.size === 0) return 0;
    const ids = this.dirty;
    this.dirty = new Set(); // listeners may put again; those belong to the next flush
    let n = 0;
    for (const id of ids) {
      const e = this.cache.get(id);
      if (e === undefined || !e.dirty) continue;
      e.dirty = false;
      if (e.value === undefined) {
        this.cache.delete(id);
        this.bytes -= e.size;
      }
      if (this.forward(e.key, e.value)) n++;
    }
    return n;
  }

  range(from?: K, to?: K): IterableIterator<[K, V]> {
    return this.merge(this.inner.range(from, to), from === undefined ? undefined : this.id(from), to === undefined ? undefined : this.id(to));
  }

  all(): IterableIterator<[K, V]> {
    return this.range();
  }

  /** The inner count plus dirty puts (may overcount keys that also exist in the inner store). */
  approximateCount(): number {
    let n = this.inner.approximateCount();
    for (const id of this.dirty) if (this.cache.get(id)?.value !== undefined) n++;
    return n;
  }

  /** Inner write + emission; false when nothing happened (delete of a key never stored). */
  private forward(key: K, value: V | undefined): boolean {
    const old = value === undefined || this.sendOld ? this.inner.get(key) : undefined;
    if (value === undefined && old === undefined) return false;
    if (value === undefined) this.inner.delete(key);
    else this.inner.put(key, value);
    this.options.onFlush({ key, newValue: value, oldValue: this.sendOld ? old : undefined });
    return true;
  }

  private sizeOf(id: string, value: V | undefined): number {
    return this.options.sizeOf ? this.options.sizeOf(Buffer.from(id, 'latin1'), value) : 64 + id.length + approximateSize(value);
  }

  private insert(id: string, key: K, value: V | undefined, dirty: boolean): void {
    const size = this.sizeOf(id, value);
    this.cache.set(id, { key, value, dirty, size, used: false });
    this.bytes += size;
    if (dirty) this.dirty.add(id);
    if (this.bytes > this.options.maxBytes) this.evict();
  }

  /**
   * Approximate LRU by second chance (CLOCK): the Map's insertion order is the queue; an entry
   * read or written since it was queued is re-queued once instead of evicted. This keeps hits
   * O(1) without reordering the Map on every access.
   */
  private evict(): void {
    for (const [id, e] of this.cache) {
      if (this.bytes <= this.options.maxBytes) return;
      if (e.used) {
        e.used = false;
        this.cache.delete(id);
        this.cache.set(id, e);
        continue;
      }
      if (e.dirty) this.flush();
      if (this.cache.get(id) === e) {
        this.cache.delete(id);
        this.bytes -= e.size;
      }
    }
  }

  private lastKey: K | undefined;
  private lastId = '';

  /** Cache id of a key; the get-then-put of one key per record serialises it once (primitive keys). */
  private id(key: K): string {
    if (key === this.lastKey && this.lastId !== '' && typeof key !== 'object') return this.lastId;
    const id = latin1(this.options.keySerializer.serialize(key));
    this.lastKey = key;
    this.lastId = id;
    return id;
  }

  /** Inner range overlaid with dirty entries (deletes hide inner entries), in serialised-key order. */
  private *merge(inner: Iterable<[K, V]>, lo: string | undefined, hi: string | undefined): Generator<[K, V]> {
    const overlay = [...this.dirty].filter((id) => (lo === undefined || id >= lo) && (hi === undefined || id <= hi)).sort();
    let j = 0;
    for (const [k, v] of inner) {
      const id = this.id(k);
      while (j < overlay.length && overlay[j]! < id) yield* this.live(overlay[j++]!);
      if (j < overlay.length && overlay[j] === id) j++;
      const e = this.cache.get(id);
      if (e === undefined || !e.dirty) yield [k, v];
      else if (e.value !== undefined) yield [e.key, e.value];
    }
    while (j < overlay.length) yield* this.live(overlay[j++]!);
  }

  private *live(id: string): Generator<[K, V]> {
    const e = this.cache.get(id);
    if (e !== undefined && e.value !== undefined) yield [e.key, e.value];
  }
}

/** Wraps `inner` and registers the cache's flush as a `beforeCommit` hook of `task`. */
export function cachingKeyValueStore<K, V>(
  task: TaskState,
  inner: KeyValueStore<K, V>,
  options: CachingOptions<K, V>,
): CachingKeyValueStore<K, V> {
  const store = new CachingKeyValueStore(inner, options);
  task.beforeCommit(() => store.flush() > 0);
  return store;
}
