// Throughput comparison (not a test), all in one run on the same data: the same kafkajs consumer
// (group-managed, eachBatch; measured from run() and from its GROUP_JOIN event) reading N records from Sluice's listener and from librdkafka's mock
// cluster (3 brokers, kcat), then Sluice's KafkaTopics pull reads (Kafka mode's read path) on both.
// Both clusters get a 4-partition topic (the mock's auto-created count) filled through KafkaTopics.
//   npx tsx test/kafka-mode/bench/consume-throughput.mts [N=200000] [rounds=3]
import { performance } from 'node:perf_hooks';
import kafkajs from 'kafkajs';
import { KafkaTopics, MemoryTopics } from '../../../engine/topics/index.js';
import { KafkaListener } from '../../../server/kafka/index.js';
import { startMockCluster } from '../mock-cluster.js';

const n = Number(process.argv[2] ?? 200_000);
const rounds = Number(process.argv[3] ?? 3);
const PARTITIONS = 4;
const value = Buffer.from(JSON.stringify({ id: 0, name: 'some name', amount: 12.5, tags: ['a', 'b'] }));

interface Target { name: string; bootstrap: string; close(): Promise<void> }

async function fill(t: Target): Promise<void> {
  const topics = await KafkaTopics.connect({ brokers: t.bootstrap });
  await topics.createTopic('bench', { partitions: PARTITIONS, replicas: 1 });
  const per = Math.ceil(n / PARTITIONS);
  await Promise.all(Array.from({ length: PARTITIONS }, async (_, p) => {
    for (let i = 0; i < per; i += 1000) {
      const records = Array.from({ length: Math.min(1000, per - i) }, (_, j) => ({ key: Buffer.from(`k${p}-${i + j}`), value, timestamp: Date.now(), headers: [] }));
      await topics.append('bench', p, records);
    }
  }));
  await topics.close();
}

async function kafkajsConsume(t: Target, round: number): Promise<{ total: number; steady: number }> {
  const kafka = new kafkajs.Kafka({ clientId: 'bench', brokers: t.bootstrap.split(','), logLevel: kafkajs.logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `bench-${round}`, maxWaitTimeInMs: 100, maxBytesPerPartition: 4 << 20 });
  await consumer.connect();
  await consumer.subscribe({ topic: 'bench', fromBeginning: true });
  let seen = 0;
  let first = 0;
  consumer.on(consumer.events.GROUP_JOIN, () => { first = performance.now(); });
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const total = Math.ceil(n / PARTITIONS) * PARTITIONS;
  const t0 = performance.now();
  await consumer.run({
    eachBatchAutoResolve: true,
    eachBatch: async ({ batch }) => {
      seen += batch.messages.length;
      if (seen >= total) done();
    },
  });
  await finished;
  const end = performance.now();
  await consumer.disconnect();
  return { total: (total / (end - t0)) * 1000, steady: (total / (end - first)) * 1000 };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms).unref())]);
}

async function sluiceRead(t: Target): Promise<number> {
  const topics = await KafkaTopics.connect({ brokers: t.bootstrap });
  const per = Math.ceil(n / PARTITIONS);
  const t0 = performance.now();
  await Promise.all(Array.from({ length: PARTITIONS }, async (_, p) => {
    for (let off = 0; off < per; ) {
      const rs = await topics.read('bench', p, off, 500, 200);
      if (rs.length) off = rs[rs.length - 1]!.offset + 1;
    }
  }));
  const ms = performance.now() - t0;
  await topics.close();
  return ((per * PARTITIONS) / ms) * 1000;
}

const log = new MemoryTopics();
const listener = await KafkaListener.start({ topics: log, host: '127.0.0.1', port: 0 });
const mock = await startMockCluster(3);
const targets: Target[] = [
  { name: 'Sluice listener (MemoryTopics)', bootstrap: listener.bootstrap, close: async () => { await listener.close(); await log.close(); } },
  { name: 'librdkafka mock cluster (3 brokers)', bootstrap: mock.bootstrap, close: () => mock.close() },
];
for (const t of targets) {
  const f0 = performance.now();
  await fill(t);
  console.log(`filled ${t.name} in ${(performance.now() - f0).toFixed(0)} ms (KafkaTopics.append, 1000 records per produce, acks=-1)`);
}
const results = new Map<string, { kjs: { total: number; steady: number }[]; sluice: number[] }>();
for (let r = 0; r < rounds; r++) {
  for (const t of targets) {
    const res = results.get(t.name) ?? { kjs: [], sluice: [] };
    res.kjs.push(await withTimeout(kafkajsConsume(t, r), 120_000, `kafkajs consume from ${t.name}`));
    res.sluice.push(await sluiceRead(t));
    results.set(t.name, res);
  }
}
const best = (xs: number[]) => Math.round(Math.max(...xs));
console.log(`${n} records of ${value.length} B in ${PARTITIONS} partitions; best of ${rounds} rounds, alternating targets`);
for (const [name, r] of results) {
  console.log(`${name.padEnd(38)} kafkajs consumer ${best(r.kjs.map((x) => x.total))}/s incl. group join (${best(r.kjs.map((x) => x.steady))}/s after joining the group); KafkaTopics.read ${best(r.sluice)}/s`);
}
for (const t of targets) await t.close();
process.exit(0);
