/** ListGroups v2 and DescribeGroups v2 (admin views of the coordinator). */
import { Writer } from '../codec.js';
import type { Handler } from '../context.js';

export const listGroups: Handler = (_r, _h, broker) => {
  const w = new Writer();
  w.int32(0).int16(0);
  w.array(broker.groups.list(), (w2, g) => w2.string(g.groupId).string(g.protocolType));
  return w;
};

export const describeGroups: Handler = (r, _h, broker) => {
  const ids = r.array((x) => x.string());
  const w = new Writer();
  w.int32(0);
  w.array(
    ids.map((id) => broker.groups.describe(id)),
    (w2, g) => {
      w2.int16(0).string(g.groupId).string(g.state).string(g.protocolType).string(g.protocol);
      w2.array(g.members, (w3, m) => w3.string(m.memberId).string(m.clientId).string(m.clientHost).bytes(m.metadata).bytes(m.assignment));
    },
  );
  return w;
};
