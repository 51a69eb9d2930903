/** kafkajs 2.2.4 against the listener: produce/consume, codecs, admin, and a consumer group that shrinks. */
import { CompressionTypes, type Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafka, registerKafkajsCodecs, startBroker, waitFor, type TestBroker } from './helpers.js';

let broker: TestBroker;
beforeAll(async () => {
  registerKafkajsCodecs();
  broker = await startBroker({ embedded: true });
});
afterAll(async () => {
  await broker?.close();
});

describe('kafkajs', () => {
  it.each([
    ['none', CompressionTypes.None],
    ['gzip', CompressionTypes.GZIP],
    ['snappy', CompressionTypes.Snappy],
    ['lz4', CompressionTypes.LZ4],
    ['zstd', CompressionTypes.ZSTD],
  ])('produces and consumes with keys and headers (%s)', async (name, compression) => {
    const topic = `kjs-${name}`;
    const k = kafka(broker.bootstrap);
    const producer = k.producer();
    await producer.connect();
    const messages = Array.from({ length: 30 }, (_, i) => ({ key: i % 3 === 0 ? null : `key-${i}`, value: `value-${i}-${name}`, headers: { h: `x${i}`, other: Buffer.from([i]) } }));
    await producer.send({ topic, compression, messages: messages.slice(0, 10) });
    await producer.send({ topic, compression, messages: messages.slice(10) });
    await producer.disconnect();

    const consumer = k.consumer({ groupId: `g-${name}`, maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const got: { key: string | null; value: string; h: string; other: number; offset: string }[] = [];
    await consumer.run({
      eachMessage: async ({ message }) => {
        got.push({ key: message.key?.toString() ?? null, value: message.value!.toString(), h: message.headers!.h!.toString(), other: (message.headers!.other as Buffer)[0]!, offset: message.offset });
      },
    });
    await waitFor(() => got.length >= 30, 20_000, 'messages');
    await consumer.disconnect();
    expect(got.map((g) => g.value)).toEqual(messages.map((m) => m.value));
    expect(got.map((g) => g.key)).toEqual(messages.map((m) => m.key));
    expect(got.map((g) => g.h)).toEqual(messages.map((_, i) => `x${i}`));
    expect(got.map((g) => g.other)).toEqual(messages.map((_, i) => i));
    expect(got.map((g) => Number(g.offset))).toEqual(messages.map((_, i) => i));
    // the engine side decodes the same stored batches
    const read = await broker.topics.read(topic, 0, 0, 100);
    expect(read.map((r) => r.value!.toString())).toEqual(messages.map((m) => m.value));
    expect(read[1]!.headers.map((h) => h.key)).toEqual(['h', 'other']);
    // committed offsets are visible through Topics
    expect((await broker.topics.fetchOffsets(`g-${name}`)).get(`${topic}:0`)).toBe(30);
  });

  it('runs admin calls and an idempotent producer', async () => {
    const k = kafka(broker.bootstrap);
    const admin = k.admin();
    await admin.connect();
    expect(await admin.createTopics({ topics: [{ topic: 'adm', numPartitions: 4, configEntries: [{ name: 'retention.ms', value: '12345' }] }] })).toBe(true);
    expect(await admin.createTopics({ topics: [{ topic: 'adm', numPartitions: 4 }] })).toBe(false);
    const meta = await admin.fetchTopicMetadata({ topics: ['adm'] });
    expect(meta.topics[0]!.partitions.length).toBe(4);
    const cfg = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: 'adm' }] });
    expect(cfg.resources[0]!.configEntries.find((e) => e.configName === 'retention.ms')?.configValue).toBe('12345');
    expect((await admin.listTopics()).includes('adm')).toBe(true);

    const producer = k.producer({ idempotent: true });
    await producer.connect();
    const res = await producer.send({ topic: 'adm', acks: -1, messages: [{ key: 'a', value: '1', partition: 2 }, { key: 'b', value: '2', partition: 2 }] });
    expect(res[0]!.baseOffset).toBe('0');
    await producer.disconnect();
    const offsets = await admin.fetchTopicOffsets('adm');
    expect(offsets.find((o) => o.partition === 2)).toMatchObject({ high: '2', low: '0' });
    const ts = await admin.fetchTopicOffsetsByTimestamp('adm', 0);
    expect(ts.find((o) => o.partition === 2)?.offset).toBe('0');
    await admin.deleteTopics({ topics: ['adm'] });
    expect((await admin.listTopics()).includes('adm')).toBe(false);
    await admin.disconnect();
  });

  it('keeps every record exactly once when one of three group members leaves mid-stream', async () => {
    const topic = 'grp-topic';
    const groupId = 'grp-three';
    await broker.topics.createTopic(topic, { partitions: 6, replicas: 1 });
    const k = kafka(broker.bootstrap, 'grp');
    const producer = k.producer();
    await producer.connect();
    const total = 1800;
    let produced = 0;
    const produceSome = async (n: number): Promise<void> => {
      const msgs = Array.from({ length: n }, (_, i) => ({ key: `k${produced + i}`, value: String(produced + i) }));
      produced += n;
      await producer.send({ topic, messages: msgs });
    };
    await produceSome(300);

    const delivered = new Map<string, number>(); // value -> committed deliveries
    const byMember = [0, 0, 0];
    const consumers: Consumer[] = [];
    for (let c = 0; c < 3; c++) {
      const consumer = k.consumer({ groupId, maxWaitTimeInMs: 200, sessionTimeout: 10_000, heartbeatInterval: 300, rebalanceTimeout: 20_000 });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          // a delivery counts once its offset commit is accepted by the coordinator
          await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
          const v = message.value!.toString();
          delivered.set(v, (delivered.get(v) ?? 0) + 1);
          byMember[c]!++;
        },
      });
      consumers.push(consumer);
    }
    // keep producing until all three members are consuming (they join over successive generations)
    const deadline = Date.now() + 30_000;
    while (byMember.some((n) => n === 0) && Date.now() < deadline && produced < total - 300) {
      await produceSome(30);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(byMember.every((n) => n > 0)).toBe(true);
    await consumers[2]!.disconnect(); // leaves the group mid-stream
    const leftAt = byMember[2]!;
    while (produced < total) await produceSome(Math.min(300, total - produced));
    await producer.disconnect();
    await waitFor(() => delivered.size >= total, 60_000, `all ${total} records (have ${delivered.size})`);
    await new Promise((r) => setTimeout(r, 500)); // let stragglers show up as duplicates if any
    await consumers[0]!.disconnect();
    await consumers[1]!.disconnect();
    expect(byMember[2]).toBe(leftAt);
    const dupes = [...delivered].filter(([, n]) => n !== 1);
    expect(dupes).toEqual([]);
    for (let i = 0; i < total; i++) expect(delivered.has(String(i))).toBe(true);
    const committed = await broker.topics.fetchOffsets(groupId);
    let sum = 0;
    for (let p = 0; p < 6; p++) sum += committed.get(`${topic}:${p}`) ?? 0;
    expect(sum).toBe(total);
  });
});
