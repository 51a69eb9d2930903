/** InitProducerId v1: a fresh producer id, epoch 0 (idempotence accepted; sequences are not checked). */
import { Writer } from '../codec.js';
import type { Handler } from '../context.js';

export const initProducerId: Handler = (r, _h, broker) => {
  r.nullableString(); // transactional id
  r.int32(); // transaction timeout
  return new Writer().int32(0).int16(0).int64(broker.nextProducerId()).int16(0);
};
