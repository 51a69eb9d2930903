/**
 * One partition on disk: a directory of segments, the newest one active. Owns offset assignment,
 * segment rolling, reads by offset and by time, retention, and group-committed fsyncs.
 * Everything but fsync and decompression is synchronous; the process is the only writer.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KafkaErrorCode, TopicsError, type AppendResult, type FetchResult } from './batch-log.js';
import { crc32c } from './crc32c.js';
import type { FsyncPolicy } from './fsync-policy.js';
import {
  ATTR_CONTROL,
  ATTR_LOG_APPEND_TIME,
  BATCH_PREFIX_SIZE,
  OFF_ATTRIBUTES,
  OFF_CRC,
  OFF_LENGTH,
  OFF_MAX_TIMESTAMP,
  batchAttributes,
  batchBaseOffset,
  batchLastOffsetDelta,
  batchMaxTimestamp,
  batchRecordsPayload,
  batchSize,
  decodeBatchRecords,
  setBatchBaseOffset,
  validateBatch,
} from './record-batch.js';
import { Segment } from './segment.js';
import { cleanupFlags, numConfig } from './topic-config.js';
import type { ConsumedRecord } from './topics.js';

export interface PartitionSettings {
  segmentBytes: number;
  segmentMs: number;
  indexInterval: number;
  retentionMs: number;
  retentionBytes: number;
  compact: boolean;
  deleteByRetention: boolean;
  deleteRetentionMs: number;
  maxMessageBytes: number;
  logAppendTime: boolean;
}

export function partitionSettings(configs: Readonly<Record<string, string>>): PartitionSettings {
  const flags = cleanupFlags(configs);
  return {
    segmentBytes: numConfig(configs, 'segment.bytes'),
    segmentMs: numConfig(configs, 'segment.ms'),
    indexInterval: numConfig(configs, 'index.interval.bytes'),
    retentionMs: numConfig(configs, 'retention.ms'),
    retentionBytes: numConfig(configs, 'retention.bytes'),
    compact: flags.compact,
    deleteByRetention: flags.delete,
    deleteRetentionMs: numConfig(configs, 'delete.retention.ms'),
    maxMessageBytes: numConfig(configs, 'max.message.bytes'),
    logAppendTime: configs['message.timestamp.type'] === 'LogAppendTime',
  };
}

interface SyncWaiter {
  resolve(): void;
  reject(e: unknown): void;
}

export class PartitionLog {
  readonly segments: Segment[] = [];
  /** Records appended since the last fsync (messages policy). */
  unflushed = 0;
  dirty = false;
  private syncing = false;
  private syncWaiters: SyncWaiter[] = [];
  /** Set while compaction rewrites closed segments; retention waits. */
  busy = false;

  private constructor(
    readonly dir: string,
    readonly topic: string,
    readonly partition: number,
    public settings: PartitionSettings,
    private readonly policy: FsyncPolicy,
  ) {}

  /** Opens (or creates) the partition directory, recovering the active segment. */
  static open(dir: string, topic: string, partition: number, settings: PartitionSettings, policy: FsyncPolicy): PartitionLog {
    fs.mkdirSync(dir, { recursive: true });
    const log = new PartitionLog(dir, topic, partition, settings, policy);
    const names = fs.readdirSync(dir);
    for (const n of names) if (n.endsWith('.cleaned') || n.endsWith('.tmp')) fs.rmSync(path.join(dir, n), { force: true });
    const bases = names
      .filter((n) => /^\d{20}\.log$/.test(n))
      .map((n) => Number(n.slice(0, 20)))
      .sort((a, b) => a - b);
    const cleanShutdown = fs.existsSync(path.join(dir, '.clean'));
    for (let i = 0; i < bases.length; i++) {
      const seg = new Segment(dir, bases[i]!, settings.indexInterval, false);
      const isLast = i === bases.length - 1;
      seg.load(isLast && !cleanShutdown);
      log.segments.push(seg);
    }
    fs.rmSync(path.join(dir, '.clean'), { force: true });
    if (log.segments.length === 0) log.segments.push(new Segment(dir, 0, settings.indexInterval, true));
    else log.active.openForAppend();
    return log;
  }

  get active(): Segment {
    return this.segments[this.segments.length - 1]!;
  }
  get startOffset(): number {
    return this.segments[0]!.baseOffset;
  }
  get endOffset(): number {
    return this.active.nextOffset;
  }
  get sizeBytes(): number {
    let n = 0;
    for (const s of this.segments) n += s.size;
    return n;
  }

  /**
   * Appends producer batches (one or more, back to back): validates, assigns offsets in place,
   * stamps LogAppendTime if configured, rolls the segment if needed, writes.
   */
  appendRaw(data: Buffer, now: number): AppendResult {
    const starts: number[] = [];
    let pos = 0;
    while (pos < data.length) {
      const err = validateBatch(data, pos, data.length);
      if (err) throw new TopicsError(KafkaErrorCode.CORRUPT_MESSAGE, err);
      const size = batchSize(data, pos);
      if (size > this.settings.maxMessageBytes) throw new TopicsError(KafkaErrorCode.MESSAGE_TOO_LARGE, `batch of ${size} bytes exceeds max.message.bytes`);
      starts.push(pos);
      pos += size;
    }
    if (starts.length === 0) throw new TopicsError(KafkaErrorCode.CORRUPT_MESSAGE, 'no record batch');
    this.maybeRoll(data.length, now);
    const base = this.endOffset;
    let next = base;
    let maxTs = -1;
    let records = 0;
    for (const s of starts) {
      setBatchBaseOffset(data, s, next);
      if (this.settings.logAppendTime && (batchAttributes(data, s) & ATTR_CONTROL) === 0) stampLogAppendTime(data, s, now);
      next += batchLastOffsetDelta(data, s) + 1;
      records += data.readInt32BE(s + 57);
      const ts = batchMaxTimestamp(data, s);
      if (ts > maxTs) maxTs = ts;
    }
    this.active.append(data, base, next, maxTs, starts);
    this.unflushed += records;
    this.dirty = true;
    return { baseOffset: base, logAppendTime: this.settings.logAppendTime ? now : -1, logStartOffset: this.startOffset };
  }

  private maybeRoll(incoming: number, now: number): void {
    const a = this.active;
    if (a.size === 0) return;
    const full = a.size + incoming > this.settings.segmentBytes;
    const old = now - a.createdAt >= this.settings.segmentMs;
    const offsetOverflow = this.endOffset - a.baseOffset > 0x7fff0000;
    if (full || old || offsetOverflow) this.roll();
  }

  roll(): void {
    const a = this.active;
    if (this.policy !== 'never') fs.fdatasyncSync(a.fd);
    a.seal();
    this.segments.push(new Segment(this.dir, this.endOffset, this.settings.indexInterval, true));
    if (this.policy === 'always') syncDir(this.dir);
  }

  /** Resolves when everything appended so far is on disk (one fdatasync shared by concurrent callers). */
  sync(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.syncWaiters.push({ resolve, reject });
      if (!this.syncing) this.runSync();
    });
  }

  private runSync(): void {
    this.syncing = true;
    const waiters = this.syncWaiters;
    this.syncWaiters = [];
    this.unflushed = 0;
    this.dirty = false;
    fs.fdatasync(this.active.fd, (err) => {
      this.syncing = false;
      for (const w of waiters) err ? w.reject(err) : w.resolve();
      if (this.syncWaiters.length > 0) this.runSync();
    });
  }

  /** The durability wait an append owes under the policy, if any. */
  afterAppend(): Promise<void> | undefined {
    const p = this.policy;
    if (p === 'always') return this.sync();
    if (typeof p === 'object' && 'messages' in p && this.unflushed >= p.messages) void this.sync().catch(() => {});
    return undefined;
  }

  /** Index of the segment that may hold `offset`. */
  segmentFor(offset: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.segments[mid]!.baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  fetch(offset: number, maxBytes: number): FetchResult {
    const start = this.startOffset;
    const end = this.endOffset;
    if (offset < start || offset > end) throw new TopicsError(KafkaErrorCode.OFFSET_OUT_OF_RANGE, `offset ${offset} outside [${start}, ${end}] of ${this.topic}-${this.partition}`);
    const batches: Buffer[] = [];
    let bytes = 0;
    if (offset < end) {
      for (let i = this.segmentFor(offset); i < this.segments.length; i++) {
        const seg = this.segments[i]!;
        const pos = seg.positionOf(offset);
        if (pos < 0) continue;
        const buf = seg.readBatches(pos, maxBytes);
        if (buf.length > 0) {
          batches.push(buf);
          bytes = buf.length;
        }
        break;
      }
    }
    return { batches, bytes, highWatermark: end, logStartOffset: start };
  }

  /** Calls `visit` for every batch from `offset` on (until it returns false). */
  async forEachBatch(offset: number, visit: (buf: Buffer, pos: number) => boolean | Promise<boolean>): Promise<void> {
    let next = Math.max(offset, this.startOffset);
    while (next < this.endOffset) {
      const r = this.fetch(next, 1 << 20);
      if (r.bytes === 0) return;
      const buf = r.batches[0]!;
      let p = 0;
      while (p + BATCH_PREFIX_SIZE <= buf.length) {
        if (!(await visit(buf, p))) return;
        next = batchBaseOffset(buf, p) + batchLastOffsetDelta(buf, p) + 1;
        p += batchSize(buf, p);
      }
    }
  }

  /** Decoded records from `offset` (clamped to the log start), at most `max`. */
  async readRecords(offset: number, max: number): Promise<ConsumedRecord[]> {
    const out: ConsumedRecord[] = [];
    await this.forEachBatch(offset, async (buf, p) => {
      const payload = await batchRecordsPayload(buf, p);
      decodeBatchRecords(buf, p, payload, this.topic, this.partition, offset, max - out.length, out);
      return out.length < max;
    });
    return out;
  }

  /** First offset whose record timestamp is ≥ ts (exact: decodes the candidate batches), else the end. */
  async offsetForTime(ts: number): Promise<number> {
    for (let i = 0; i < this.segments.length; i++) {
      const seg = this.segments[i]!;
      if (seg.maxTimestamp < ts || seg.size === 0) continue;
      let buf = seg.readBatches(seg.positionForTime(ts), 1 << 20);
      let found = -1;
      while (buf.length > 0 && found < 0) {
        let p = 0;
        let lastEnd = 0;
        while (p < buf.length && found < 0) {
          if (batchMaxTimestamp(buf, p) >= ts && (batchAttributes(buf, p) & ATTR_CONTROL) === 0) {
            const out: ConsumedRecord[] = [];
            decodeBatchRecords(buf, p, await batchRecordsPayload(buf, p), this.topic, this.partition, 0, Number.MAX_SAFE_INTEGER, out);
            for (const r of out) if (r.timestamp >= ts) { found = r.offset; break; }
          }
          lastEnd = batchBaseOffset(buf, p) + batchLastOffsetDelta(buf, p) + 1;
          p += batchSize(buf, p);
        }
        if (found >= 0 || lastEnd >= seg.nextOffset) break;
        const pos = seg.positionOf(lastEnd);
        if (pos < 0) break;
        buf = seg.readBatches(pos, 1 << 20);
      }
      if (found >= 0) return found;
    }
    return this.endOffset;
  }

  /** Deletes closed segments past retention.ms / retention.bytes. Returns how many. */
  applyRetention(now: number): number {
    if (!this.settings.deleteByRetention || this.busy) return 0;
    let deleted = 0;
    const { retentionMs, retentionBytes } = this.settings;
    // Like Kafka, an active segment entirely past retention.ms is rolled so that it can be deleted.
    if (retentionMs >= 0 && this.active.size > 0 && this.active.maxTimestamp >= 0 && now - this.active.maxTimestamp > retentionMs) this.roll();
    let total = this.sizeBytes;
    while (this.segments.length > 1) {
      const oldest = this.segments[0]!;
      const expired = retentionMs >= 0 && oldest.maxTimestamp >= 0 && now - oldest.maxTimestamp > retentionMs;
      const tooBig = retentionBytes >= 0 && total - oldest.size >= retentionBytes;
      if (!expired && !tooBig) break;
      total -= oldest.size;
      this.segments.shift();
      oldest.delete();
      deleted++;
    }
    return deleted;
  }

  replaceSegment(index: number, seg: Segment): void {
    this.segments[index] = seg;
  }

  close(clean: boolean): void {
    if (this.policy !== 'never') {
      try {
        fs.fdatasyncSync(this.active.fd);
      } catch {
        /* closing anyway */
      }
    }
    for (const s of this.segments) s.close();
    if (clean) fs.writeFileSync(path.join(this.dir, '.clean'), '');
  }

  deleteAll(): void {
    for (const s of this.segments) s.close();
    this.segments.length = 0;
  }
}

export function stampLogAppendTime(buf: Buffer, pos: number, now: number): void {
  buf.writeInt16BE(buf.readInt16BE(pos + OFF_ATTRIBUTES) | ATTR_LOG_APPEND_TIME, pos + OFF_ATTRIBUTES);
  buf.writeBigInt64BE(BigInt(now), pos + OFF_MAX_TIMESTAMP);
  const end = pos + buf.readInt32BE(pos + OFF_LENGTH) + BATCH_PREFIX_SIZE;
  buf.writeUInt32BE(crc32c(buf, pos + OFF_ATTRIBUTES, end), pos + OFF_CRC);
}

export function syncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    /* some filesystems refuse directory fsync */
  }
}
