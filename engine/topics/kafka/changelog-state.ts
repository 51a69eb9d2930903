/**
 * Changelog topics for task state in Kafka mode (DESIGN.md, "Commit" and "State"): a
 * `StateBackend` wrapper that makes every task's stores recoverable from Kafka, so a task can
 * start on an instance with no local state (new machine, lost disk, or a task that moved to another
 * instance through the query's consumer group, runtime/group-assignment.ts).
 *
 * Plugging in: wrap the local backend and hand the wrapper to the query runner as its `state`.
 *
 *   const state = new ChangelogStateBackend(createRocksStateBackend(dir), { topics, serviceId, partitions });
 *   new RunnerQueryHost({ topics, functions, processingLog, serviceId, state });
 *
 * Operators keep using the `TaskState` contract unchanged (stateful work needs nothing else):
 * - Each store `S` of query `Q` has a compacted topic `_confluent-ksql-<service id>query_<Q>-S-changelog`
 *   (ksqlDB's naming) with one partition per task; task `p` (or `<subtopology>_p`) writes partition `p`.
 * - Writes through the stores are remembered (last write per key) and, at `commit`, appended to the
 *   changelogs *before* the local atomic commit; the local commit then records, in the task
 *   metadata, how far each changelog is reflected locally (its checkpoint). Source offsets are
 *   also committed to the query's consumer group after the local commit (by the query runner, or
 *   here unless `commitGroupOffsets` is false), so an instance without the local state — or with
 *   local state older than the changelog — continues from the group's position.
 * - `openTask` reads each existing changelog of the query from the local checkpoint (0 when there
 *   is no local state) to its end; a store's restored entries are applied the first time an
 *   operator opens it (serialisers are only known then), as pending writes that the next commit
 *   makes durable.
 * - Guarantee: at-least-once. A crash after the changelog append and before the local commit
 *   replays the appended changes on restore while the sources are re-read from the older offsets.
 * - Changelog record formats (Sluice-internal; they do not need to match Kafka Streams'):
 *   key-value: key = serialised key, value = serialised value or null (delete);
 *   window: key = u32 key length, key, i64 window start; session: the same plus i64 window end.
 * - Restored entries are held in memory (last value per key) until their store is opened.
 */
import type {
  KeyValueStore, SessionStore, SessionWindow, StateBackend, StoreOptions, TaskState, WindowStore,
} from '../../state/stores.js';
import type { ProducedRecord, Topics } from '../topics.js';

export interface ChangelogOptions {
  readonly topics: Topics;
  readonly serviceId: string;
  /** Tasks of a query = partitions of its changelog topics (the source partition count). */
  partitions(queryId: string): number | Promise<number>;
  /** Replication factor of created changelog topics; default 1. */
  readonly replicas?: number;
  /**
   * Whether `commit` also commits the source offsets to the query's consumer group (a simple,
   * generation-less commit); default true. The query runner commits them itself, as a member of
   * the group when instances share the tasks (an active group rejects simple commits): it sets false.
   */
  readonly commitGroupOffsets?: boolean;
}

/** Key of the task metadata entry holding changelog checkpoints (store → next changelog offset). */
export const CHECKPOINT_KEY = '__changelog';

export function changelogTopic(serviceId: string, queryId: string, store: string): string {
  return `_confluent-ksql-${serviceId}query_${queryId}-${store}-changelog`;
}

export class ChangelogStateBackend implements StateBackend {
  constructor(private readonly inner: StateBackend, private readonly opts: ChangelogOptions) {}

  async openTask(queryId: string, taskId: string): Promise<TaskState> {
    // A store lives in one sub-topology, so its changelog partition is the task's partition.
    const partition = Number(taskId.slice(taskId.lastIndexOf('_') + 1));
    if (!Number.isInteger(partition) || partition < 0) throw new Error(`Changelogged task ids are '<partition>' or '<subtopology>_<partition>', got '${taskId}'`);
    const inner = await this.inner.openTask(queryId, taskId);
    try {
      const t = new ChangelogTaskState(inner, this.opts, queryId, partition);
      await t.readChangelogs();
      return t;
    } catch (e) {
      await inner.close();
      throw e;
    }
  }

  destroyQuery(queryId: string): Promise<void> {
    return this.inner.destroyQuery(queryId);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

type Change = { key: Buffer; value: Buffer | null };

class ChangelogTaskState implements TaskState {
  /** Store name → changes since the last commit, last one per key (hex of the changelog key). */
  private readonly changes = new Map<string, Map<string, Change>>();
  private readonly restored = new Map<string, Map<string, Change>>();
  private readonly checkpoints: Record<string, number>;
  private readonly created = new Set<string>();
  private readonly wrapped = new Map<string, unknown>();

  constructor(private readonly inner: TaskState, private readonly opts: ChangelogOptions, private readonly queryId: string, private readonly partition: number) {
    this.checkpoints = { ...((inner.committedMetadata()[CHECKPOINT_KEY] as Record<string, number> | undefined) ?? {}) };
  }

  private topicOf(store: string): string {
    return changelogTopic(this.opts.serviceId, this.queryId, store);
  }

  /** Reads every existing changelog of this query from the local checkpoint to its end. */
  async readChangelogs(): Promise<void> {
    const prefix = `_confluent-ksql-${this.opts.serviceId}query_${this.queryId}-`;
    const suffix = '-changelog';
    for (const t of await this.opts.topics.listTopics()) {
      if (!t.name.startsWith(prefix) || !t.name.endsWith(suffix) || t.partitions <= this.partition) continue;
      const store = t.name.slice(prefix.length, -suffix.length);
      this.created.add(store);
      const end = await this.opts.topics.endOffset(t.name, this.partition);
      let offset = Math.max(this.checkpoints[store] ?? 0, await this.opts.topics.startOffset(t.name, this.partition));
      const entries = new Map<string, Change>();
      while (offset < end) {
        const batch = await this.opts.topics.read(t.name, this.partition, offset, 5000, 1000);
        if (batch.length === 0) throw new Error(`Cannot restore ${t.name}-${this.partition}: no records at ${offset} (end ${end})`);
        for (const r of batch) if (r.key) entries.set(r.key.toString('hex'), { key: r.key, value: r.value });
        offset = batch[batch.length - 1]!.offset + 1;
      }
      this.checkpoints[store] = end;
      if (entries.size) this.restored.set(store, entries);
    }
  }

  private log(store: string, key: Buffer, value: Buffer | null): void {
    let m = this.changes.get(store);
    if (!m) this.changes.set(store, (m = new Map()));
    m.set(key.toString('hex'), { key, value });
  }

  private takeRestored(store: string): Change[] {
    const r = this.restored.get(store);
    this.restored.delete(store);
    return r ? [...r.values()] : [];
  }

  keyValueStore<K, V>(name: string, options: StoreOptions<K, V>): KeyValueStore<K, V> {
    const existing = this.wrapped.get(name);
    if (existing) return existing as KeyValueStore<K, V>;
    const store = this.inner.keyValueStore(name, options);
    for (const c of this.takeRestored(name)) {
      const k = options.keySerializer.deserialize(c.key);
      if (c.value === null) store.delete(k);
      else store.put(k, options.valueSerializer.deserialize(c.value));
    }
    const log = (k: K, v: V | null) => this.log(name, options.keySerializer.serialize(k), v === null ? null : options.valueSerializer.serialize(v));
    const wrapper: KeyValueStore<K, V> = {
      name: store.name,
      get: (k) => store.get(k),
      put: (k, v) => { store.put(k, v); log(k, v); },
      delete: (k) => { store.delete(k); log(k, null); },
      range: (from, to) => store.range(from, to),
      all: () => store.all(),
      approximateCount: () => store.approximateCount(),
    };
    this.wrapped.set(name, wrapper);
    return wrapper;
  }

  windowStore<K, V>(name: string, options: StoreOptions<K, V> & { readonly retentionMs: number; readonly windowSizeMs?: number }): WindowStore<K, V> {
    const existing = this.wrapped.get(name);
    if (existing) return existing as WindowStore<K, V>;
    const store = this.inner.windowStore(name, options);
    for (const c of this.takeRestored(name)) {
      const [key, start] = splitKey(c.key, 1);
      store.put(options.keySerializer.deserialize(key), start[0]!, c.value === null ? null : options.valueSerializer.deserialize(c.value));
    }
    const wrapper: WindowStore<K, V> = {
      name: store.name,
      put: (k, start, v) => {
        store.put(k, start, v);
        this.log(name, joinKey(options.keySerializer.serialize(k), [start]), v === null ? null : options.valueSerializer.serialize(v));
      },
      fetch: (k, start) => store.fetch(k, start),
      fetchRange: (k, from, to) => store.fetchRange(k, from, to),
      fetchAll: (from, to) => store.fetchAll(from, to),
      // Expiry is re-derived from stream time after a restore; expired entries restored from a
      // not-yet-compacted changelog are dropped by the store's own retention.
      expireBefore: (time) => store.expireBefore(time),
    };
    this.wrapped.set(name, wrapper);
    return wrapper;
  }

  sessionStore<K, V>(name: string, options: StoreOptions<K, V> & { readonly retentionMs: number }): SessionStore<K, V> {
    const existing = this.wrapped.get(name);
    if (existing) return existing as SessionStore<K, V>;
    const store = this.inner.sessionStore(name, options);
    for (const c of this.takeRestored(name)) {
      const [key, [start, end]] = splitKey(c.key, 2);
      const k = options.keySerializer.deserialize(key);
      const w: SessionWindow = { start: start!, end: end! };
      if (c.value === null) store.remove(k, w);
      else store.put(k, w, options.valueSerializer.deserialize(c.value));
    }
    const keyOf = (k: K, w: SessionWindow) => joinKey(options.keySerializer.serialize(k), [w.start, w.end]);
    const wrapper: SessionStore<K, V> = {
      name: store.name,
      findSessions: (k, earliestEnd, latestStart) => store.findSessions(k, earliestEnd, latestStart),
      put: (k, w, v) => { store.put(k, w, v); this.log(name, keyOf(k, w), options.valueSerializer.serialize(v)); },
      remove: (k, w) => { store.remove(k, w); this.log(name, keyOf(k, w), null); },
      fetchAll: () => store.fetchAll(),
      expireBefore: (time) => store.expireBefore(time),
    };
    this.wrapped.set(name, wrapper);
    return wrapper;
  }

  committedOffsets(): ReadonlyMap<string, number> {
    return this.inner.committedOffsets();
  }

  committedMetadata(): Readonly<Record<string, unknown>> {
    const { [CHECKPOINT_KEY]: _, ...rest } = this.inner.committedMetadata();
    return rest;
  }

  async commit(offsets: ReadonlyMap<string, number>, metadata?: Readonly<Record<string, unknown>>): Promise<void> {
    this.inner.flushCaches(); // caches write into the (logged) stores before the changelog append
    const { topics } = this.opts;
    for (const [store, changes] of this.changes) {
      if (changes.size === 0) continue;
      const topic = this.topicOf(store);
      if (!this.created.has(store)) {
        await topics.createTopic(topic, {
          partitions: await this.opts.partitions(this.queryId), replicas: this.opts.replicas ?? 1,
          configs: { 'cleanup.policy': 'compact' },
        });
        this.created.add(store);
      }
      const records: ProducedRecord[] = [...changes.values()].map((c) => ({ key: c.key, value: c.value, timestamp: Date.now(), headers: [] }));
      const base = await topics.append(topic, this.partition, records);
      this.checkpoints[store] = base + records.length;
      changes.clear();
    }
    const base = metadata ?? this.committedMetadata();
    await this.inner.commit(offsets, { ...base, [CHECKPOINT_KEY]: { ...this.checkpoints } });
    if (offsets.size > 0 && this.opts.commitGroupOffsets !== false) await topics.commitOffsets(`_confluent-ksql-${this.opts.serviceId}query_${this.queryId}`, offsets);
  }

  beforeCommit(hook: () => boolean): void {
    this.inner.beforeCommit(hook);
  }

  flushCaches(): void {
    this.inner.flushCaches();
  }

  pendingBytes(): number {
    return this.inner.pendingBytes();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

function joinKey(key: Buffer, longs: readonly number[]): Buffer {
  const out = Buffer.allocUnsafe(4 + key.length + 8 * longs.length);
  out.writeUInt32BE(key.length, 0);
  key.copy(out, 4);
  longs.forEach((v, i) => out.writeBigInt64BE(BigInt(v), 4 + key.length + 8 * i));
  return out;
}

function splitKey(buf: Buffer, n: number): [Buffer, number[]] {
  const len = buf.readUInt32BE(0);
  const key = buf.subarray(4, 4 + len);
  return [key, Array.from({ length: n }, (_, i) => Number(buf.readBigInt64BE(4 + len + 8 * i)))];
}
