/**
 * Pull reads over Kafka's Fetch API: the engine's `read(topic, partition, offset, max, waitMs)`
 * on top of a prefetching fetcher, the way the Java consumer's Fetcher works.
 *
 * - A *feed* is one reader's position in one topic partition, with a buffer of records fetched
 *   ahead. A read at the feed's position is served from the buffer; a read at another offset
 *   uses (or creates) the feed sitting at that offset, so two queries reading the same partition
 *   at different places do not thrash one another. Feeds not read for `idleMs` are dropped, which
 *   is how a stopped query stops fetching (`Topics` has no "unsubscribe").
 * - One fetch loop per partition leader sends one Fetch for all of that broker's feeds whose
 *   buffers are below `prefetchRecords`, long-polling `maxWaitMs` (the broker answers as soon as
 *   any of them has data). So fetching overlaps processing, and an idle partition's long poll does
 *   not hold up a busy one on another broker.
 * - Record batches are decoded by the engine's own decoder (exact header order, every codec), and
 *   transactional batches are filtered at READ_COMMITTED like the Java consumer does.
 * - Errors: leadership and metadata errors refresh metadata and retry; OFFSET_OUT_OF_RANGE and
 *   other partition errors are thrown to the reader as `TopicsError` with the Kafka code.
 */
import { KafkaErrorCode, TopicsError } from '../batch-log.js';
import {
  ATTR_CONTROL,
  ATTR_TRANSACTIONAL,
  OFF_PRODUCER_ID,
  batchAttributes,
  batchBaseOffset,
  batchLastOffsetDelta,
  batchRecordsPayload,
  decodeBatchRecords,
} from '../record-batch.js';
import type { ConsumedRecord } from '../topics.js';
import type { KjsCluster } from './kafkajs-internals.js';
import { FETCH_KEY, fetchRequest, negotiate, type FetchPartitionRequest, type FetchPartitionResponse } from './wire.js';

export interface FetcherOptions {
  readonly cluster: KjsCluster;
  /** 0 = READ_UNCOMMITTED, 1 = READ_COMMITTED (default). */
  readonly isolationLevel?: number;
  /** Long-poll of the background fetches (fetch.max.wait.ms); default 100. */
  readonly maxWaitMs?: number;
  /** max.partition.fetch.bytes; default 1 MiB (grown per partition when a batch is larger). */
  readonly partitionMaxBytes?: number;
  /** fetch.max.bytes; default 32 MiB. */
  readonly maxBytes?: number;
  /** A feed is fetched for while it buffers fewer records than this; default 4000. */
  readonly prefetchRecords?: number;
  /** Feeds not read for this long are dropped; default 30 s. */
  readonly idleMs?: number;
  readonly log?: (message: string) => void;
}

/** Errors after which the partition's leader is looked up again. */
const RETRIABLE = new Set([3, 5, 6, 9, 56, 74, 75, 76]);

class Feed {
  buffer: ConsumedRecord[] = [];
  head = 0;
  fetchOffset: number;
  epoch = 0;
  error: Error | undefined;
  leader: number | undefined;
  retryAt = 0;
  lastUsed = Date.now();
  lastFetched = 0;
  busy = false;
  rounds = 0;
  /** End of the readable records (high watermark, or last stable offset when reading committed) as of the last fetch. */
  visibleEnd = -1;
  private waiters: (() => void)[] = [];

  constructor(readonly topic: string, readonly partition: number, public position: number, public maxBytes: number) {
    this.fetchOffset = position;
  }

  get buffered(): number {
    return this.buffer.length - this.head;
  }

  seek(offset: number): void {
    this.position = this.fetchOffset = offset;
    this.buffer = [];
    this.head = 0;
    this.error = undefined;
    this.epoch++;
  }

  take(max: number): ConsumedRecord[] {
    const n = Math.min(max, this.buffered);
    const out = this.buffer.slice(this.head, this.head + n);
    this.head += n;
    if (this.head === this.buffer.length) {
      this.buffer = [];
      this.head = 0;
    } else if (this.head > 4096) {
      this.buffer = this.buffer.slice(this.head);
      this.head = 0;
    }
    if (out.length) this.position = out[out.length - 1]!.offset + 1;
    return out;
  }

  /** Resolves on data, an error, `rounds` reaching `untilRound`, or after `ms`. */
  wait(ms: number, untilRound: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        const i = self.waiters.indexOf(check);
        if (i >= 0) self.waiters.splice(i, 1);
        resolve();
      }
      function check(): void {
        if (self.buffered > 0 || self.error || self.rounds >= untilRound) done();
      }
      this.waiters.push(check);
    });
  }

  notify(): void {
    for (const w of [...this.waiters]) w();
  }
}

export class Fetcher {
  private readonly feeds = new Map<string, Feed[]>();
  private readonly loops = new Map<number, { wake: () => void }>();
  private closed = false;
  private readonly maxWaitMs: number;
  private readonly prefetch: number;
  private readonly idleMs: number;
  private resolving: Promise<void> | undefined;

  constructor(private readonly opts: FetcherOptions) {
    this.maxWaitMs = opts.maxWaitMs ?? 100;
    this.prefetch = opts.prefetchRecords ?? 4000;
    this.idleMs = opts.idleMs ?? 30000;
  }

  async read(topic: string, partition: number, offset: number, max: number, waitMs = 0): Promise<ConsumedRecord[]> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      if (this.closed) return [];
      const feed = this.feedAt(topic, partition, offset);
      feed.busy = true;
      try {
        feed.lastUsed = Date.now();
        if (feed.error) {
          const e = feed.error;
          feed.seek(offset);
          throw e;
        }
        if (feed.buffered === 0) {
          this.schedule(feed);
          const left = deadline - Date.now();
          if (left > 0) await feed.wait(left, Number.MAX_SAFE_INTEGER);
          else await this.untilConclusive(feed, offset);
          if (feed.error) continue;
          if (feed.position !== offset) continue; // another reader moved this feed: find ours again
        }
        const out = feed.take(max);
        if (feed.buffered < this.prefetch) this.wakeLoop(feed.leader);
        return out;
      } finally {
        feed.busy = false;
      }
    }
  }

  /**
   * A read with no wait returns empty only when there is nothing at `offset`: it waits for fetch
   * rounds until records arrive or a round reports the partition ends at or before `offset`. (A
   * round can come back with nothing whole while records exist: a batch larger than the partition's
   * byte limit, which the next round raises, or a fetch issued before the records were appended.)
   */
  private async untilConclusive(feed: Feed, offset: number): Promise<void> {
    const until = Date.now() + this.maxWaitMs * 3 + 2000;
    for (;;) {
      await feed.wait(Math.max(0, until - Date.now()), feed.rounds + 1);
      if (feed.buffered > 0 || feed.error || feed.position !== offset || feed.visibleEnd <= offset || Date.now() >= until || this.closed) return;
      this.schedule(feed);
    }
  }

  /** Drops buffered data of a topic (after delete). */
  forget(topic: string): void {
    for (const key of [...this.feeds.keys()]) if (key.slice(0, key.lastIndexOf(':')) === topic) this.feeds.delete(key);
  }

  close(): void {
    this.closed = true;
    for (const l of this.loops.values()) l.wake();
    for (const list of this.feeds.values()) for (const f of list) f.notify();
  }

  private feedAt(topic: string, partition: number, offset: number): Feed {
    const key = `${topic}:${partition}`;
    let list = this.feeds.get(key);
    if (!list) this.feeds.set(key, (list = []));
    const now = Date.now();
    for (let i = list.length - 1; i >= 0; i--) if (!list[i]!.busy && now - list[i]!.lastUsed > this.idleMs) list.splice(i, 1);
    let feed = list.find((f) => !f.busy && f.position === offset);
    if (!feed) {
      feed = list.find((f) => !f.busy && now - f.lastUsed > 1000);
      if (feed) feed.seek(offset);
    }
    if (!feed) {
      feed = new Feed(topic, partition, offset, this.opts.partitionMaxBytes ?? 1 << 20);
      list.push(feed);
    }
    return feed;
  }

  private schedule(feed: Feed): void {
    if (feed.leader === undefined) void this.resolveLeaders();
    else this.wakeLoop(feed.leader);
  }

  private wakeLoop(leader: number | undefined): void {
    if (leader === undefined) return;
    const loop = this.loops.get(leader);
    if (loop) loop.wake();
    else this.startLoop(leader);
  }

  /** Looks up leaders of feeds that have none, refreshing metadata, and starts their loops. */
  private resolveLeaders(refresh = false): Promise<void> {
    if (this.resolving) return this.resolving;
    this.resolving = (async () => {
      try {
        const pending = [...this.feeds.values()].flat().filter((f) => f.leader === undefined);
        if (pending.length === 0) return;
        const topics = [...new Set(pending.map((f) => f.topic))];
        await this.opts.cluster.addMultipleTargetTopics(topics);
        if (refresh) await this.opts.cluster.refreshMetadata();
        for (const f of pending) {
          const meta = this.opts.cluster.findTopicPartitionMetadata(f.topic).find((p) => p.partitionId === f.partition);
          if (!meta) {
            f.error = new TopicsError(KafkaErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Unknown topic or partition ${f.topic}-${f.partition}`);
            f.notify();
          } else if (meta.leader >= 0) {
            f.leader = meta.leader;
            this.wakeLoop(meta.leader);
          }
        }
      } catch (e) {
        this.opts.log?.(`fetcher: metadata lookup failed: ${(e as Error).message}`);
        await sleep(200);
      } finally {
        this.resolving = undefined;
      }
      if (!this.closed && [...this.feeds.values()].flat().some((f) => f.leader === undefined && !f.error)) {
        setTimeout(() => void this.resolveLeaders(true), 200).unref();
      }
    })();
    return this.resolving;
  }

  private startLoop(nodeId: number): void {
    let wake: () => void = () => {};
    let signalled = false;
    const loop = {
      wake: () => {
        signalled = true;
        wake();
      },
    };
    this.loops.set(nodeId, loop);
    const idle = () =>
      new Promise<void>((resolve) => {
        if (signalled) return resolve();
        const t = setTimeout(resolve, 1000);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    void (async () => {
      let backoff = 50;
      while (!this.closed) {
        signalled = false;
        const now = Date.now();
        const mine = [...this.feeds.values()].flat().filter((f) => f.leader === nodeId);
        if (mine.length === 0) break;
        // One entry per partition per request (a Fetch cannot name a partition twice).
        const chosen = new Map<string, Feed>();
        for (const f of mine) {
          if (f.error || f.buffered >= this.prefetch || f.retryAt > now || now - f.lastUsed > this.idleMs) continue;
          const key = `${f.topic}:${f.partition}`;
          const other = chosen.get(key);
          // Two feeds on one partition: a reader waiting on an empty buffer first, else take turns.
          const rank = (x: Feed) => (x.busy && x.buffered === 0 ? -1e15 : 0) + x.lastFetched;
          if (!other || rank(f) < rank(other)) chosen.set(key, f);
        }
        if (chosen.size === 0) {
          await idle();
          continue;
        }
        try {
          await this.fetchRound(nodeId, [...chosen.values()]);
          backoff = 50;
        } catch (e) {
          if (this.closed) break;
          this.opts.log?.(`fetcher: fetch from broker ${nodeId} failed: ${(e as Error).message}`);
          for (const f of chosen.values()) {
            f.leader = undefined;
            f.rounds++;
            f.notify();
          }
          try {
            (await this.opts.cluster.findBroker({ nodeId }).catch(() => undefined))?.disconnect().catch(() => {});
          } catch {
            // ignore
          }
          await sleep(backoff);
          backoff = Math.min(backoff * 2, 2000);
          void this.resolveLeaders(true);
        }
      }
      this.loops.delete(nodeId);
    })();
  }

  private async fetchRound(nodeId: number, feeds: Feed[]): Promise<void> {
    const broker = await this.opts.cluster.findBroker({ nodeId });
    const version = negotiate(broker, FETCH_KEY, 4, 11);
    if (version === undefined) throw new TopicsError(KafkaErrorCode.KAFKA_STORAGE_ERROR, `broker ${nodeId} does not support Fetch v4+`);
    const topics = new Map<string, FetchPartitionRequest[]>();
    const issued = new Map<string, { feed: Feed; epoch: number; offset: number }>();
    for (const f of feeds) {
      f.lastFetched = Date.now();
      const list = topics.get(f.topic) ?? [];
      list.push({ partition: f.partition, offset: f.fetchOffset, maxBytes: f.maxBytes });
      topics.set(f.topic, list);
      issued.set(`${f.topic}:${f.partition}`, { feed: f, epoch: f.epoch, offset: f.fetchOffset });
    }
    const anyWaiting = feeds.some((f) => f.busy && f.buffered === 0);
    const res = await broker.connectionPool.send(fetchRequest(version, {
      maxWaitMs: anyWaiting || feeds.some((f) => f.buffered === 0) ? this.maxWaitMs : 0,
      minBytes: 1,
      maxBytes: this.opts.maxBytes ?? 32 << 20,
      isolationLevel: this.opts.isolationLevel ?? 1,
      topics,
    }));
    if (res.errorCode !== 0) throw new TopicsError(res.errorCode, `Fetch failed with error ${res.errorCode}`);
    let stale = false;
    for (const p of res.partitions) {
      const entry = issued.get(`${p.topic}:${p.partition}`);
      if (!entry) continue;
      const { feed, epoch, offset } = entry;
      if (feed.epoch !== epoch) continue;
      if (p.errorCode === 0) {
        const readCommitted = (this.opts.isolationLevel ?? 1) === 1 && p.lastStableOffset >= 0;
        feed.visibleEnd = readCommitted ? p.lastStableOffset : p.highWatermark;
        await this.absorb(feed, p, offset);
      } else if (RETRIABLE.has(p.errorCode)) {
        feed.leader = undefined;
        feed.retryAt = Date.now() + 100;
        stale = true;
      } else if (p.errorCode === KafkaErrorCode.OFFSET_OUT_OF_RANGE) {
        feed.error = new TopicsError(p.errorCode, `Offset ${offset} is out of range for ${p.topic}-${p.partition}`);
      } else {
        feed.error = new TopicsError(p.errorCode, `Fetch from ${p.topic}-${p.partition} failed with Kafka error ${p.errorCode}`);
      }
    }
    for (const { feed } of issued.values()) {
      feed.rounds++;
      feed.notify();
    }
    if (stale) void this.resolveLeaders(true);
  }

  private async absorb(feed: Feed, p: FetchPartitionResponse, from: number): Promise<void> {
    const buf = p.records;
    if (!buf || buf.length === 0) return;
    const aborted = [...p.abortedTransactions].sort((a, b) => a.firstOffset - b.firstOffset);
    const abortedPids = new Set<bigint>();
    let next = from;
    let pos = 0;
    const out: ConsumedRecord[] = [];
    while (pos + 17 <= buf.length) {
      const size = buf.readInt32BE(pos + 8) + 12;
      if (pos + size > buf.length) break; // truncated batch at the end of the response
      const magic = buf.readInt8(pos + 16);
      if (magic !== 2) throw new TopicsError(KafkaErrorCode.CORRUPT_MESSAGE, `${p.topic}-${p.partition}: message format v${magic} is not supported`);
      const base = batchBaseOffset(buf, pos);
      const last = base + batchLastOffsetDelta(buf, pos);
      if (last >= next) {
        const attrs = batchAttributes(buf, pos);
        while (aborted.length && aborted[0]!.firstOffset <= last) abortedPids.add(aborted.shift()!.producerId);
        const pid = buf.readBigInt64BE(pos + OFF_PRODUCER_ID);
        if (attrs & ATTR_CONTROL) {
          abortedPids.delete(pid);
        } else if (!((attrs & ATTR_TRANSACTIONAL) && abortedPids.has(pid))) {
          const batch = buf.subarray(pos, pos + size);
          decodeBatchRecords(batch, 0, await batchRecordsPayload(batch, 0), p.topic, p.partition, next, Number.MAX_SAFE_INTEGER, out);
        }
        next = last + 1;
      }
      pos += size;
    }
    if (next === from) {
      // Nothing whole arrived: the next batch is larger than this partition's byte limit.
      if (buf.length >= feed.maxBytes) feed.maxBytes = Math.min(feed.maxBytes * 2, 256 << 20);
      return;
    }
    feed.fetchOffset = next;
    if (out.length) {
      if (feed.buffered === 0) {
        feed.buffer = out;
        feed.head = 0;
      } else {
        for (const r of out) feed.buffer.push(r);
      }
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
