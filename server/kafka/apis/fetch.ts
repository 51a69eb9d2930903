/**
 * Fetch v4-v11 with long polling (v5 log start offset, v7 sessions fields, v9 leader epoch, v11 rack / read replica). Stored batches are returned as they are (whole batches from the one
 * holding the fetch offset; at least one batch even past the size limits, KIP-74). When fewer than
 * MinBytes are available the answer waits for an append to a requested partition or MaxWaitMs,
 * never longer. No fetch sessions (SessionId 0), no transactions (LSO = HW), no read replicas.
 */
import type { FetchResult } from '../../../engine/topics/index.js';
import { Writer, type Reader } from '../codec.js';
import { errorCodeOf, type BrokerContext, type Handler } from '../context.js';
import { ErrorCode } from '../protocol.js';

interface FetchPartition {
  partition: number;
  fetchOffset: number;
  maxBytes: number;
}
interface FetchTopic {
  topic: string;
  partitions: FetchPartition[];
}
interface PartitionData {
  partition: number;
  error: number;
  hw: number;
  start: number;
  data: FetchResult | undefined;
}

function decode(r: Reader, v: number): { maxWait: number; minBytes: number; maxBytes: number; topics: FetchTopic[] } {
  r.int32(); // replica id
  const maxWait = r.int32();
  const minBytes = r.int32();
  const maxBytes = r.int32();
  r.int8(); // isolation level: both levels see everything (no transactions)
  if (v >= 7) {
    r.int32(); // session id
    r.int32(); // session epoch
  }
  const topics = r.array((t) => ({
    topic: t.string(),
    partitions: t.array((p) => {
      const partition = p.int32();
      if (v >= 9) p.int32(); // current leader epoch
      const fetchOffset = p.int64();
      if (v >= 5) p.int64(); // log start offset (followers only)
      return { partition, fetchOffset, maxBytes: p.int32() };
    }),
  }));
  if (v >= 7) r.array((t) => (t.string(), t.array((p) => p.int32()))); // forgotten topics
  if (v >= 11) r.nullableString(); // rack id
  return { maxWait, minBytes, maxBytes, topics };
}

function collect(broker: BrokerContext, topics: FetchTopic[], maxBytes: number): { result: { topic: string; partitions: PartitionData[] }[]; bytes: number } {
  let bytes = 0;
  const result = topics.map((t) => ({
    topic: t.topic,
    partitions: t.partitions.map((p): PartitionData => {
      const out: PartitionData = { partition: p.partition, error: 0, hw: -1, start: -1, data: undefined };
      try {
        const budget = bytes === 0 ? Math.min(p.maxBytes, maxBytes) : Math.min(p.maxBytes, maxBytes - bytes);
        if (budget <= 0) {
          out.hw = broker.topics.endOffsetSync(t.topic, p.partition);
          out.start = broker.topics.startOffsetSync(t.topic, p.partition);
          return out;
        }
        const f = broker.topics.fetchBatches(t.topic, p.partition, p.fetchOffset, budget);
        out.hw = f.highWatermark;
        out.start = f.logStartOffset;
        out.data = f;
        bytes += f.bytes;
      } catch (e) {
        out.error = errorCodeOf(e);
        if (out.error === ErrorCode.UNKNOWN_SERVER_ERROR) broker.log('error', `fetch ${t.topic}-${p.partition}: ${String(e)}`);
        if (out.error === ErrorCode.OFFSET_OUT_OF_RANGE) {
          try {
            out.hw = broker.topics.endOffsetSync(t.topic, p.partition);
            out.start = broker.topics.startOffsetSync(t.topic, p.partition);
          } catch {
            /* keep -1 */
          }
        }
      }
      return out;
    }),
  }));
  return { result, bytes };
}

/** Resolves on an append to one of `topics`' partitions, on `ms`, or when the connection closes. */
function waitForAppend(broker: BrokerContext, topics: FetchTopic[], ms: number, closed: () => boolean): Promise<void> {
  const wanted = new Set<string>();
  for (const t of topics) for (const p of t.partitions) wanted.add(`${t.topic}\u0000${p.partition}`);
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      clearInterval(poll);
      unsubscribe();
      resolve();
    };
    const unsubscribe = broker.topics.onAppend((topic, partition) => {
      if (wanted.has(`${topic}\u0000${partition}`)) done();
    });
    const timer = setTimeout(done, ms);
    const poll = setInterval(() => closed() && done(), 250);
  });
}

export const fetch: Handler = async (r, h, broker, conn) => {
  const v = h.apiVersion;
  const req = decode(r, v);
  const deadline = Date.now() + Math.max(0, req.maxWait);
  let { result, bytes } = collect(broker, req.topics, req.maxBytes);
  const hasError = (): boolean => result.some((t) => t.partitions.some((p) => p.error !== 0));
  while (bytes < Math.max(1, req.minBytes) && !hasError() && !conn.isClosed()) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    await waitForAppend(broker, req.topics, left, () => conn.isClosed());
    ({ result, bytes } = collect(broker, req.topics, req.maxBytes));
  }
  const w = new Writer(256);
  w.int32(0); // throttle
  if (v >= 7) w.int16(ErrorCode.NONE).int32(0); // error, session id
  w.array(result, (w2, t) => {
    w2.string(t.topic);
    w2.array(t.partitions, (w3, p) => {
      w3.int32(p.partition).int16(p.error).int64(p.hw).int64(p.hw);
      if (v >= 5) w3.int64(p.start);
      w3.int32(0); // aborted transactions: none
      if (v >= 11) w3.int32(-1); // preferred read replica
      if (!p.data || p.data.bytes === 0) w3.int32(0);
      else {
        w3.int32(p.data.bytes);
        for (const b of p.data.batches) w3.raw(b);
      }
    });
  });
  return w;
};
