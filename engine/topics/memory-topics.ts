/**
 * `Topics` (and `BatchLog`) in memory, for tests and the in-memory driver: the same batch format,
 * offsets, validation, retention and compaction semantics as the embedded log, with no disk.
 * The unit of retention and compaction is the batch (the embedded log's is the segment), and the
 * newest batch plays the active segment's part: never deleted or compacted.
 */
import { AppendNotifier } from './append-notifier.js';
import { KafkaErrorCode, TopicsError, type AppendListener, type AppendResult, type BatchLog, type FetchResult } from './batch-log.js';
import { codecFromName } from './compression.js';
import { partitionSettings, stampLogAppendTime, type PartitionSettings } from './partition-log.js';
import {
  ATTR_CODEC_MASK,
  ATTR_CONTROL,
  OFF_BASE_TIMESTAMP,
  batchAttributes,
  batchBaseOffset,
  batchLastOffsetDelta,
  batchMaxTimestamp,
  batchRecordCount,
  batchRecordsPayload,
  batchSize,
  decodeBatchRecords,
  encodeBatch,
  setBatchBaseOffset,
  validateBatch,
} from './record-batch.js';
import { cleanupFlags, validateTopicName, withDefaults } from './topic-config.js';
import type { ConsumedRecord, ProducedRecord, TopicConfig, TopicDescription, Topics } from './topics.js';

class MemPartition {
  batches: Buffer[] = [];
  start = 0;
  end = 0;
  bytes = 0;
  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  /** Index of the batch containing `offset` (or the first after it), or batches.length. */
  indexOf(offset: number): number {
    let lo = 0;
    let hi = this.batches.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const b = this.batches[mid]!;
      if (batchBaseOffset(b, 0) + batchLastOffsetDelta(b, 0) < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

interface MemTopic {
  readonly name: string;
  readonly replicas: number;
  readonly configs: Record<string, string>;
  readonly settings: PartitionSettings;
  readonly partitions: MemPartition[];
}

export interface MemoryTopicsOptions {
  readonly topicDefaults?: Readonly<Record<string, string>>;
  readonly now?: () => number;
}

export class MemoryTopics implements Topics, BatchLog {
  private readonly topics = new Map<string, MemTopic>();
  private readonly offsets = new Map<string, Map<string, number>>();
  private readonly notifier = new AppendNotifier();
  private readonly now: () => number;

  constructor(private readonly opts: MemoryTopicsOptions = {}) {
    this.now = opts.now ?? Date.now;
  }

  private topic(name: string): MemTopic {
    const t = this.topics.get(name);
    if (!t) throw new TopicsError(KafkaErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Unknown topic '${name}'`);
    return t;
  }
  private part(topic: string, partition: number): MemPartition {
    const p = this.topic(topic).partitions[partition];
    if (!p) throw new TopicsError(KafkaErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Unknown partition ${topic}-${partition}`);
    return p;
  }

  async createTopic(name: string, config: TopicConfig): Promise<void> {
    validateTopicName(name);
    const existing = this.topics.get(name);
    if (existing) {
      if (existing.partitions.length === config.partitions) return;
      throw new TopicsError(KafkaErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${name}' already exists with ${existing.partitions.length} partitions`);
    }
    if (!Number.isInteger(config.partitions) || config.partitions < 1) throw new TopicsError(KafkaErrorCode.INVALID_PARTITIONS, `Invalid partition count ${config.partitions}`);
    const configs = withDefaults(config.configs, this.opts.topicDefaults);
    const partitions = Array.from({ length: config.partitions }, (_, i) => new MemPartition(name, i));
    this.topics.set(name, { name, replicas: config.replicas, configs, settings: partitionSettings(configs), partitions });
  }

  async deleteTopic(name: string): Promise<void> {
    this.topic(name);
    this.topics.delete(name);
    for (const m of this.offsets.values()) for (const k of [...m.keys()]) if (k.slice(0, k.lastIndexOf(':')) === name) m.delete(k);
  }

  async describeTopic(name: string): Promise<TopicDescription | undefined> {
    const t = this.topics.get(name);
    return t && { name, partitions: t.partitions.length, replicas: t.replicas, configs: { ...t.configs } };
  }
  async listTopics(): Promise<TopicDescription[]> {
    return [...this.topics.values()].map((t) => ({ name: t.name, partitions: t.partitions.length, replicas: t.replicas, configs: { ...t.configs } }));
  }
  partitionCount(topic: string): number | undefined {
    return this.topics.get(topic)?.partitions.length;
  }
  topicConfigs(topic: string): Readonly<Record<string, string>> | undefined {
    return this.topics.get(topic)?.configs;
  }

  async append(topic: string, partition: number, records: readonly ProducedRecord[]): Promise<number> {
    const t = this.topic(topic);
    const p = this.part(topic, partition);
    if (records.length === 0) return p.end;
    const batch = await encodeBatch(records, 0, { codec: codecFromName(t.configs['compression.type']) });
    return this.appendSync(t, p, batch).baseOffset;
  }

  async appendBatches(topic: string, partition: number, data: Buffer): Promise<AppendResult> {
    return this.appendSync(this.topic(topic), this.part(topic, partition), data);
  }

  private appendSync(t: MemTopic, p: MemPartition, data: Buffer): AppendResult {
    const parts: Buffer[] = [];
    for (let pos = 0; pos < data.length; ) {
      const err = validateBatch(data, pos, data.length);
      if (err) throw new TopicsError(KafkaErrorCode.CORRUPT_MESSAGE, err);
      const size = batchSize(data, pos);
      if (size > t.settings.maxMessageBytes) throw new TopicsError(KafkaErrorCode.MESSAGE_TOO_LARGE, `batch of ${size} bytes exceeds max.message.bytes`);
      parts.push(data.subarray(pos, pos + size));
      pos += size;
    }
    if (parts.length === 0) throw new TopicsError(KafkaErrorCode.CORRUPT_MESSAGE, 'no record batch');
    const base = p.end;
    const now = this.now();
    for (const b of parts) {
      // copy: the caller's buffer (a request frame) must not be pinned or mutated later
      const own = Buffer.from(b);
      setBatchBaseOffset(own, 0, p.end);
      if (t.settings.logAppendTime) stampLogAppendTime(own, 0, now);
      p.end += batchLastOffsetDelta(own, 0) + 1;
      p.batches.push(own);
      p.bytes += own.length;
    }
    this.notifier.notify(t.name, p.partition);
    return { baseOffset: base, logAppendTime: t.settings.logAppendTime ? now : -1, logStartOffset: p.start };
  }

  fetchBatches(topic: string, partition: number, offset: number, maxBytes: number): FetchResult {
    const p = this.part(topic, partition);
    if (offset < p.start || offset > p.end) throw new TopicsError(KafkaErrorCode.OFFSET_OUT_OF_RANGE, `offset ${offset} outside [${p.start}, ${p.end}]`);
    const batches: Buffer[] = [];
    let bytes = 0;
    for (let i = p.indexOf(offset); i < p.batches.length; i++) {
      const b = p.batches[i]!;
      if (bytes > 0 && bytes + b.length > maxBytes) break;
      batches.push(b);
      bytes += b.length;
    }
    return { batches, bytes, highWatermark: p.end, logStartOffset: p.start };
  }

  async read(topic: string, partition: number, offset: number, maxRecords: number, waitMs = 0): Promise<ConsumedRecord[]> {
    const p = this.part(topic, partition);
    if (offset >= p.end && waitMs > 0 && !(await this.notifier.waitFor(topic, partition, waitMs))) return [];
    const out: ConsumedRecord[] = [];
    for (let i = p.indexOf(Math.max(offset, p.start)); i < p.batches.length && out.length < maxRecords; i++) {
      const b = p.batches[i]!;
      decodeBatchRecords(b, 0, await batchRecordsPayload(b, 0), topic, partition, offset, maxRecords - out.length, out);
    }
    return out;
  }

  startOffsetSync(topic: string, partition: number): number {
    return this.part(topic, partition).start;
  }
  endOffsetSync(topic: string, partition: number): number {
    return this.part(topic, partition).end;
  }
  async startOffset(topic: string, partition: number): Promise<number> {
    return this.startOffsetSync(topic, partition);
  }
  async endOffset(topic: string, partition: number): Promise<number> {
    return this.endOffsetSync(topic, partition);
  }

  async offsetForTime(topic: string, partition: number, timestamp: number): Promise<number> {
    const p = this.part(topic, partition);
    for (const b of p.batches) {
      if (batchMaxTimestamp(b, 0) < timestamp) continue;
      const out: ConsumedRecord[] = [];
      decodeBatchRecords(b, 0, await batchRecordsPayload(b, 0), topic, partition, 0, Number.MAX_SAFE_INTEGER, out);
      for (const r of out) if (r.timestamp >= timestamp) return r.offset;
    }
    return p.end;
  }

  async commitOffsets(groupId: string, offsets: ReadonlyMap<string, number>): Promise<void> {
    let g = this.offsets.get(groupId);
    if (!g) this.offsets.set(groupId, (g = new Map()));
    for (const [k, v] of offsets) g.set(k, v);
  }
  async fetchOffsets(groupId: string): Promise<Map<string, number>> {
    return new Map(this.offsets.get(groupId) ?? []);
  }

  onAppend(listener: AppendListener): () => void {
    return this.notifier.subscribe(listener);
  }

  /** Retention (by batch max timestamp and total bytes) and compaction, as `EmbeddedTopics.maintenance`. */
  async maintenance(): Promise<void> {
    const now = this.now();
    for (const t of this.topics.values()) {
      const flags = cleanupFlags(t.configs);
      for (const p of t.partitions) {
        if (flags.delete) {
          const { retentionMs, retentionBytes } = t.settings;
          while (p.batches.length > 1) {
            const b = p.batches[0]!;
            const expired = retentionMs >= 0 && now - batchMaxTimestamp(b, 0) > retentionMs;
            const tooBig = retentionBytes >= 0 && p.bytes - b.length >= retentionBytes;
            if (!expired && !tooBig) break;
            p.batches.shift();
            p.bytes -= b.length;
            p.start = batchBaseOffset(p.batches[0]!, 0);
          }
        }
        if (flags.compact) await this.compact(p, now - t.settings.deleteRetentionMs);
      }
    }
  }

  private async compact(p: MemPartition, horizon: number): Promise<void> {
    const decoded: ConsumedRecord[][] = [];
    const latest = new Map<string, number>();
    for (const b of p.batches) {
      const out: ConsumedRecord[] = [];
      if ((batchAttributes(b, 0) & ATTR_CONTROL) === 0) decodeBatchRecords(b, 0, await batchRecordsPayload(b, 0), p.topic, p.partition, 0, Number.MAX_SAFE_INTEGER, out);
      decoded.push(out);
      for (const r of out) if (r.key) latest.set(r.key.toString('latin1'), r.offset);
    }
    const kept: Buffer[] = [];
    for (let i = 0; i < p.batches.length; i++) {
      const b = p.batches[i]!;
      const records = decoded[i]!;
      const keep = records.filter((r) => r.key === null || (latest.get(r.key.toString('latin1')) === r.offset && !(r.value === null && r.timestamp < horizon)));
      const last = i === p.batches.length - 1;
      if (last || (batchAttributes(b, 0) & ATTR_CONTROL) !== 0 || keep.length === batchRecordCount(b, 0)) kept.push(b);
      else if (keep.length > 0) {
        const base = batchBaseOffset(b, 0);
        kept.push(
          await encodeBatch(keep, base, {
            codec: batchAttributes(b, 0) & ATTR_CODEC_MASK,
            offsetDeltas: keep.map((r) => r.offset - base),
            lastOffsetDelta: batchLastOffsetDelta(b, 0),
            baseTimestamp: Number(b.readBigInt64BE(OFF_BASE_TIMESTAMP)),
            attributes: batchAttributes(b, 0) & ~ATTR_CODEC_MASK,
          }),
        );
      }
    }
    p.batches = kept;
    p.bytes = kept.reduce((n, b) => n + b.length, 0);
  }

  async close(): Promise<void> {
    this.notifier.wakeAll();
  }
}
