/** LeaveGroup v0-v1 (v1 throttle). */
import { Writer } from '../codec.js';
import type { Handler } from '../context.js';

export const leaveGroup: Handler = (r, h, broker) => {
  const groupId = r.string();
  const memberId = r.string();
  const w = new Writer();
  if (h.apiVersion >= 1) w.int32(0);
  return w.int16(broker.groups.leave(groupId, memberId));
};
