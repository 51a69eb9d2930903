import { describe, expect, it } from 'vitest';
import { addDistinct, countDistinct, emptyDistinct, mergeDistinct, type DistinctAcc } from '../../engine/functions/aggregates/distinct-count.js';
import { decodeValue, encodeValue } from '../../engine/state/codec.js';

describe('COUNT_DISTINCT accumulator', () => {
  it('is exact for small cardinalities and survives the state codec', () => {
    let acc: DistinctAcc = emptyDistinct();
    for (const v of ['a', 'b', 'a', 1, 1, 'c']) acc = addDistinct(acc, v);
    expect(countDistinct(acc)).toBe(4);
    expect(countDistinct(decodeValue(encodeValue(acc)) as DistinctAcc)).toBe(4);
  });

  it('switches to a bounded sketch and stays within 2% for large cardinalities', () => {
    let acc: DistinctAcc = emptyDistinct();
    for (let i = 0; i < 50_000; i++) acc = addDistinct(acc, `user-${i % 20_000}`);
    expect('registers' in acc).toBe(true);
    expect(Math.abs(countDistinct(acc) - 20_000) / 20_000).toBeLessThan(0.02);
    const restored = decodeValue(encodeValue(acc)) as DistinctAcc;
    expect(countDistinct(restored)).toBe(countDistinct(acc));
  });

  it('merges exact and sketched accumulators', () => {
    let a: DistinctAcc = emptyDistinct();
    let b: DistinctAcc = emptyDistinct();
    for (let i = 0; i < 600; i++) a = addDistinct(a, i);
    for (let i = 300; i < 900; i++) b = addDistinct(b, i);
    expect(countDistinct(mergeDistinct(a, b))).toBe(900);
    let big: DistinctAcc = emptyDistinct();
    for (let i = 0; i < 5000; i++) big = addDistinct(big, i);
    const merged = countDistinct(mergeDistinct(big, a));
    expect(Math.abs(merged - 5000) / 5000).toBeLessThan(0.02);
  });
});
