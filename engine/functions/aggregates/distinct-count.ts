/**
 * COUNT_DISTINCT's accumulator. ksqlDB estimates with HyperLogLog (2^14 registers); for the small
 * cardinalities where its estimate is exact, Sluice counts exactly (a sorted list of value keys),
 * and switches to a HyperLogLog sketch of the same size once a group has seen more than
 * EXACT_LIMIT distinct values, so that state per group stays bounded.
 */
import { valueKey } from '../compare.js';

const EXACT_LIMIT = 1000;
const LOG2M = 14;
const M = 1 << LOG2M;

/** Either the exact sorted distinct keys, or HLL registers (one byte each). */
export type DistinctAcc = { readonly keys: readonly string[] } | { readonly registers: Buffer };

export const emptyDistinct = (): DistinctAcc => ({ keys: [] });

/** 32-bit FNV-1a followed by a murmur3 finaliser: cheap, well mixed for register choice. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function offer(registers: Buffer, key: string): void {
  const h = hash(key);
  const index = h >>> (32 - LOG2M);
  const rest = (h << LOG2M) | (1 << (LOG2M - 1));
  const rank = Math.clz32(rest) + 1;
  if (rank > registers[index]!) registers[index] = rank;
}

function toSketch(keys: readonly string[]): Buffer {
  const registers = Buffer.alloc(M);
  for (const k of keys) offer(registers, k);
  return registers;
}

function search(keys: readonly string[], k: string): number {
  let lo = 0, hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < k) lo = mid + 1; else hi = mid;
  }
  return lo;
}

export function addDistinct(acc: DistinctAcc, value: unknown): DistinctAcc {
  const k = valueKey(value);
  if ('keys' in acc) {
    const i = search(acc.keys, k);
    if (acc.keys[i] === k) return acc;
    const keys = [...acc.keys.slice(0, i), k, ...acc.keys.slice(i)];
    return keys.length > EXACT_LIMIT ? { registers: toSketch(keys) } : { keys };
  }
  const registers = Buffer.from(acc.registers);
  offer(registers, k);
  return { registers };
}

export function mergeDistinct(a: DistinctAcc, b: DistinctAcc): DistinctAcc {
  if ('keys' in a && 'keys' in b) {
    const keys = [...new Set([...a.keys, ...b.keys])].sort();
    return keys.length > EXACT_LIMIT ? { registers: toSketch(keys) } : { keys };
  }
  const ra = 'keys' in a ? toSketch(a.keys) : Buffer.from(a.registers);
  const rb = 'keys' in b ? toSketch(b.keys) : b.registers;
  for (let i = 0; i < M; i++) if (rb[i]! > ra[i]!) ra[i] = rb[i]!;
  return { registers: ra };
}

/** The count: exact, or the HyperLogLog estimate with linear counting for small ranges. */
export function countDistinct(acc: DistinctAcc): number {
  if ('keys' in acc) return acc.keys.length;
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < M; i++) {
    const r = acc.registers[i]!;
    sum += 2 ** -r;
    if (r === 0) zeros++;
  }
  const alpha = 0.7213 / (1 + 1.079 / M);
  const estimate = (alpha * M * M) / sum;
  if (estimate <= 2.5 * M && zeros > 0) return Math.round(M * Math.log(M / zeros));
  return Math.round(estimate);
}
