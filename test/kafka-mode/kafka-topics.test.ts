/** `KafkaTopics` behaviour against Sluice's listener and librdkafka's 3-broker mock cluster. */
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaTopics, MemoryTopics, type ProducedRecord } from '../../engine/topics/index.js';
import { KafkaListener } from '../../server/kafka/index.js';
import { hasKcat, startMockCluster } from './mock-cluster.js';

const rec = (k: string | null, v: string | null, ts = 1_700_000_000_000, headers: { key: string; value: Buffer | null }[] = []): ProducedRecord => ({
  key: k === null ? null : Buffer.from(k), value: v === null ? null : Buffer.from(v), timestamp: ts, headers,
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Cluster { bootstrap: string; exactPartitions: boolean }
const clusters: [string, () => Promise<Cluster>][] = [
  ['listener', async () => {
    const log = new MemoryTopics();
    const l = await KafkaListener.start({ topics: log, host: '127.0.0.1', port: 0 });
    cleanups.push(async () => { await l.close(); await log.close(); });
    return { bootstrap: l.bootstrap, exactPartitions: true };
  }],
];
if (hasKcat()) {
  clusters.push(['mock', async () => {
    const m = await startMockCluster(3);
    cleanups.push(() => m.close());
    return { bootstrap: m.bootstrap, exactPartitions: false };
  }]);
}

async function connect(c: Cluster, opts: Partial<Parameters<typeof KafkaTopics.connect>[0]> = {}): Promise<KafkaTopics> {
  const t = await KafkaTopics.connect({ brokers: c.bootstrap, ...opts });
  cleanups.push(() => t.close());
  return t;
}

describe.each(clusters)('KafkaTopics on %s', (_name, start) => {
  it('creates, describes and lists topics; a second create with the same count is a no-op', async () => {
    const c = await start();
    const t = await connect(c);
    expect(await t.describeTopic('t1')).toBeUndefined();
    expect((await t.listTopics()).map((x) => x.name)).not.toContain('t1'); // describing did not auto-create it
    await t.createTopic('t1', { partitions: 2, replicas: 1 });
    const d = (await t.describeTopic('t1'))!;
    expect(d.partitions).toBe(c.exactPartitions ? 2 : 4);
    await t.createTopic('t1', { partitions: d.partitions, replicas: 1 });
    await expect(t.createTopic('t1', { partitions: d.partitions + 1, replicas: 1 })).rejects.toThrow(/already exists/);
    expect((await t.listTopics()).map((x) => x.name)).toContain('t1');
  });

  it('appends and reads back exact records: keys, nulls, timestamps, repeated headers in order', async () => {
    const t = await connect(await start());
    await t.createTopic('a', { partitions: 2, replicas: 1 });
    const hs = [{ key: 'h', value: Buffer.from('1') }, { key: 'g', value: null }, { key: 'h', value: Buffer.from('2') }];
    expect(await t.append('a', 1, [rec('k1', 'v1', 5, hs), rec(null, null, 6)])).toBe(0);
    expect(await t.append('a', 1, [rec('k2', 'v2', 7)])).toBe(2);
    const rs: Awaited<ReturnType<KafkaTopics['read']>> = [];
    while (rs.length < 3) rs.push(...(await t.read('a', 1, rs.length, 100, 1000)));
    expect(rs.map((r) => [r.topic, r.partition, r.offset, r.key?.toString() ?? null, r.value?.toString() ?? null, r.timestamp])).toEqual([
      ['a', 1, 0, 'k1', 'v1', 5], ['a', 1, 1, null, null, 6], ['a', 1, 2, 'k2', 'v2', 7],
    ]);
    expect(rs[0]!.headers).toEqual(hs);
    expect((await t.read('a', 1, 1, 1)).map((r) => r.offset)).toEqual([1]);
    expect(await t.startOffset('a', 1)).toBe(0);
    expect(await t.endOffset('a', 1)).toBe(3);
    expect(await t.endOffset('a', 0)).toBe(0);
  });

  it('long-polls: a read waiting on an empty partition returns what is appended meanwhile, or [] on timeout', async () => {
    const t = await connect(await start());
    await t.createTopic('lp', { partitions: 1, replicas: 1 });
    const t0 = Date.now();
    expect(await t.read('lp', 0, 0, 10, 300)).toEqual([]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    const pending = t.read('lp', 0, 0, 10, 5000);
    setTimeout(() => void t.append('lp', 0, [rec('k', 'v')]), 200);
    expect((await pending).map((r) => r.value?.toString())).toEqual(['v']);
  });

  it('serves two readers of one partition at different offsets, and large appends split into batches', async () => {
    const t = await connect(await start(), { maxBatchBytes: 64 * 1024 });
    await t.createTopic('big', { partitions: 1, replicas: 1 });
    const value = 'x'.repeat(1000);
    const records = Array.from({ length: 500 }, (_, i) => rec(`k${i}`, `${i}:${value}`, 1000 + i));
    expect(await t.append('big', 0, records)).toBe(0);
    const drain = async (from: number, max: number) => {
      const out: number[] = [];
      for (let o = from; o < 500;) {
        const rs = await t.read('big', 0, o, max, 1000);
        out.push(...rs.map((r) => Number(r.value!.toString().split(':')[0])));
        o = rs.length ? rs[rs.length - 1]!.offset + 1 : o;
      }
      return out;
    };
    const [a, b] = await Promise.all([drain(0, 37), drain(250, 100)]);
    expect(a).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(b).toEqual(Array.from({ length: 250 }, (_, i) => 250 + i));
  });

  it('reads what compressed producers wrote (lz4, zstd, gzip, snappy)', async () => {
    const c = await start();
    for (const compression of ['lz4', 'zstd', 'gzip', 'snappy'] as const) {
      const w = await connect(c, { compression });
      await w.createTopic(`z-${compression}`, { partitions: 1, replicas: 1 });
      await w.append(`z-${compression}`, 0, [rec('a', 'one'), rec('b', 'two')]);
    }
    const r = await connect(c);
    for (const compression of ['lz4', 'zstd', 'gzip', 'snappy']) {
      expect((await r.read(`z-${compression}`, 0, 0, 10, 1000)).map((x) => x.value!.toString())).toEqual(['one', 'two']);
    }
  });

  it('commits and fetches consumer-group offsets; they survive a reconnect', async () => {
    const c = await start();
    const t = await connect(c);
    await t.createTopic('g', { partitions: 2, replicas: 1 });
    await t.append('g', 0, [rec('a', '1'), rec('b', '2')]);
    await t.commitOffsets('_confluent-ksql-x_query_CSAS_1', new Map([['g:0', 2], ['g:1', 0]]));
    const again = await connect(c);
    expect(await again.fetchOffsets('_confluent-ksql-x_query_CSAS_1')).toEqual(new Map([['g:0', 2], ['g:1', 0]]));
    expect(await again.fetchOffsets('nobody')).toEqual(new Map());
  });

  it('appending to a missing topic fails where the cluster does not auto-create (the mock auto-creates on metadata)', async () => {
    const c = await start();
    const t = await connect(c);
    if (c.exactPartitions) await expect(t.append('missing-topic', 0, [rec('a', 'b')])).rejects.toThrow(/missing-topic/);
    else expect(await t.append('missing-topic', 0, [rec('a', 'b')])).toBe(0);
  });
});
