/**
 * OffsetCommit v2-v5 (v2-v4 carry a retention time, v3+ throttle): validated against the group's generation, then persisted through
 * `Topics.commitOffsets` (durable before the answer). Commit metadata strings are kept in memory only.
 */
import { topicPartitionKey } from '../../../engine/topics/index.js';
import { Writer } from '../codec.js';
import type { Handler } from '../context.js';
import { ErrorCode } from '../protocol.js';

export const offsetCommit: Handler = async (r, h, broker) => {
  const groupId = r.string();
  const generation = r.int32();
  const memberId = r.string();
  if (h.apiVersion <= 4) r.int64(); // retention time (ignored: offsets are kept until the topic goes)
  const topics = r.array((t) => ({ name: t.string(), partitions: t.array((p) => ({ index: p.int32(), offset: p.int64(), metadata: p.nullableString() })) }));
  let error = broker.groups.validateCommit(groupId, generation, memberId);
  const offsets = new Map<string, number>();
  if (error === 0) {
    for (const t of topics) for (const p of t.partitions) offsets.set(topicPartitionKey(t.name, p.index), p.offset);
    try {
      await broker.topics.commitOffsets(groupId, offsets);
      for (const t of topics) for (const p of t.partitions) broker.groups.setCommitMetadata(groupId, t.name, p.index, p.metadata);
    } catch (e) {
      broker.log('error', `offset commit for ${groupId}: ${String(e)}`);
      error = ErrorCode.KAFKA_STORAGE_ERROR;
    }
  }
  const w = new Writer();
  if (h.apiVersion >= 3) w.int32(0);
  w.array(topics, (w2, t) => {
    w2.string(t.name);
    w2.array(t.partitions, (w3, p) => w3.int32(p.index).int16(error));
  });
  return w;
};
