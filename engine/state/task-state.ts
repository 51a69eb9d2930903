import { decodeValue, encodeValue } from './codec.js';
import {
  MAX_STORE_ID, METADATA_KEY, OFFSETS_KEY, prefixEnd, REGISTRY_PREFIX, registryKey, storePrefix,
} from './keyspace.js';
import { RocksKeyValueStore, type StoreContext } from './kv-store.js';
import { PendingWrites } from './pending-writes.js';
import { RocksDb, type RocksOpenOptions } from './rocks-binding.js';
import { RocksSessionStore } from './session-store.js';
import type { KeyValueStore, SessionStore, StoreOptions, TaskState, WindowStore } from './stores.js';
import { RocksWindowStore } from './window-store.js';

type StoreKind = 'kv' | 'window' | 'session';
type AnyStore = RocksKeyValueStore<unknown, unknown> | RocksWindowStore<unknown, unknown> | RocksSessionStore<unknown, unknown>;

interface RegistryRecord { readonly id: number; readonly kind: StoreKind; readonly retentionMs?: number; readonly windowSizeMs?: number }

export interface TaskStateOptions {
  /** fsync the WAL on commit, so a machine crash (not only a process crash) keeps the commit. */
  readonly syncCommits: boolean;
  readonly rocksOptions?: RocksOpenOptions;
  readonly onClose?: () => void;
}

/** Hooks that keep reporting progress after this many rounds are a bug (a cache feeding itself). */
const MAX_HOOK_ROUNDS = 100;

/**
 * A task's RocksDB with its stores. All stores share one database so that one WriteBatch covers
 * every store and the offsets record: that single batch is the atomic commit.
 */
export class RocksTaskState implements TaskState, StoreContext {
  private readonly stores = new Map<string, { kind: StoreKind; store: AnyStore }>();
  private readonly buffers: PendingWrites[] = [];
  private readonly systemWrites = new Map<string, [Buffer, Buffer]>();
  private readonly hooks: (() => boolean)[] = [];
  private nextId: number;
  private closed = false;
  /** The committed metadata as written, to tell a change without re-encoding it (it holds the outbox). */
  private metadataBytes: Buffer;

  private constructor(
    readonly db: RocksDb,
    readonly path: string,
    private readonly registry: Map<string, RegistryRecord>,
    private offsets: ReadonlyMap<string, number>,
    private metadata: Readonly<Record<string, unknown>>,
    private readonly options: TaskStateOptions,
  ) {
    this.nextId = 1 + Math.max(0, ...[...registry.values()].map((r) => r.id));
    this.metadataBytes = encodeValue({ ...metadata });
  }

  static async open(path: string, options: TaskStateOptions): Promise<RocksTaskState> {
    const db = await RocksDb.open(path, options.rocksOptions);
    try {
      const [offsetsRaw, metaRaw] = db.getMany([OFFSETS_KEY, METADATA_KEY]);
      const offsets = offsetsRaw ? (decodeValue(offsetsRaw) as Map<string, number>) : new Map<string, number>();
      const metadata = metaRaw ? (decodeValue(metaRaw) as Record<string, unknown>) : {};
      const registry = new Map<string, RegistryRecord>();
      for (const [k, v] of db.scan({ gte: REGISTRY_PREFIX, lt: prefixEnd(REGISTRY_PREFIX) })) {
        registry.set(k.subarray(REGISTRY_PREFIX.length).toString('utf8'), decodeValue(v) as RegistryRecord);
      }
      return new RocksTaskState(db, path, registry, offsets, metadata, options);
    } catch (err) {
      await db.close();
      throw err;
    }
  }

  assertOpen(): void {
    if (this.closed) throw new Error(`Task state ${this.path} is closed`);
  }

  keyValueStore<K, V>(name: string, options: StoreOptions<K, V>): KeyValueStore<K, V> {
    return this.store(name, 'kv', {}, (pending) => new RocksKeyValueStore(name, this, pending, options));
  }

  windowStore<K, V>(
    name: string,
    options: StoreOptions<K, V> & { readonly retentionMs: number; readonly windowSizeMs?: number },
  ): WindowStore<K, V> {
    const extra = { retentionMs: options.retentionMs, ...(options.windowSizeMs !== undefined ? { windowSizeMs: options.windowSizeMs } : {}) };
    return this.store(name, 'window', extra, (pending) => new RocksWindowStore(name, this, pending, options));
  }

  sessionStore<K, V>(name: string, options: StoreOptions<K, V> & { readonly retentionMs: number }): SessionStore<K, V> {
    return this.store(name, 'session', { retentionMs: options.retentionMs },
      (pending) => new RocksSessionStore(name, this, pending, options));
  }

  committedOffsets(): ReadonlyMap<string, number> {
    return this.offsets;
  }

  committedMetadata(): Readonly<Record<string, unknown>> {
    return this.metadata;
  }

  beforeCommit(hook: () => boolean): void {
    this.hooks.push(hook);
  }

  flushCaches(): void {
    this.assertOpen();
    this.runHooks();
  }

  pendingBytes(): number {
    let n = 0;
    for (const b of this.buffers) n += b.bytes;
    return n;
  }

  async commit(offsets: ReadonlyMap<string, number>, metadata?: Readonly<Record<string, unknown>>): Promise<void> {
    this.assertOpen();
    this.runHooks();
    const nextOffsets = new Map(this.offsets);
    let offsetsChanged = false;
    for (const [k, v] of offsets) {
      if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`Invalid offset for ${k}: ${v}`);
      if (nextOffsets.get(k) !== v) { nextOffsets.set(k, v); offsetsChanged = true; }
    }
    const metaBytes = metadata === undefined ? undefined : encodeValue({ ...metadata });
    const metaChanged = metaBytes !== undefined && !metaBytes.equals(this.metadataBytes);
    const pendingEntries = this.buffers.reduce((n, b) => n + b.size, 0) + this.systemWrites.size;
    if (pendingEntries === 0 && !offsetsChanged && !metaChanged) return;

    const system: [Buffer, Buffer][] = [...this.systemWrites.values(), [OFFSETS_KEY, encodeValue(nextOffsets)]];
    if (metaBytes !== undefined) system.push([METADATA_KEY, metaBytes]);
    this.db.write(this.batchEntries(system), this.options.syncCommits);

    for (const b of this.buffers) b.clear();
    this.systemWrites.clear();
    this.offsets = nextOffsets;
    if (metaBytes !== undefined) {
      // the caller's values as committed (not a decoded copy: the outbox can be large)
      this.metadata = { ...metadata };
      this.metadataBytes = metaBytes;
    }
  }

  /** Closes the database; uncommitted writes are discarded. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.db.close();
    } finally {
      this.options.onClose?.();
    }
  }

  async destroy(): Promise<void> {
    await this.close();
    const { rm } = await import('node:fs/promises');
    await rm(this.path, { recursive: true, force: true });
  }

  private *batchEntries(system: readonly [Buffer, Buffer][]): Generator<readonly [Buffer, Buffer | null]> {
    for (const b of this.buffers) yield* b.batchEntries();
    yield* system;
  }

  private runHooks(): void {
    for (let round = 0; ; round++) {
      let progressed = false;
      for (const hook of this.hooks) if (hook()) progressed = true;
      if (!progressed) return;
      if (round >= MAX_HOOK_ROUNDS) throw new Error('beforeCommit hooks did not settle (a cache keeps re-dirtying itself)');
    }
  }

  private store<S>(
    name: string,
    kind: StoreKind,
    extra: Omit<RegistryRecord, 'id' | 'kind'>,
    create: (pending: PendingWrites) => S,
  ): S {
    this.assertOpen();
    const open = this.stores.get(name);
    if (open !== undefined) {
      if (open.kind !== kind) throw new Error(`Store ${name} is open as a ${open.kind} store, not ${kind}`);
      return open.store as unknown as S;
    }
    let record = this.registry.get(name);
    if (record !== undefined && record.kind !== kind) {
      throw new Error(`Store ${name} holds ${record.kind} data on disk; cannot open it as ${kind}`);
    }
    if (record === undefined) {
      if (this.nextId > MAX_STORE_ID) throw new Error(`Too many stores in task ${this.path}`);
      record = { id: this.nextId++, kind, ...extra };
      this.registry.set(name, record);
      // Registered in the same batch as the store's first data: an uncommitted store leaves no trace.
      const key = registryKey(name);
      this.systemWrites.set(name, [key, encodeValue({ ...record })]);
    }
    const pending = new PendingWrites(storePrefix(record.id));
    this.buffers.push(pending);
    const store = create(pending);
    this.stores.set(name, { kind, store: store as unknown as AnyStore });
    return store;
  }
}
