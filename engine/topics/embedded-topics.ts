/**
 * The embedded topic log: `Topics` (and the listener's `BatchLog`) over a directory.
 *
 *   <dir>/topics/<topic>/topic.json     partitions, replicas, explicit configs (written atomically)
 *   <dir>/topics/<topic>/<partition>/   segments: <base>.log, <base>.index, <base>.timeindex
 *   <dir>/offsets.jsonl                 committed consumer-group offsets (see OffsetStore)
 *
 * Lifecycle: `await EmbeddedTopics.open(opts)` recovers every partition (torn tails truncated);
 * `close()` syncs and marks partitions clean so the next open skips the CRC scan. One process
 * owns a directory at a time.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppendNotifier } from './append-notifier.js';
import { KafkaErrorCode, TopicsError, type AppendListener, type AppendResult, type BatchLog, type FetchResult } from './batch-log.js';
import { compactPartition } from './compaction.js';
import { codecFromName } from './compression.js';
import type { FsyncPolicy } from './fsync-policy.js';
import { OffsetStore } from './offset-store.js';
import { PartitionLog, partitionSettings, syncDir } from './partition-log.js';
import { encodeBatch } from './record-batch.js';
import { cleanupFlags, validateTopicName, withDefaults } from './topic-config.js';
import type { ConsumedRecord, ProducedRecord, TopicConfig, TopicDescription, Topics } from './topics.js';

export interface EmbeddedTopicsOptions {
  /** Root directory (created if missing). */
  readonly dir: string;
  /** Default `always` (acknowledged = on disk; concurrent appends share fsyncs). */
  readonly fsync?: FsyncPolicy;
  /** Broker-level topic config defaults by Kafka name (e.g. `retention.ms`, `segment.bytes`). */
  readonly topicDefaults?: Readonly<Record<string, string>>;
  /** How often retention and compaction run; default 300000 (log.retention.check.interval.ms). 0 = never (call `maintenance()`). */
  readonly maintenanceIntervalMs?: number;
  /** Clock for retention and LogAppendTime (tests). */
  readonly now?: () => number;
}

interface TopicState {
  readonly name: string;
  readonly replicas: number;
  readonly explicit: Record<string, string>;
  readonly configs: Record<string, string>;
  readonly partitions: PartitionLog[];
}

export class EmbeddedTopics implements Topics, BatchLog {
  private readonly topics = new Map<string, TopicState>();
  private readonly notifier = new AppendNotifier();
  private readonly topicsDir: string;
  private readonly policy: FsyncPolicy;
  private readonly now: () => number;
  private readonly offsets: OffsetStore;
  private readonly timers: NodeJS.Timeout[] = [];
  private maintaining: Promise<void> | undefined;
  private closed = false;

  private constructor(private readonly opts: EmbeddedTopicsOptions) {
    this.topicsDir = path.join(opts.dir, 'topics');
    this.policy = opts.fsync ?? 'always';
    this.now = opts.now ?? Date.now;
    fs.mkdirSync(this.topicsDir, { recursive: true });
    this.offsets = new OffsetStore(opts.dir, this.policy !== 'never');
  }

  static async open(opts: EmbeddedTopicsOptions): Promise<EmbeddedTopics> {
    const t = new EmbeddedTopics(opts);
    t.loadTopics();
    t.startTimers();
    return t;
  }

  private loadTopics(): void {
    for (const name of fs.readdirSync(this.topicsDir)) {
      const dir = path.join(this.topicsDir, name);
      if (name.endsWith('.deleting')) {
        fs.rmSync(dir, { recursive: true, force: true });
        continue;
      }
      const metaFile = path.join(dir, 'topic.json');
      if (!fs.existsSync(metaFile)) continue;
      const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as { partitions: number; replicas: number; configs: Record<string, string> };
      this.openTopic(name, meta.partitions, meta.replicas, meta.configs);
    }
  }

  private openTopic(name: string, partitions: number, replicas: number, explicit: Record<string, string>): TopicState {
    const configs = withDefaults(explicit, this.opts.topicDefaults);
    const settings = partitionSettings(configs);
    const logs: PartitionLog[] = [];
    for (let p = 0; p < partitions; p++) logs.push(PartitionLog.open(path.join(this.topicsDir, name, String(p)), name, p, settings, this.policy));
    const state: TopicState = { name, replicas, explicit, configs, partitions: logs };
    this.topics.set(name, state);
    return state;
  }

  private startTimers(): void {
    const every = this.opts.maintenanceIntervalMs ?? 300_000;
    if (every > 0) this.timers.push(setInterval(() => void this.maintenance().catch(() => {}), every).unref());
    const p = this.policy;
    if (typeof p === 'object' && 'intervalMs' in p) {
      this.timers.push(
        setInterval(() => {
          for (const t of this.topics.values()) for (const log of t.partitions) if (log.dirty) void log.sync().catch(() => {});
        }, p.intervalMs).unref(),
      );
    }
  }

  private topic(name: string): TopicState {
    const t = this.topics.get(name);
    if (!t) throw new TopicsError(KafkaErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Unknown topic '${name}'`);
    return t;
  }

  private log(topic: string, partition: number): PartitionLog {
    const log = this.topic(topic).partitions[partition];
    if (!log) throw new TopicsError(KafkaErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Unknown partition ${topic}-${partition}`);
    return log;
  }

  async createTopic(name: string, config: TopicConfig): Promise<void> {
    validateTopicName(name);
    const existing = this.topics.get(name);
    if (existing) {
      if (existing.partitions.length === config.partitions) return;
      throw new TopicsError(KafkaErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${name}' already exists with ${existing.partitions.length} partitions`);
    }
    if (!Number.isInteger(config.partitions) || config.partitions < 1) throw new TopicsError(KafkaErrorCode.INVALID_PARTITIONS, `Invalid partition count ${config.partitions}`);
    const explicit = { ...config.configs };
    partitionSettings(withDefaults(explicit, this.opts.topicDefaults)); // validates numbers
    const dir = path.join(this.topicsDir, name);
    fs.mkdirSync(dir, { recursive: true });
    const tmp = path.join(dir, 'topic.json.tmp');
    fs.writeFileSync(tmp, JSON.stringify({ partitions: config.partitions, replicas: config.replicas, configs: explicit }));
    fs.renameSync(tmp, path.join(dir, 'topic.json'));
    this.openTopic(name, config.partitions, config.replicas, explicit);
    if (this.policy !== 'never') {
      syncDir(dir);
      syncDir(this.topicsDir);
    }
  }

  async deleteTopic(name: string): Promise<void> {
    const t = this.topic(name);
    this.topics.delete(name);
    for (const log of t.partitions) log.deleteAll();
    const dir = path.join(this.topicsDir, name);
    const doomed = `${dir}.${Date.now()}.deleting`;
    fs.renameSync(dir, doomed);
    fs.rmSync(doomed, { recursive: true, force: true });
    await this.offsets.forgetTopic(name);
  }

  private describe(t: TopicState): TopicDescription {
    return { name: t.name, partitions: t.partitions.length, replicas: t.replicas, configs: { ...t.configs } };
  }

  async describeTopic(name: string): Promise<TopicDescription | undefined> {
    const t = this.topics.get(name);
    return t && this.describe(t);
  }

  async listTopics(): Promise<TopicDescription[]> {
    return [...this.topics.values()].map((t) => this.describe(t));
  }

  partitionCount(topic: string): number | undefined {
    return this.topics.get(topic)?.partitions.length;
  }

  topicConfigs(topic: string): Readonly<Record<string, string>> | undefined {
    return this.topics.get(topic)?.configs;
  }

  async append(topic: string, partition: number, records: readonly ProducedRecord[]): Promise<number> {
    const t = this.topic(topic);
    const log = this.log(topic, partition);
    if (records.length === 0) return log.endOffset;
    const batch = await encodeBatch(records, 0, { codec: codecFromName(t.configs['compression.type']) });
    return (await this.appendEncoded(topic, partition, log, batch)).baseOffset;
  }

  async appendBatches(topic: string, partition: number, batches: Buffer): Promise<AppendResult> {
    return this.appendEncoded(topic, partition, this.log(topic, partition), batches);
  }

  private async appendEncoded(topic: string, partition: number, log: PartitionLog, data: Buffer): Promise<AppendResult> {
    if (this.closed) throw new TopicsError(KafkaErrorCode.KAFKA_STORAGE_ERROR, 'topics closed');
    const result = log.appendRaw(data, this.now());
    this.notifier.notify(topic, partition);
    const wait = log.afterAppend();
    if (wait) await wait;
    return result;
  }

  fetchBatches(topic: string, partition: number, offset: number, maxBytes: number): FetchResult {
    return this.log(topic, partition).fetch(offset, maxBytes);
  }

  async read(topic: string, partition: number, offset: number, maxRecords: number, waitMs = 0): Promise<ConsumedRecord[]> {
    const log = this.log(topic, partition);
    if (offset >= log.endOffset && waitMs > 0 && !this.closed) {
      if (!(await this.notifier.waitFor(topic, partition, waitMs))) return [];
      if (!this.topics.has(topic)) return [];
    }
    if (maxRecords <= 0) return [];
    return log.readRecords(offset, maxRecords);
  }

  startOffsetSync(topic: string, partition: number): number {
    return this.log(topic, partition).startOffset;
  }
  endOffsetSync(topic: string, partition: number): number {
    return this.log(topic, partition).endOffset;
  }
  async startOffset(topic: string, partition: number): Promise<number> {
    return this.startOffsetSync(topic, partition);
  }
  async endOffset(topic: string, partition: number): Promise<number> {
    return this.endOffsetSync(topic, partition);
  }
  async offsetForTime(topic: string, partition: number, timestamp: number): Promise<number> {
    return this.log(topic, partition).offsetForTime(timestamp);
  }

  async commitOffsets(groupId: string, offsets: ReadonlyMap<string, number>): Promise<void> {
    await this.offsets.commit(groupId, offsets);
  }
  async fetchOffsets(groupId: string): Promise<Map<string, number>> {
    return this.offsets.fetch(groupId);
  }

  onAppend(listener: AppendListener): () => void {
    return this.notifier.subscribe(listener);
  }

  /** Runs retention and compaction once over every partition (the timer calls this too). */
  maintenance(): Promise<void> {
    if (!this.maintaining) {
      this.maintaining = this.runMaintenance().finally(() => {
        this.maintaining = undefined;
      });
    }
    return this.maintaining;
  }

  private async runMaintenance(): Promise<void> {
    const now = this.now();
    for (const t of [...this.topics.values()]) {
      const compact = cleanupFlags(t.configs).compact;
      for (const log of t.partitions) {
        if (this.closed || !this.topics.has(t.name)) return;
        log.applyRetention(now);
        if (compact) await compactPartition(log, now);
      }
    }
  }

  /** Forces a segment roll (tests; `segment.ms`-style rolls happen on append). */
  roll(topic: string, partition: number): void {
    this.log(topic, partition).roll();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    this.notifier.wakeAll();
    await this.maintaining?.catch(() => {});
    for (const t of this.topics.values()) for (const log of t.partitions) log.close(true);
    this.topics.clear();
    await this.offsets.close();
  }
}
