/** Heartbeat v0-v3 (v1 throttle, v3 group instance id): REBALANCE_IN_PROGRESS is how live members learn to rejoin. */
import { Writer } from '../codec.js';
import type { Handler } from '../context.js';

export const heartbeat: Handler = (r, h, broker) => {
  const groupId = r.string();
  const generation = r.int32();
  const memberId = r.string();
  if (h.apiVersion >= 3) r.nullableString(); // group instance id
  const w = new Writer();
  if (h.apiVersion >= 1) w.int32(0);
  return w.int16(broker.groups.heartbeat(groupId, generation, memberId));
};
