/**
 * A fast in-memory StateBackend for the conformance driver and unit tests: the same contracts as
 * the RocksDB backend (stores.ts), no disk. Values are kept serialised with the store's serialiser,
 * so an accumulator that the RocksDB codec cannot encode fails here too, and a caller mutating a
 * value after `put` cannot corrupt the store.
 *
 * Writes are visible at once; `commit` only records offsets and metadata (there is no crash to
 * survive in memory). Reopening a task of the same backend sees the data written before (so a
 * "restart" inside one process keeps its state).
 */
import type {
  KeyValueStore, SessionStore, SessionWindow, StateBackend, StoreOptions, TaskState, WindowStore,
} from './stores.js';

type Entry = { kb: Buffer; vb: Buffer };

function compareBytes(a: Buffer, b: Buffer): number {
  return Buffer.compare(a, b);
}

class MemoryKeyValueStore<K, V> implements KeyValueStore<K, V> {
  private readonly map = new Map<string, Entry>();
  constructor(readonly name: string, private readonly options: StoreOptions<K, V>) {}

  get(key: K): V | undefined {
    const e = this.map.get(this.options.keySerializer.serialize(key).toString('latin1'));
    return e === undefined ? undefined : this.options.valueSerializer.deserialize(e.vb);
  }

  put(key: K, value: V): void {
    if (value === null || value === undefined) { this.delete(key); return; }
    const kb = Buffer.from(this.options.keySerializer.serialize(key));
    this.map.set(kb.toString('latin1'), { kb, vb: Buffer.from(this.options.valueSerializer.serialize(value)) });
  }

  delete(key: K): void {
    this.map.delete(this.options.keySerializer.serialize(key).toString('latin1'));
  }

  *range(from?: K, to?: K): IterableIterator<[K, V]> {
    const lo = from === undefined ? undefined : Buffer.from(this.options.keySerializer.serialize(from));
    const hi = to === undefined ? undefined : Buffer.from(this.options.keySerializer.serialize(to));
    const entries = [...this.map.values()].sort((a, b) => compareBytes(a.kb, b.kb));
    for (const e of entries) {
      if (lo && compareBytes(e.kb, lo) < 0) continue;
      if (hi && compareBytes(e.kb, hi) > 0) continue;
      yield [this.options.keySerializer.deserialize(e.kb), this.options.valueSerializer.deserialize(e.vb)];
    }
  }

  all(): IterableIterator<[K, V]> {
    return this.range();
  }

  approximateCount(): number {
    return this.map.size;
  }
}

class MemoryWindowStore<K, V> implements WindowStore<K, V> {
  /** key bytes (latin1) → start → value bytes */
  private readonly map = new Map<string, { kb: Buffer; windows: Map<number, Buffer> }>();
  constructor(readonly name: string, private readonly options: StoreOptions<K, V>) {}

  put(key: K, windowStart: number, value: V | null): void {
    const kb = Buffer.from(this.options.keySerializer.serialize(key));
    const id = kb.toString('latin1');
    let e = this.map.get(id);
    if (value === null || value === undefined) {
      e?.windows.delete(windowStart);
      return;
    }
    if (!e) this.map.set(id, (e = { kb, windows: new Map() }));
    e.windows.set(windowStart, Buffer.from(this.options.valueSerializer.serialize(value)));
  }

  fetch(key: K, windowStart: number): V | undefined {
    const e = this.map.get(this.options.keySerializer.serialize(key).toString('latin1'));
    const vb = e?.windows.get(windowStart);
    return vb === undefined ? undefined : this.options.valueSerializer.deserialize(vb);
  }

  *fetchRange(key: K, timeFrom: number, timeTo: number): IterableIterator<[number, V]> {
    const e = this.map.get(this.options.keySerializer.serialize(key).toString('latin1'));
    if (!e) return;
    const starts = [...e.windows.keys()].filter((s) => s >= timeFrom && s <= timeTo).sort((a, b) => a - b);
    for (const s of starts) yield [s, this.options.valueSerializer.deserialize(e.windows.get(s)!)];
  }

  *fetchAll(timeFrom: number, timeTo: number): IterableIterator<[K, number, V]> {
    const out: [Buffer, number, Buffer][] = [];
    for (const e of this.map.values()) {
      for (const [s, vb] of e.windows) if (s >= timeFrom && s <= timeTo) out.push([e.kb, s, vb]);
    }
    // Time-major order, as the RocksDB store's time index yields them.
    out.sort((a, b) => (a[1] - b[1]) || compareBytes(a[0], b[0]));
    for (const [kb, s, vb] of out) yield [this.options.keySerializer.deserialize(kb), s, this.options.valueSerializer.deserialize(vb)];
  }

  expireBefore(time: number): void {
    for (const e of this.map.values()) for (const s of [...e.windows.keys()]) if (s < time) e.windows.delete(s);
  }
}

class MemorySessionStore<K, V> implements SessionStore<K, V> {
  private readonly map = new Map<string, { kb: Buffer; sessions: Map<string, { w: SessionWindow; vb: Buffer }> }>();
  constructor(readonly name: string, private readonly options: StoreOptions<K, V>) {}

  *findSessions(key: K, earliestEnd: number, latestStart: number): IterableIterator<[SessionWindow, V]> {
    const e = this.map.get(this.options.keySerializer.serialize(key).toString('latin1'));
    if (!e) return;
    const found = [...e.sessions.values()]
      .filter((s) => s.w.end >= earliestEnd && s.w.start <= latestStart)
      .sort((a, b) => (a.w.end - b.w.end) || (a.w.start - b.w.start));
    for (const s of found) yield [s.w, this.options.valueSerializer.deserialize(s.vb)];
  }

  put(key: K, window: SessionWindow, value: V): void {
    if (value === null || value === undefined) { this.remove(key, window); return; }
    const kb = Buffer.from(this.options.keySerializer.serialize(key));
    const id = kb.toString('latin1');
    let e = this.map.get(id);
    if (!e) this.map.set(id, (e = { kb, sessions: new Map() }));
    e.sessions.set(`${window.end}:${window.start}`, { w: { start: window.start, end: window.end }, vb: Buffer.from(this.options.valueSerializer.serialize(value)) });
  }

  remove(key: K, window: SessionWindow): void {
    const e = this.map.get(this.options.keySerializer.serialize(key).toString('latin1'));
    e?.sessions.delete(`${window.end}:${window.start}`);
  }

  *fetchAll(): IterableIterator<[K, SessionWindow, V]> {
    const entries = [...this.map.values()].sort((a, b) => compareBytes(a.kb, b.kb));
    for (const e of entries) {
      const sessions = [...e.sessions.values()].sort((a, b) => (a.w.end - b.w.end) || (a.w.start - b.w.start));
      for (const s of sessions) yield [this.options.keySerializer.deserialize(e.kb), s.w, this.options.valueSerializer.deserialize(s.vb)];
    }
  }

  expireBefore(time: number): void {
    for (const e of this.map.values()) for (const [id, s] of [...e.sessions]) if (s.w.end < time) e.sessions.delete(id);
  }
}

type AnyStore = { kind: 'kv' | 'window' | 'session'; store: unknown };

class MemoryTaskState implements TaskState {
  private closed = false;
  private readonly hooks: (() => boolean)[] = [];

  constructor(
    private readonly data: { stores: Map<string, AnyStore>; offsets: Map<string, number>; metadata: Record<string, unknown> },
    private readonly onClose: () => void,
  ) {}

  private open<S>(name: string, kind: AnyStore['kind'], create: () => S): S {
    if (this.closed) throw new Error('Task state is closed');
    const existing = this.data.stores.get(name);
    if (existing) {
      if (existing.kind !== kind) throw new Error(`Store ${name} is open as a ${existing.kind} store, not ${kind}`);
      return existing.store as S;
    }
    const store = create();
    this.data.stores.set(name, { kind, store });
    return store;
  }

  keyValueStore<K, V>(name: string, options: StoreOptions<K, V>): KeyValueStore<K, V> {
    return this.open(name, 'kv', () => new MemoryKeyValueStore(name, options));
  }

  windowStore<K, V>(name: string, options: StoreOptions<K, V> & { readonly retentionMs: number }): WindowStore<K, V> {
    return this.open(name, 'window', () => new MemoryWindowStore(name, options));
  }

  sessionStore<K, V>(name: string, options: StoreOptions<K, V> & { readonly retentionMs: number }): SessionStore<K, V> {
    return this.open(name, 'session', () => new MemorySessionStore(name, options));
  }

  committedOffsets(): ReadonlyMap<string, number> {
    return this.data.offsets;
  }

  committedMetadata(): Readonly<Record<string, unknown>> {
    return this.data.metadata;
  }

  flushCaches(): void {
    for (let round = 0; round < 100; round++) {
      let progressed = false;
      for (const h of this.hooks) if (h()) progressed = true;
      if (!progressed) break;
    }
  }

  async commit(offsets: ReadonlyMap<string, number>, metadata?: Readonly<Record<string, unknown>>): Promise<void> {
    this.flushCaches();
    for (const [k, v] of offsets) this.data.offsets.set(k, v);
    if (metadata !== undefined) this.data.metadata = { ...metadata };
  }

  beforeCommit(hook: () => boolean): void {
    this.hooks.push(hook);
  }

  pendingBytes(): number {
    return 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
  }

  async destroy(): Promise<void> {
    await this.close();
    this.data.stores.clear();
    this.data.offsets.clear();
    this.data.metadata = {};
  }
}

export class MemoryStateBackend implements StateBackend {
  private readonly tasks = new Map<string, { stores: Map<string, AnyStore>; offsets: Map<string, number>; metadata: Record<string, unknown> }>();
  private readonly open = new Set<string>();

  async openTask(queryId: string, taskId: string): Promise<TaskState> {
    const id = `${queryId}/${taskId}`;
    if (this.open.has(id)) throw new Error(`Task ${id} is already open`);
    let data = this.tasks.get(id);
    if (!data) this.tasks.set(id, (data = { stores: new Map(), offsets: new Map(), metadata: {} }));
    this.open.add(id);
    return new MemoryTaskState(data, () => this.open.delete(id));
  }

  async destroyQuery(queryId: string): Promise<void> {
    for (const id of [...this.tasks.keys()]) if (id.startsWith(`${queryId}/`)) this.tasks.delete(id);
  }

  async close(): Promise<void> {
    this.open.clear();
  }
}

/** A stand-alone in-memory task state (transient queries: state that needs no durability). */
export function createMemoryTaskState(): TaskState {
  return new MemoryTaskState({ stores: new Map(), offsets: new Map(), metadata: {} }, () => {});
}

export function createMemoryStateBackend(): MemoryStateBackend {
  return new MemoryStateBackend();
}
