/**
 * Kafka's default partitioner for keyed records: murmur2 of the key bytes, masked positive, modulo
 * the partition count. Hand-written because it is twenty lines and must match the Java client bit for bit.
 */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  const seed = 0x9747b28c;
  const m = 0x5bd1e995;
  const r = 24;
  let h = (seed ^ length) | 0;
  const length4 = length >> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = (data[i4]! & 0xff) + ((data[i4 + 1]! & 0xff) << 8) + ((data[i4 + 2]! & 0xff) << 16) + ((data[i4 + 3]! & 0xff) << 24);
    k = Math.imul(k, m);
    k ^= k >>> r;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const rem = length & 3;
  const base = length & ~3;
  if (rem === 3) h ^= (data[base + 2]! & 0xff) << 16;
  if (rem >= 2) h ^= (data[base + 1]! & 0xff) << 8;
  if (rem >= 1) {
    h ^= data[base]! & 0xff;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition Kafka's Java producer picks for a keyed record. Unkeyed records go to partition 0 here. */
export function partitionForKey(key: Uint8Array | null, numPartitions: number): number {
  if (numPartitions <= 1 || key === null) return 0;
  return (murmur2(key) & 0x7fffffff) % numPartitions;
}
