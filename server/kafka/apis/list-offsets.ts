/** ListOffsets v1-v2 (v2 adds isolation level and throttle): -1 = end, -2 = start, otherwise the first offset with timestamp ≥ it (exact) or -1. */
import { Writer } from '../codec.js';
import { errorCodeOf, type Handler } from '../context.js';

export const listOffsets: Handler = async (r, h, broker) => {
  r.int32(); // replica id
  if (h.apiVersion >= 2) r.int8(); // isolation level
  const topics = r.array((t) => ({ name: t.string(), partitions: t.array((p) => ({ index: p.int32(), timestamp: p.int64() })) }));
  const results = [];
  for (const t of topics) {
    const parts = [];
    for (const p of t.partitions) {
      let error = 0;
      let offset = -1;
      try {
        if (p.timestamp === -1) offset = broker.topics.endOffsetSync(t.name, p.index);
        else if (p.timestamp === -2) offset = broker.topics.startOffsetSync(t.name, p.index);
        else {
          offset = await broker.topics.offsetForTime(t.name, p.index, p.timestamp);
          if (offset === broker.topics.endOffsetSync(t.name, p.index)) offset = -1;
        }
      } catch (e) {
        error = errorCodeOf(e);
      }
      parts.push({ index: p.index, error, offset });
    }
    results.push({ name: t.name, parts });
  }
  const w = new Writer();
  if (h.apiVersion >= 2) w.int32(0); // throttle
  w.array(results, (w2, t) => {
    w2.string(t.name);
    w2.array(t.parts, (w3, p) => w3.int32(p.index).int16(p.error).int64(-1).int64(p.offset));
  });
  return w;
};
