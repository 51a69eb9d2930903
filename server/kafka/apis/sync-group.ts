/** SyncGroup v0-v3 (v1 throttle, v3 group instance id): followers wait for the leader's assignments. */
import { Writer } from '../codec.js';
import type { Handler } from '../context.js';

export const syncGroup: Handler = async (r, h, broker) => {
  const groupId = r.string();
  const generation = r.int32();
  const memberId = r.string();
  if (h.apiVersion >= 3) r.nullableString(); // group instance id
  const assignments = r.array((a) => ({ memberId: a.string(), assignment: Buffer.from(a.bytes()) }));
  const res = await broker.groups.sync(groupId, generation, memberId, assignments);
  const w = new Writer();
  if (h.apiVersion >= 1) w.int32(0);
  return w.int16(res.error).bytes(res.assignment);
};
