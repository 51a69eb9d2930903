// Throughput probe (not a test): N records appended in-process, then consumed with kafkajs
// through the listener. Run: npx tsx test/kafka/bench/kafkajs-consume.mts [N] [memory|embedded]
import { performance } from 'node:perf_hooks';
import { kafka, startBroker } from '../helpers.js';

const n = Number(process.argv[2] ?? 200_000);
const embedded = (process.argv[3] ?? 'embedded') === 'embedded';
const broker = await startBroker({ embedded });
await broker.topics.createTopic('bench', { partitions: 1, replicas: 1 });
const value = Buffer.from(JSON.stringify({ id: 0, name: 'some name', amount: 12.5, tags: ['a', 'b'] }));
let t0 = performance.now();
for (let i = 0; i < n; i += 500) {
  const records = Array.from({ length: Math.min(500, n - i) }, (_, j) => ({ key: Buffer.from(`k${i + j}`), value, timestamp: Date.now(), headers: [] }));
  await broker.topics.append('bench', 0, records);
}
const appendMs = performance.now() - t0;
const consumer = kafka(broker.bootstrap).consumer({ groupId: 'bench', maxWaitTimeInMs: 100, maxBytesPerPartition: 4 << 20 });
await consumer.connect();
await consumer.subscribe({ topic: 'bench', fromBeginning: true });
let seen = 0;
let done!: () => void;
const finished = new Promise<void>((r) => (done = r));
t0 = performance.now();
await consumer.run({
  eachBatchAutoResolve: true,
  eachBatch: async ({ batch }) => {
    seen += batch.messages.length;
    if (seen >= n) done();
  },
});
await finished;
const consumeMs = performance.now() - t0;
await consumer.disconnect();
let r0 = performance.now();
let read = 0;
for (let off = 0; read < n; ) {
  const rs = await broker.topics.read('bench', 0, off, 5000);
  read += rs.length;
  off = rs[rs.length - 1]!.offset + 1;
}
const readMs = performance.now() - r0;
console.log(`${embedded ? 'EmbeddedTopics' : 'MemoryTopics'}: append ${n} records in ${appendMs.toFixed(0)} ms (${Math.round(n / appendMs * 1000)}/s, batches of 500${embedded ? ', fsync always' : ''});` +
  ` kafkajs consume ${Math.round(n / consumeMs * 1000)}/s (${consumeMs.toFixed(0)} ms incl. group join);` +
  ` in-process read ${Math.round(n / readMs * 1000)}/s`);
// kafkajs produce through the listener (acks=-1, 1000 records per request, 4 requests in flight)
await broker.topics.createTopic('bench-in', { partitions: 1, replicas: 1 });
const producer = kafka(broker.bootstrap).producer();
await producer.connect();
const msgs = Array.from({ length: 1000 }, (_, j) => ({ key: `k${j}`, value }));
t0 = performance.now();
for (let i = 0; i < n; i += 4000) await Promise.all([0, 1, 2, 3].map(() => producer.send({ topic: 'bench-in', acks: -1, messages: msgs })));
const produceMs = performance.now() - t0;
await producer.disconnect();
console.log(`kafkajs produce ${Math.round(n / produceMs * 1000)}/s (${produceMs.toFixed(0)} ms)`);
await broker.close();
