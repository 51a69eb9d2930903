/** OffsetFetch v1-v4 (v2 top-level error, v3 throttle): committed offsets (-1 when none); a null topic list means every committed partition. */
import { Writer } from '../codec.js';
import type { Handler } from '../context.js';

export const offsetFetch: Handler = async (r, h, broker) => {
  const groupId = r.string();
  const requested = r.nullableArray((t) => ({ name: t.string(), partitions: t.array((p) => p.int32()) }));
  const committed = await broker.topics.fetchOffsets(groupId);
  let topics: { name: string; partitions: number[] }[];
  if (requested !== null) topics = requested;
  else {
    const byTopic = new Map<string, number[]>();
    for (const key of committed.keys()) {
      const i = key.lastIndexOf(':');
      const name = key.slice(0, i);
      let list = byTopic.get(name);
      if (!list) byTopic.set(name, (list = []));
      list.push(Number(key.slice(i + 1)));
    }
    topics = [...byTopic].map(([name, partitions]) => ({ name, partitions }));
  }
  const w = new Writer();
  if (h.apiVersion >= 3) w.int32(0);
  w.array(topics, (w2, t) => {
    w2.string(t.name);
    w2.array(t.partitions, (w3, p) => {
      const offset = committed.get(`${t.name}:${p}`);
      w3.int32(p).int64(offset ?? -1).nullableString(offset === undefined ? '' : broker.groups.commitMetadata(groupId, t.name, p)).int16(0);
    });
  });
  if (h.apiVersion >= 2) w.int16(0);
  return w;
};
