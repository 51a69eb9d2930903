/**
 * Produce v0-v7 (v1 throttle, v2 LogAppendTime, v3 transactional id, v5 LogStartOffset). Only
 * RecordBatch v2 is accepted: the MessageSet v0/v1 that old clients send with v0-v2 get CORRUPT_MESSAGE. Batches are stored as sent (base offsets rewritten), so any codec passes through.
 * acks=0 gets no response. Topics missing are auto-created when the broker allows it.
 */
import { Writer } from '../codec.js';
import { ensureTopic, errorCodeOf, type Handler } from '../context.js';
import { ErrorCode } from '../protocol.js';

interface PartitionResult {
  index: number;
  error: number;
  baseOffset: number;
  logAppendTime: number;
  logStartOffset: number;
}

export const produce: Handler = async (r, h, broker) => {
  if (h.apiVersion >= 3) r.nullableString(); // transactional id (transactions are not supported; batches are stored as sent)
  const acks = r.int16();
  r.int32(); // timeout
  const topics = r.array((t) => ({ name: t.string(), partitions: t.array((p) => ({ index: p.int32(), records: p.nullableBytes() })) }));
  const results: { name: string; partitions: PartitionResult[] }[] = [];
  const pending: Promise<void>[] = [];
  for (const t of topics) {
    const out: PartitionResult[] = [];
    let count: number | undefined;
    let topicError = 0;
    try {
      count = await ensureTopic(broker, t.name, true);
    } catch (e) {
      topicError = errorCodeOf(e);
    }
    for (const p of t.partitions) {
      const res: PartitionResult = { index: p.index, error: topicError, baseOffset: -1, logAppendTime: -1, logStartOffset: -1 };
      if (count !== undefined) {
        if (p.index < 0 || p.index >= count) res.error = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        else if (p.records === null || p.records.length === 0) res.error = ErrorCode.CORRUPT_MESSAGE;
        else {
          // the append itself happens synchronously here; only durability is awaited (all partitions at once)
          pending.push(
            broker.topics.appendBatches(t.name, p.index, p.records).then(
              (a) => {
                res.baseOffset = a.baseOffset;
                res.logAppendTime = a.logAppendTime;
                res.logStartOffset = a.logStartOffset;
              },
              (e: unknown) => {
                res.error = errorCodeOf(e);
                if (res.error === ErrorCode.UNKNOWN_SERVER_ERROR) broker.log('error', `produce to ${t.name}-${p.index}: ${String(e)}`);
              },
            ),
          );
        }
      }
      out.push(res);
    }
    results.push({ name: t.name, partitions: out });
  }
  await Promise.all(pending);
  if (acks === 0) return null;
  const w = new Writer();
  w.array(results, (w2, t) => {
    w2.string(t.name);
    w2.array(t.partitions, (w3, p) => {
      w3.int32(p.index).int16(p.error).int64(p.baseOffset);
      if (h.apiVersion >= 2) w3.int64(p.logAppendTime);
      if (h.apiVersion >= 5) w3.int64(p.logStartOffset);
    });
  });
  if (h.apiVersion >= 1) w.int32(0); // throttle
  return w;
};
