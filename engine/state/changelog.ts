/**
 * Changelog topics for task state, in every mode (DESIGN.md, "State": changelogging is a wrapper
 * around a task's stores, not a flag inside them). Kafka Streams backs each state store with a
 * compacted topic; so does Sluice, so that a task opened with no local state (a lost RocksDB
 * directory, a new machine, a partition moved to another instance) is rebuilt from the log.
 *
 * - Topic: `_confluent-ksql-<service id>query_<query id>-<store>-changelog`, compacted, one
 *   partition per task (partitions = the query's task count); task `p` writes partition `p`.
 *   `<store>` is ksqlDB's name for the store when the plan gives one (planner/store-names.ts,
 *   `storeNames`), else the Sluice store name. A store mapped to null has no changelog: ksqlDB backs
 *   it by the source table's topic, and the runner restores it by re-reading that topic.
 * - What is logged: the writes that reach the store, i.e. after the write-back cache (only flushed
 *   values, as in Kafka Streams), last write per key between two commits.
 * - When (`mode`):
 *   'outbox' (embedded mode, exactly-once): `drain()` hands the commit's changelog records to the
 *     runner, which stages them in the task's outbox with its sink outputs (runtime/task-outputs.ts):
 *     they are committed atomically with the state and offsets and appended after. Local state is
 *     then never behind its changelogs, so only a task with no committed local state restores.
 *   'direct' (Kafka mode, at-least-once): `commit` appends the records *before* the local atomic
 *     commit, which records how far each changelog is reflected locally (a checkpoint in the task
 *     metadata); `open` reads each changelog from the checkpoint (0 without local state) to its end.
 *     A crash between the two replays the appended changes on restore.
 * - Record format (Sluice-internal, documented in engine/state/README.md): key-value store: key =
 *   serialised key, value = serialised value or null (delete); window store: key = u32 key length,
 *   key, i64 window start; session store: the same plus i64 window end. Timestamp: the commit's clock.
 * - Restored entries are held in memory (last value per key) until their store is opened
 *   (serialisers are only known then) and applied as pending writes that the next commit makes durable.
 */
import type {
  KeyValueStore, SessionStore, SessionWindow, StoreOptions, TaskState, WindowStore,
} from './stores.js';
import { appendInBatches } from '../topics/batching.js';
import type { ProducedRecord, Topics } from '../topics/topics.js';

/** Key of the task metadata entry holding changelog checkpoints (topic → next changelog offset). */
export const CHECKPOINT_KEY = '__changelog';

export function changelogTopic(serviceId: string, queryId: string, store: string): string {
  return `_confluent-ksql-${serviceId}query_${queryId}-${store}-changelog`;
}

export interface ChangelogTaskOptions {
  readonly topics: Topics;
  readonly serviceId: string;
  readonly queryId: string;
  /** The task's number = its changelog partition. */
  readonly partition: number;
  /** Tasks of the query = partitions of its changelog topics. */
  partitions(): number | Promise<number>;
  /** Replication factor of created changelog topics; default 1. */
  readonly replicas?: number;
  /** ksqlDB store names (store → name, or null for no changelog); unlisted stores keep their name. */
  readonly storeNames?: ReadonlyMap<string, string | null>;
  readonly mode: 'direct' | 'outbox';
  /**
   * 'direct' mode: whether `commit` also commits the source offsets to the query's consumer group
   * (a simple, generation-less commit); default true. The query runner commits them itself, as a
   * member of the group when instances share the tasks (an active group rejects simple commits).
   */
  readonly commitGroupOffsets?: boolean;
  /** Timestamp of changelog records; default Date.now. */
  readonly clock?: () => number;
}

/** A changelog record for the outbox (the shape of the runtime's `OutputRecord`). */
export interface ChangelogRecord {
  readonly topic: string;
  readonly partition: number;
  readonly record: ProducedRecord;
}

type Change = { key: Buffer; value: Buffer | null };

export class ChangelogTaskState implements TaskState {
  /** Topic → changes since the last commit, last one per key (hex of the changelog key). */
  private readonly changes = new Map<string, Map<string, Change>>();
  private readonly restored = new Map<string, Map<string, Change>>();
  private readonly checkpoints: Record<string, number>;
  private readonly created = new Set<string>();
  private readonly wrapped = new Map<string, unknown>();

  private constructor(private readonly inner: TaskState, private readonly opts: ChangelogTaskOptions) {
    this.checkpoints = { ...((inner.committedMetadata()[CHECKPOINT_KEY] as Record<string, number> | undefined) ?? {}) };
  }

  /** Wraps an opened task: creates the plan's changelogs and restores from them (see the modes). */
  static async open(inner: TaskState, opts: ChangelogTaskOptions): Promise<ChangelogTaskState> {
    const t = new ChangelogTaskState(inner, opts);
    await t.readChangelogs(opts.mode === 'direct' || inner.committedOffsets().size === 0);
    for (const name of new Set(opts.storeNames?.values() ?? [])) if (name !== null) await t.ensureTopic(changelogTopic(opts.serviceId, opts.queryId, name));
    return t;
  }

  /** The changelog topic of a store, or null when it has none. */
  topicOf(store: string): string | null {
    const mapped = this.opts.storeNames?.get(store);
    if (mapped === null) return null;
    return changelogTopic(this.opts.serviceId, this.opts.queryId, mapped ?? store);
  }

  /** Finds this query's changelogs and, with `restore`, reads this task's partitions from the checkpoint. */
  private async readChangelogs(restore: boolean): Promise<void> {
    const { topics, serviceId, queryId, partition } = this.opts;
    const prefix = `_confluent-ksql-${serviceId}query_${queryId}-`;
    for (const t of await topics.listTopics()) {
      if (!t.name.startsWith(prefix) || !t.name.endsWith('-changelog') || t.partitions <= partition) continue;
      this.created.add(t.name);
      if (!restore) continue;
      const end = await topics.endOffset(t.name, partition);
      let offset = Math.max(this.checkpoints[t.name] ?? 0, await topics.startOffset(t.name, partition));
      const entries = new Map<string, Change>();
      while (offset < end) {
        const batch = await topics.read(t.name, partition, offset, 5000, 1000);
        if (batch.length === 0) throw new Error(`Cannot restore ${t.name}-${partition}: no records at ${offset} (end ${end})`);
        for (const r of batch) if (r.key) entries.set(r.key.toString('hex'), { key: r.key, value: r.value });
        offset = batch[batch.length - 1]!.offset + 1;
      }
      this.checkpoints[t.name] = end;
      if (entries.size) this.restored.set(t.name, entries);
    }
  }

  private async ensureTopic(topic: string): Promise<void> {
    if (this.created.has(topic)) return;
    if (!(await this.opts.topics.describeTopic(topic))) {
      try {
        await this.opts.topics.createTopic(topic, {
          partitions: await this.opts.partitions(), replicas: this.opts.replicas ?? 1,
          configs: { 'cleanup.policy': 'compact' },
        });
      } catch (e) {
        // another task of the query created it meanwhile
        if (!(await this.opts.topics.describeTopic(topic))) throw e;
      }
    }
    this.created.add(topic);
  }

  /** The changelog topics this task writes or may write (for the outbox's baselines). */
  knownTopics(): string[] {
    return [...this.created];
  }

  private log(store: string, key: Buffer, value: Buffer | null): void {
    const topic = this.topicOf(store)!;
    let m = this.changes.get(topic);
    if (!m) this.changes.set(topic, (m = new Map()));
    m.set(key.toString('hex'), { key, value });
  }

  private takeRestored(store: string): Change[] {
    const topic = this.topicOf(store);
    const r = topic === null ? undefined : this.restored.get(topic);
    if (topic !== null) this.restored.delete(topic);
    return r ? [...r.values()] : [];
  }

  keyValueStore<K, V>(name: string, options: StoreOptions<K, V>): KeyValueStore<K, V> {
    const existing = this.wrapped.get(name);
    if (existing) return existing as KeyValueStore<K, V>;
    const store = this.inner.keyValueStore(name, options);
    if (this.topicOf(name) === null) return store;
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
    if (this.topicOf(name) === null) return store;
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
    if (this.topicOf(name) === null) return store;
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

  /**
   * The changelog records of the writes since the last drain (caches flushed first), creating
   * topics not seen yet. Outbox mode: the runner stages them with the commit; direct mode: `commit`.
   */
  async drain(): Promise<ChangelogRecord[]> {
    this.inner.flushCaches();
    const out: ChangelogRecord[] = [];
    const timestamp = (this.opts.clock ?? Date.now)();
    for (const [topic, changes] of this.changes) {
      if (changes.size === 0) continue;
      await this.ensureTopic(topic);
      for (const c of changes.values()) out.push({ topic, partition: this.opts.partition, record: { key: c.key, value: c.value, timestamp, headers: [] } });
      changes.clear();
    }
    return out;
  }

  async commit(offsets: ReadonlyMap<string, number>, metadata?: Readonly<Record<string, unknown>>): Promise<void> {
    const base = metadata ?? this.committedMetadata();
    if (this.opts.mode === 'outbox') {
      await this.inner.commit(offsets, base);
      return;
    }
    const { topics, serviceId, queryId } = this.opts;
    const byTopic = new Map<string, ProducedRecord[]>();
    for (const r of await this.drain()) {
      const list = byTopic.get(r.topic) ?? [];
      list.push(r.record);
      byTopic.set(r.topic, list);
    }
    for (const [topic, records] of byTopic) {
      const first = await appendInBatches(topics, topic, this.opts.partition, records);
      this.checkpoints[topic] = first + records.length;
    }
    await this.inner.commit(offsets, { ...base, [CHECKPOINT_KEY]: { ...this.checkpoints } });
    if (offsets.size > 0 && this.opts.commitGroupOffsets !== false) await topics.commitOffsets(`_confluent-ksql-${serviceId}query_${queryId}`, offsets);
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
