/** DeleteTopics v1. */
import { Writer } from '../codec.js';
import { errorCodeOf, type Handler } from '../context.js';
import { ErrorCode } from '../protocol.js';

export const deleteTopics: Handler = async (r, _h, broker) => {
  const names = r.array((t) => t.string());
  r.int32(); // timeout
  const results: { name: string; error: number }[] = [];
  for (const name of names) {
    if (broker.topics.partitionCount(name) === undefined) {
      results.push({ name, error: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
      continue;
    }
    try {
      await broker.topics.deleteTopic(name);
      results.push({ name, error: 0 });
    } catch (e) {
      results.push({ name, error: errorCodeOf(e) });
    }
  }
  const w = new Writer();
  w.int32(0);
  w.array(results, (w2, t) => w2.string(t.name).int16(t.error));
  return w;
};
