/**
 * State store contracts (DESIGN.md, "State"). Operators call these synchronously inside `process`;
 * durability happens at batch edges through `StateBackend.commit`.
 *
 * Keys and values are JS values; each store is opened with serialisers so that the RocksDB layer
 * stores bytes. Key order for range scans is the byte order of the serialised keys.
 *
 * Wrappers (write-back caching, changelogging, metrics) implement the same interfaces around an
 * inner store rather than being flags inside one.
 */

/**
 * `serialize` must return a buffer the store may keep (it sits in the write buffer until commit)
 * and be deterministic (equal keys give equal bytes: that is key identity). `deserialize` may be
 * handed a view into a larger buffer and must copy anything it keeps. See state/codec.ts for the
 * engine's generic value codec and its order-preserving key codec.
 */
export interface Serializer<T> {
  serialize(value: T): Buffer;
  deserialize(bytes: Buffer): T;
}

export interface KeyValueStore<K, V> {
  readonly name: string;
  get(key: K): V | undefined;
  put(key: K, value: V): void;
  delete(key: K): void;
  /** Entries with from ≤ serialised key ≤ to (either bound optional), in key order. */
  range(from?: K, to?: K): IterableIterator<[K, V]>;
  all(): IterableIterator<[K, V]>;
  approximateCount(): number;
}

/** Time windows: one value per (key, window start). */
export interface WindowStore<K, V> {
  readonly name: string;
  put(key: K, windowStart: number, value: V | null): void;
  fetch(key: K, windowStart: number): V | undefined;
  /** Windows of `key` with timeFrom ≤ start ≤ timeTo, in start order. */
  fetchRange(key: K, timeFrom: number, timeTo: number): IterableIterator<[number, V]>;
  /** All keys' windows with timeFrom ≤ start ≤ timeTo. */
  fetchAll(timeFrom: number, timeTo: number): IterableIterator<[K, number, V]>;
  /** Drops windows that started before `time` (retention). */
  expireBefore(time: number): void;
}

export interface SessionWindow { readonly start: number; readonly end: number }

export interface SessionStore<K, V> {
  readonly name: string;
  /** Sessions of `key` with end ≥ earliestEnd and start ≤ latestStart. */
  findSessions(key: K, earliestEnd: number, latestStart: number): IterableIterator<[SessionWindow, V]>;
  put(key: K, window: SessionWindow, value: V): void;
  remove(key: K, window: SessionWindow): void;
  fetchAll(): IterableIterator<[K, SessionWindow, V]>;
  expireBefore(time: number): void;
}

export interface StoreOptions<K, V> {
  readonly keySerializer: Serializer<K>;
  readonly valueSerializer: Serializer<V>;
}

/**
 * The stores of one task (one query × source partition), under `<dataDir>/state/<queryId>/<taskId>`.
 * `commit` writes every store's pending changes together with the task's source offsets in one
 * atomic write, so that a crash loses nothing and repeats nothing.
 *
 * Lifecycle: `openTask` restores the last commit (offsets, metadata, store contents). Writes made
 * through the stores are visible to reads at once but reach disk only with the next `commit`;
 * `close` without `commit` discards them (that is what keeps state and offsets in step).
 * Opening a store name a second time returns the same store; opening it as another kind throws.
 */
export interface TaskState {
  keyValueStore<K, V>(name: string, options: StoreOptions<K, V>): KeyValueStore<K, V>;
  windowStore<K, V>(name: string, options: StoreOptions<K, V> & { readonly retentionMs: number; readonly windowSizeMs?: number }): WindowStore<K, V>;
  sessionStore<K, V>(name: string, options: StoreOptions<K, V> & { readonly retentionMs: number }): SessionStore<K, V>;
  /** Source offsets committed with the state (`${topic}:${partition}` → next offset to read). */
  committedOffsets(): ReadonlyMap<string, number>;
  /** Task-level metadata committed atomically with the state (e.g. stream time). */
  committedMetadata(): Readonly<Record<string, unknown>>;
  /**
   * Atomically persists every store's pending writes, `offsets` (merged over the committed ones)
   * and `metadata` (replaces the committed metadata; omitted keeps it). Runs the `beforeCommit`
   * hooks first. Nothing is written if the hooks and offsets/metadata leave nothing to change.
   */
  commit(offsets: ReadonlyMap<string, number>, metadata?: Readonly<Record<string, unknown>>): Promise<void>;
  /**
   * Registers a hook that `commit` runs synchronously before collecting pending writes.
   * Write-back caches use it to flush into their store (and emit downstream) so the flushed state
   * is part of the same atomic write. A hook returns true when it flushed something; hooks are
   * re-run until none does, so a cache that an upstream flush wrote into is flushed too,
   * whatever the registration order. (Added to the contract for the caching wrapper.)
   */
  beforeCommit(hook: () => boolean): void;
  /**
   * Runs the `beforeCommit` hooks now without writing anything. Sequence for a commit whose
   * outputs must not be lost: `flushCaches()` (caches emit downstream, sinks receive records),
   * make the sink output durable, then `commit(offsets)` (its own hook run finds nothing dirty).
   */
  flushCaches(): void;
  /**
   * Approximate heap bytes held by uncommitted writes; the runtime commits early when this
   * grows past its budget, since the write buffer lives in memory until commit. (Added to the
   * contract because the buffer, unlike a RocksDB memtable, is unbounded between commits.)
   */
  pendingBytes(): number;
  close(): Promise<void>;
  /** Deletes the task's state on disk (DROP ... / TERMINATE cleanup). */
  destroy(): Promise<void>;
}

export interface StateBackend {
  openTask(queryId: string, taskId: string): Promise<TaskState>;
  /** Removes every task of a query. */
  destroyQuery(queryId: string): Promise<void>;
  close(): Promise<void>;
}
