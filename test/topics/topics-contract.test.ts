/** The same behaviour suite over both `Topics` implementations. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Codec, EmbeddedTopics, MemoryTopics, encodeBatch, type BatchLog, type ProducedRecord } from '../../engine/topics/index.js';

const rec = (k: string | null, v: string | null, ts = 1_700_000_000_000, headers: { key: string; value: Buffer | null }[] = []): ProducedRecord => ({
  key: k === null ? null : Buffer.from(k),
  value: v === null ? null : Buffer.from(v),
  timestamp: ts,
  headers,
});

const dirs: string[] = [];
const opened: BatchLog[] = [];
afterEach(async () => {
  for (const t of opened.splice(0)) await t.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const impls: [string, () => Promise<BatchLog>][] = [
  ['MemoryTopics', async () => new MemoryTopics()],
  [
    'EmbeddedTopics',
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-log-'));
      dirs.push(dir);
      return EmbeddedTopics.open({ dir, maintenanceIntervalMs: 0 });
    },
  ],
];

describe.each(impls)('%s', (_name, make) => {
  const open = async (): Promise<BatchLog> => {
    const t = await make();
    opened.push(t);
    return t;
  };

  it('appends and reads records with keys, null values and headers', async () => {
    const t = await open();
    await t.createTopic('a', { partitions: 2, replicas: 1 });
    expect(await t.append('a', 1, [rec('k1', 'v1', 5, [{ key: 'h', value: Buffer.from('x') }]), rec(null, null, 6)])).toBe(0);
    expect(await t.append('a', 1, [rec('k2', 'v2', 7)])).toBe(2);
    const rs = await t.read('a', 1, 0, 100);
    expect(rs.map((r) => [r.offset, r.key?.toString() ?? null, r.value?.toString() ?? null, r.timestamp])).toEqual([
      [0, 'k1', 'v1', 5],
      [1, null, null, 6],
      [2, 'k2', 'v2', 7],
    ]);
    expect(rs[0]!.headers).toEqual([{ key: 'h', value: Buffer.from('x') }]);
    expect(rs[0]!.topic).toBe('a');
    expect(rs[0]!.partition).toBe(1);
    expect((await t.read('a', 1, 1, 1)).map((r) => r.offset)).toEqual([1]);
    expect(await t.read('a', 0, 0, 10)).toEqual([]);
    expect(await t.endOffset('a', 1)).toBe(3);
    expect(await t.startOffset('a', 1)).toBe(0);
  });

  it('creates idempotently, rejects conflicts, lists, describes and deletes', async () => {
    const t = await open();
    await t.createTopic('b', { partitions: 3, replicas: 1, configs: { 'retention.ms': '1000' } });
    await t.createTopic('b', { partitions: 3, replicas: 1 });
    await expect(t.createTopic('b', { partitions: 2, replicas: 1 })).rejects.toMatchObject({ kafkaCode: 36 });
    await expect(t.createTopic('bad/name', { partitions: 1, replicas: 1 })).rejects.toMatchObject({ kafkaCode: 17 });
    expect((await t.describeTopic('b'))?.configs['retention.ms']).toBe('1000');
    expect((await t.listTopics()).map((d) => d.name)).toEqual(['b']);
    await t.commitOffsets('g', new Map([['b:0', 5]]));
    await t.deleteTopic('b');
    expect(await t.describeTopic('b')).toBeUndefined();
    expect(await t.fetchOffsets('g')).toEqual(new Map());
    await expect(t.append('b', 0, [rec('k', 'v')])).rejects.toMatchObject({ kafkaCode: 3 });
  });

  it.each([
    ['none', Codec.None],
    ['gzip', Codec.Gzip],
    ['snappy', Codec.Snappy],
    ['lz4', Codec.Lz4],
    ['zstd', Codec.Zstd],
  ])('stores raw %s batches as they are and decodes them', async (_c, codec) => {
    const t = await open();
    await t.createTopic('c', { partitions: 1, replicas: 1 });
    const records = Array.from({ length: 50 }, (_, i) => rec(`k${i}`, `value-${i}`.repeat(10), 1000 + i));
    const b1 = await encodeBatch(records.slice(0, 20), 0, { codec });
    const b2 = await encodeBatch(records.slice(20), 0, { codec });
    const res = await t.appendBatches('c', 0, Buffer.concat([b1, b2]));
    expect(res.baseOffset).toBe(0);
    const got = await t.read('c', 0, 0, 1000);
    expect(got.map((r) => r.value!.toString())).toEqual(records.map((r) => r.value!.toString()));
    expect(got.map((r) => r.offset)).toEqual(records.map((_, i) => i));
    const f = t.fetchBatches('c', 0, 25, 1 << 20);
    expect(f.highWatermark).toBe(50);
    const served = Buffer.concat(f.batches);
    expect(served.readInt32BE(8)).toBe(b2.readInt32BE(8));
    expect(served.subarray(12)).toEqual(b2.subarray(12)); // byte for byte after the base offset
    expect(Number(served.readBigInt64BE(0))).toBe(20);
  });

  it('rejects corrupt batches', async () => {
    const t = await open();
    await t.createTopic('d', { partitions: 1, replicas: 1 });
    const b = (await encodeBatch([rec('k', 'v')], 0)) as Buffer;
    b[b.length - 1] ^= 0xff;
    await expect(t.appendBatches('d', 0, b)).rejects.toMatchObject({ kafkaCode: 2 });
    await expect(t.appendBatches('d', 0, Buffer.from([1, 2, 3]))).rejects.toMatchObject({ kafkaCode: 2 });
    expect(await t.endOffset('d', 0)).toBe(0);
  });

  it('fetches whole batches: at least one, within maxBytes, out of range past the end', async () => {
    const t = await open();
    await t.createTopic('e', { partitions: 1, replicas: 1 });
    for (let i = 0; i < 10; i++) await t.append('e', 0, [rec(`k${i}`, 'x'.repeat(100)), rec(`k${i}b`, 'y'.repeat(100))]);
    const one = t.fetchBatches('e', 0, 3, 10);
    expect(one.batches.length).toBeGreaterThan(0);
    const buf = Buffer.concat(one.batches);
    expect(Number(buf.readBigInt64BE(0))).toBe(2);
    expect(buf.length).toBe(buf.readInt32BE(8) + 12);
    const all = Buffer.concat(t.fetchBatches('e', 0, 0, 1 << 20).batches);
    expect(all.length).toBeGreaterThan(buf.length * 9);
    expect(t.fetchBatches('e', 0, 20, 100).bytes).toBe(0);
    expect(() => t.fetchBatches('e', 0, 21, 100)).toThrow(expect.objectContaining({ kafkaCode: 1 }));
  });

  it('finds offsets by time', async () => {
    const t = await open();
    await t.createTopic('f', { partitions: 1, replicas: 1, configs: { 'index.interval.bytes': '100' } });
    for (let i = 0; i < 100; i++) await t.append('f', 0, [rec('k', 'v'.repeat(50), 1000 + i * 10)]);
    expect(await t.offsetForTime('f', 0, 0)).toBe(0);
    expect(await t.offsetForTime('f', 0, 1000)).toBe(0);
    expect(await t.offsetForTime('f', 0, 1001)).toBe(1);
    expect(await t.offsetForTime('f', 0, 1500)).toBe(50);
    expect(await t.offsetForTime('f', 0, 1990)).toBe(99);
    expect(await t.offsetForTime('f', 0, 5000)).toBe(100);
  });

  it('long-polls in read', async () => {
    const t = await open();
    await t.createTopic('g', { partitions: 1, replicas: 1 });
    const started = Date.now();
    expect(await t.read('g', 0, 0, 10, 100)).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    const pending = t.read('g', 0, 0, 10, 5000);
    setTimeout(() => void t.append('g', 0, [rec('k', 'late')]), 50);
    const got = await pending;
    expect(got.map((r) => r.value!.toString())).toEqual(['late']);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('commits and fetches group offsets', async () => {
    const t = await open();
    await t.commitOffsets('g1', new Map([['x:0', 3], ['x:1', 7]]));
    await t.commitOffsets('g1', new Map([['x:0', 4]]));
    expect(await t.fetchOffsets('g1')).toEqual(new Map([['x:0', 4], ['x:1', 7]]));
    expect(await t.fetchOffsets('other')).toEqual(new Map());
  });

  it('stamps LogAppendTime when configured', async () => {
    const t = await open();
    await t.createTopic('h', { partitions: 1, replicas: 1, configs: { 'message.timestamp.type': 'LogAppendTime' } });
    const before = Date.now();
    const r = await t.appendBatches('h', 0, (await encodeBatch([rec('k', 'v', 5)], 0)) as Buffer);
    expect(r.logAppendTime).toBeGreaterThanOrEqual(before);
    const [got] = await t.read('h', 0, 0, 1);
    expect(got!.timestamp).toBe(r.logAppendTime);
  });
});
