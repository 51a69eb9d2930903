import { Decimal } from '../types/decimal.js';

/**
 * A cheap structural estimate of a value's heap footprint in bytes, for cache budgets
 * (`cache.max.bytes.buffering`). Not exact: it only needs to grow with the value, without the
 * cost of serialising on every cache write.
 */
export function approximateSize(v: unknown, depth = 0): number {
  switch (typeof v) {
    case 'number': return 8;
    case 'boolean': return 4;
    case 'string': return 16 + 2 * v.length;
    case 'bigint': return 24;
    case 'undefined': return 0;
    case 'object': break;
    default: return 8;
  }
  if (v === null) return 0;
  if (depth > 8) return 64; // deep structures: a flat guess keeps this O(size) and bounded
  if (Array.isArray(v)) {
    let n = 16 + 8 * v.length;
    for (const x of v) n += approximateSize(x, depth + 1);
    return n;
  }
  if (v instanceof Uint8Array) return 64 + v.length;
  if (v instanceof Decimal) return 48;
  if (v instanceof Map) {
    let n = 32;
    for (const [k, x] of v) n += 16 + approximateSize(k, depth + 1) + approximateSize(x, depth + 1);
    return n;
  }
  let n = 32;
  for (const k in v as Record<string, unknown>) n += 16 + approximateSize((v as Record<string, unknown>)[k], depth + 1);
  return n;
}
