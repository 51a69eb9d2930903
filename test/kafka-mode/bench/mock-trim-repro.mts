// KNOWN BUG reproduction (not a test): librdkafka's mock trims each partition log (its start offset moves once a
// partition holds many records: 250k per partition here); KafkaTopics.read of a trimmed offset gets OFFSET_OUT_OF_RANGE and is meant
// to continue from the start offset (as the embedded log does), but with 4 partitions read concurrently some
// partitions stall at offset 0. Run: npx tsx test/kafka-mode/bench/mock-trim-repro.mts (FDEBUG logging was used to find it).
import { KafkaTopics } from '../../../engine/topics/index.js';
import { startMockCluster } from '../mock-cluster.js';
const n = 1_000_000, P = 4;
const value = Buffer.from(JSON.stringify({ id: 0, name: 'some name', amount: 12.5, tags: ['a', 'b'] }));
const mock = await startMockCluster(3);
const t = await KafkaTopics.connect({ brokers: mock.bootstrap, log: (m) => console.log('LOG', m) });
await t.createTopic('bench', { partitions: 4, replicas: 1 });
await Promise.all(Array.from({ length: P }, async (_, p) => { for (let i = 0; i < n / P; i += 1000) await t.append('bench', p, Array.from({ length: 1000 }, (_, j) => ({ key: Buffer.from(`k-${i + j}`), value, timestamp: Date.now(), headers: [] }))); }));
const offs = [0, 0, 0, 0];
const timer = setInterval(() => console.log('at', offs.join(',')), 2000);
const t0 = Date.now();
await Promise.all(Array.from({ length: P }, async (_, p) => { while (offs[p]! < n / P && Date.now() - t0 < 15000) { const rs = await t.read('bench', p, offs[p]!, 500, 200); if (rs.length) offs[p] = rs[rs.length - 1]!.offset + 1; } }));
clearInterval(timer);
console.log('end', offs, Date.now() - t0);
process.exit(0);
