/**
 * The server in Kafka mode: with `bootstrap.servers` set, DDL and persistent queries run on an
 * external cluster (here a separate listener over in-memory topics, and librdkafka's mock cluster),
 * and a plain kafkajs consumer reads the query's output from that cluster.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { startServer, type RunningServer } from '../../server/app.js';
import { MemoryTopics } from '../../engine/topics/index.js';
import { KafkaListener } from '../../server/kafka/index.js';
import { hasKcat, startMockCluster } from './mock-cluster.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function clusters(name: string): Promise<string> {
  if (name === 'mock') {
    const m = await startMockCluster(3);
    cleanups.push(() => m.close());
    return m.bootstrap;
  }
  const log = new MemoryTopics();
  const l = await KafkaListener.start({ topics: log, host: '127.0.0.1', port: 0 });
  cleanups.push(async () => { await l.close(); await log.close(); });
  return l.bootstrap;
}

async function ksql(server: RunningServer, sql: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${server.restUrl}/ksql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql: sql }) });
  return { status: res.status, body: await res.json() };
}

describe.each(['listener', ...(hasKcat() ? ['mock'] : [])])('server in Kafka mode on %s', (name) => {
  it('runs DDL and a persistent query on the external cluster', async () => {
    const bootstrap = await clusters(name);
    const dir = mkdtempSync(join(tmpdir(), 'sluice-kmode-'));
    const server = await startServer({
      listeners: 'http://127.0.0.1:0', kafkaListener: '127.0.0.1:0', dataDir: dir,
      config: { 'auto.offset.reset': 'earliest', 'bootstrap.servers': bootstrap, 'ksql.service.id': 'kmode_' },
    });
    cleanups.push(async () => { await server.stop(); rmSync(dir, { recursive: true, force: true }); });
    expect(server.kafkaAddress).toBeUndefined(); // no embedded listener in Kafka mode

    const created = await ksql(server, `
      CREATE STREAM clicks (id INT KEY, url STRING) WITH (kafka_topic='clicks', value_format='JSON', partitions=1);
      CREATE STREAM secure AS SELECT id, url FROM clicks WHERE url LIKE 'https:%';
      INSERT INTO clicks (id, url) VALUES (1, 'https://a');
      INSERT INTO clicks (id, url) VALUES (2, 'http://b');
      INSERT INTO clicks (id, url) VALUES (3, 'https://c');`);
    expect(created.status).toBe(200);

    const kafka = new kafkajs.Kafka({ brokers: bootstrap.split(','), logLevel: kafkajs.logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const topics = await admin.listTopics();
    await admin.disconnect();
    expect(topics).toEqual(expect.arrayContaining(['clicks', 'SECURE']));

    const consumer = kafka.consumer({ groupId: `check-${name}` });
    await consumer.connect();
    await consumer.subscribe({ topic: 'SECURE', fromBeginning: true });
    const seen: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out; saw ${seen.join(',')}`)), 30_000);
      void consumer.run({ eachMessage: async ({ message }) => {
        seen.push(message.value!.toString());
        if (seen.length === 2) { clearTimeout(timer); resolve(); }
      } });
    });
    await consumer.disconnect();
    expect(seen.sort()).toEqual(['{"URL":"https://a"}', '{"URL":"https://c"}']);

    // The query commits its position to its ksqlDB-named consumer group on the cluster.
    const admin2 = kafka.admin();
    await admin2.connect();
    const groupOffsets = await admin2.fetchOffsets({ groupId: '_confluent-ksql-kmode_query_CSAS_SECURE_0', topics: ['clicks'] });
    await admin2.disconnect();
    const committed = groupOffsets[0]!.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
    expect(committed).toBe(3);
  }, 60_000);
});
