import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from '../../engine/types/decimal.js';

/** A fresh temporary directory per test; removed by the returned cleanup. */
export async function tempDir(prefix = 'sluice-state-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Exact structural equality for engine values: distinguishes -0/0, number/bigint, Decimal scale,
 * Buffer contents, Map and object key order.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a !== typeof b) return false;
  if (typeof a !== 'object' || a === null || b === null) return Object.is(a, b);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (a instanceof Decimal) return b instanceof Decimal && a.equals(b);
  if (a instanceof Uint8Array) return Buffer.isBuffer(b) && Buffer.compare(Buffer.from(a), b) === 0;
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    const ea = [...a], eb = [...b];
    return ea.every(([k, v], i) => sameValue(k, eb[i]![0]) && sameValue(v, eb[i]![1]));
  }
  if (b instanceof Map || Array.isArray(b) || b instanceof Uint8Array || b instanceof Decimal) return false;
  const ka = Object.keys(a), kb = Object.keys(b as object);
  return ka.length === kb.length
    && ka.every((k, i) => k === kb[i] && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
