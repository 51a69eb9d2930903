/** JoinGroup v0-v5 (v1 rebalance timeout, v2 throttle, v5 group instance id) (held until the rebalance completes; see GroupCoordinator). */
import { Writer } from '../codec.js';
import type { Handler } from '../context.js';

export const joinGroup: Handler = async (r, h, broker, conn) => {
  const v = h.apiVersion;
  const groupId = r.string();
  const sessionTimeoutMs = r.int32();
  const rebalanceTimeoutMs = v >= 1 ? r.int32() : sessionTimeoutMs;
  const memberId = r.string();
  const groupInstanceId = v >= 5 ? r.nullableString() : null;
  const protocolType = r.string();
  const protocols = r.array((p) => ({ name: p.string(), metadata: p.bytes() }));
  const req = { groupId, sessionTimeoutMs, rebalanceTimeoutMs, memberId, groupInstanceId, protocolType, protocols, clientId: h.clientId ?? '', clientHost: conn.clientHost };
  // the metadata must outlive the request frame buffer
  for (const p of req.protocols) p.metadata = Buffer.from(p.metadata);
  const res = await broker.groups.join(req);
  const w = new Writer();
  if (v >= 2) w.int32(0); // throttle
  w.int16(res.error).int32(res.generation).string(res.protocol).string(res.leader).string(res.memberId);
  w.array(res.members, (w2, m) => {
    w2.string(m.memberId);
    if (v >= 5) w2.nullableString(m.groupInstanceId);
    w2.bytes(m.metadata);
  });
  return w;
};
