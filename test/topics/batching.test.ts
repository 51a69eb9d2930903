import { describe, expect, it } from 'vitest';
import { batchesByBytes } from '../../engine/topics/batching.js';
import type { ProducedRecord } from '../../engine/topics/topics.js';

const rec = (bytes: number): ProducedRecord => ({ key: null, value: Buffer.alloc(bytes), timestamp: 0, headers: [] });

describe('batchesByBytes', () => {
  it('keeps every record, in order, in batches under the limit', () => {
    const records = Array.from({ length: 100 }, (_, i) => rec(100 + i));
    const batches = [...batchesByBytes(records, 1000)];
    expect(batches.flat()).toEqual(records);
    for (const b of batches) expect(b.reduce((n, r) => n + 24 + r.value!.length, 0)).toBeLessThanOrEqual(1000);
    expect(batches.length).toBeGreaterThan(10);
  });

  it('gives a record larger than the limit a batch of its own', () => {
    const batches = [...batchesByBytes([rec(10), rec(5000), rec(10)], 1000)];
    expect(batches.map((b) => b.length)).toEqual([1, 1, 1]);
  });

  it('yields nothing for no records', () => {
    expect([...batchesByBytes([])]).toEqual([]);
  });
});
