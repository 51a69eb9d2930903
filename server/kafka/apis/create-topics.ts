/** CreateTopics v3 (single node: replication factor must be -1 or 1; manual assignments are ignored). */
import { Writer } from '../codec.js';
import { errorCodeOf, type Handler } from '../context.js';
import { ErrorCode } from '../protocol.js';

export const createTopics: Handler = async (r, _h, broker) => {
  const topics = r.array((t) => ({
    name: t.string(),
    partitions: t.int32(),
    replication: t.int16(),
    assignments: t.array((a) => ({ index: a.int32(), brokers: a.array((b) => b.int32()) })),
    configs: t.array((c) => ({ name: c.string(), value: c.nullableString() })),
  }));
  r.int32(); // timeout
  const validateOnly = r.bool();
  const results: { name: string; error: number; message: string | null }[] = [];
  for (const t of topics) {
    const partitions = t.partitions === -1 ? (t.assignments.length > 0 ? t.assignments.length : broker.config.defaultPartitions) : t.partitions;
    if (t.replication !== -1 && t.replication !== 1) {
      results.push({ name: t.name, error: ErrorCode.INVALID_REPLICATION_FACTOR, message: `Replication factor ${t.replication} is larger than the 1 available broker` });
      continue;
    }
    if (broker.topics.partitionCount(t.name) !== undefined) {
      results.push({ name: t.name, error: ErrorCode.TOPIC_ALREADY_EXISTS, message: `Topic '${t.name}' already exists.` });
      continue;
    }
    if (partitions < 1) {
      results.push({ name: t.name, error: ErrorCode.INVALID_PARTITIONS, message: `Number of partitions must be larger than 0.` });
      continue;
    }
    if (validateOnly) {
      results.push({ name: t.name, error: 0, message: null });
      continue;
    }
    const configs: Record<string, string> = {};
    for (const c of t.configs) if (c.value !== null) configs[c.name] = c.value;
    try {
      await broker.topics.createTopic(t.name, { partitions, replicas: 1, configs });
      results.push({ name: t.name, error: 0, message: null });
    } catch (e) {
      results.push({ name: t.name, error: errorCodeOf(e), message: e instanceof Error ? e.message : String(e) });
    }
  }
  const w = new Writer();
  w.int32(0);
  w.array(results, (w2, t) => w2.string(t.name).int16(t.error).nullableString(t.message));
  return w;
};
