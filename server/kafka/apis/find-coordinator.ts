/** FindCoordinator v0-v2: this node coordinates every group. */
import { Writer } from '../codec.js';
import type { Handler } from '../context.js';

export const findCoordinator: Handler = (r, h, broker) => {
  r.string(); // key
  if (h.apiVersion >= 1) r.int8(); // key type
  const w = new Writer();
  if (h.apiVersion >= 1) w.int32(0).int16(0).nullableString(null);
  else w.int16(0);
  return w.int32(broker.config.nodeId).string(broker.config.advertisedHost()).int32(broker.config.advertisedPort());
};
