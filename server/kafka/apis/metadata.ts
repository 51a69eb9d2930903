/** Metadata v0-v4 (v1 rack/controller/internal, v2 cluster id, v3 throttle, v4 auto-create flag): one broker (this one, also the controller); topics created on demand when allowed. */
import { TopicsError } from '../../../engine/topics/index.js';
import { Writer } from '../codec.js';
import { ensureTopic, errorCodeOf, type Handler } from '../context.js';
import { ErrorCode } from '../protocol.js';

interface TopicMeta {
  error: number;
  name: string;
  partitions: number;
}

export const metadata: Handler = async (r, h, broker) => {
  const v = h.apiVersion;
  let requested = r.nullableArray((x) => x.string());
  if (v === 0 && requested !== null && requested.length === 0) requested = null; // v0: empty = all
  const allowAuto = v >= 4 ? r.bool() : true;
  const topics: TopicMeta[] = [];
  if (requested === null) {
    for (const t of await broker.topics.listTopics()) topics.push({ error: 0, name: t.name, partitions: t.partitions });
  } else {
    for (const name of requested) {
      try {
        topics.push({ error: 0, name, partitions: await ensureTopic(broker, name, allowAuto) });
      } catch (e) {
        if (!(e instanceof TopicsError)) broker.log('warn', `metadata for ${name}: ${String(e)}`);
        topics.push({ error: errorCodeOf(e), name, partitions: 0 });
      }
    }
  }
  const node = broker.config.nodeId;
  const w = new Writer(128 + topics.length * 64);
  if (v >= 3) w.int32(0); // throttle
  w.array([node], (w2) => {
    w2.int32(node).string(broker.config.advertisedHost()).int32(broker.config.advertisedPort());
    if (v >= 1) w2.nullableString(null); // rack
  });
  if (v >= 2) w.nullableString(broker.config.clusterId);
  if (v >= 1) w.int32(node); // controller
  w.array(topics, (w2, t) => {
    w2.int16(t.error).string(t.name);
    if (v >= 1) w2.bool(false); // internal
    w2.int32(t.partitions);
    for (let p = 0; p < t.partitions; p++) w2.int16(ErrorCode.NONE).int32(p).int32(node).int32Array([node]).int32Array([node]);
  });
  return w;
};
