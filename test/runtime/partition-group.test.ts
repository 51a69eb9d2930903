import { describe, expect, it } from 'vitest';
import { PartitionGroup } from '../../engine/runtime/partition-group.js';
import type { ConsumedRecord } from '../../engine/topics/topics.js';

const rec = (topic: string, offset: number, timestamp: number): ConsumedRecord =>
  ({ topic, partition: 0, offset, timestamp, key: null, value: null, headers: [] });

describe('PartitionGroup', () => {
  it('hands out records of several partitions in timestamp order', () => {
    const g = new PartitionGroup(new Map([['stream:0', 0], ['table:0', 0]]));
    expect(g.needingFetch()).toEqual([{ key: 'stream:0', offset: 0 }, { key: 'table:0', offset: 0 }]);
    g.add('stream:0', [rec('stream', 0, 10), rec('stream', 1, 30)], 10);
    g.add('table:0', [rec('table', 0, 5), rec('table', 1, 20)], 10);
    const order = [];
    for (let n = g.next(); n; n = g.next()) order.push(`${n.record.topic}@${n.record.timestamp}`);
    expect(order).toEqual(['table@5', 'stream@10', 'table@20', 'stream@30']);
    expect(g.needingFetch()).toEqual([{ key: 'stream:0', offset: 2 }, { key: 'table:0', offset: 2 }]);
  });

  it('waits for a drained partition whose last fetch was full, but not for one that is caught up', () => {
    const g = new PartitionGroup(new Map([['a:0', 0], ['b:0', 0]]));
    g.add('a:0', [rec('a', 0, 1)], 1); // a full batch: more may follow
    g.add('b:0', [rec('b', 0, 50), rec('b', 1, 60)], 10); // caught up
    expect(g.next()?.record.topic).toBe('a');
    expect(g.next()).toBeUndefined(); // a may still have records before 50
    g.add('a:0', [], 1);
    expect(g.next()?.record.timestamp).toBe(50);
  });
});
