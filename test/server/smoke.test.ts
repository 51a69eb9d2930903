/**
 * The real server end to end on loopback: REST DDL, a persistent query running on the embedded log,
 * and kafkajs reading the query's output through the embedded Kafka listener.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { startServer, type RunningServer } from '../../server/app.js';

let server: RunningServer;
let dir: string;

async function ksql(sql: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${server.restUrl}/ksql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql: sql }) });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-smoke-'));
  server = await startServer({ listeners: 'http://127.0.0.1:0', kafkaListener: '127.0.0.1:0', dataDir: dir, config: { 'auto.offset.reset': 'earliest' } });
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('server smoke test', () => {
  it('answers /info and /healthcheck', async () => {
    const info = await (await fetch(`${server.restUrl}/info`)).json();
    expect(info).toMatchObject({ KsqlServerInfo: { serverStatus: 'RUNNING' } });
    const health = await (await fetch(`${server.restUrl}/healthcheck`)).json();
    expect(health).toMatchObject({ isHealthy: true, serverState: 'READY' });
  });

  it('rejects SELECT on /ksql with 40002 and bad SQL with a statement_error', async () => {
    const sel = await ksql('SELECT * FROM x EMIT CHANGES;');
    expect(sel.status).toBe(400);
    expect(sel.body).toMatchObject({ error_code: 40002 });
    const bad = await ksql('CREATE STREM x;');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ '@type': 'statement_error', error_code: 40001 });
  });

  it('runs a persistent query whose output kafkajs consumes from the listener', async () => {
    const created = await ksql(`
      CREATE STREAM clicks (id INT KEY, url STRING) WITH (kafka_topic='clicks', value_format='JSON', partitions=1);
      CREATE STREAM secure AS SELECT id, url FROM clicks WHERE url LIKE 'https:%';
      INSERT INTO clicks (id, url) VALUES (1, 'https://a');
      INSERT INTO clicks (id, url) VALUES (2, 'http://b');
      INSERT INTO clicks (id, url) VALUES (3, 'https://c');`);
    expect(created.status).toBe(200);
    const kafka = new kafkajs.Kafka({ brokers: [server.kafkaAddress!], logLevel: kafkajs.logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: 'smoke' });
    await consumer.connect();
    await consumer.subscribe({ topic: 'SECURE', fromBeginning: true });
    const seen: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out; saw ${seen.join(',')}`)), 20_000);
      void consumer.run({ eachMessage: async ({ message }) => {
        seen.push(message.value!.toString());
        if (seen.length === 2) { clearTimeout(timer); resolve(); }
      } });
    });
    await consumer.disconnect();
    expect(seen).toEqual(['{"URL":"https://a"}', '{"URL":"https://c"}']);
  });

  it('runs a stream-table join with its state in RocksDB', async () => {
    const created = await ksql(`
      CREATE TABLE users (id INT PRIMARY KEY, name STRING) WITH (kafka_topic='users', value_format='JSON', partitions=1);
      CREATE STREAM visits (id INT KEY, page STRING) WITH (kafka_topic='visits', value_format='JSON', partitions=1);
      CREATE STREAM named_visits AS SELECT v.id, u.name, v.page FROM visits v JOIN users u ON v.id = u.id;
      INSERT INTO visits (id, page) VALUES (1, 'before');`);
    expect(created.status).toBe(200);
    // The table row must be in the join's store before the next visit arrives.
    await ksql("INSERT INTO users (id, name) VALUES (1, 'ann');");
    await new Promise((r) => setTimeout(r, 300));
    await ksql("INSERT INTO visits (id, page) VALUES (1, 'home');");
    const kafka = new kafkajs.Kafka({ brokers: [server.kafkaAddress!], logLevel: kafkajs.logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: 'smoke-join' });
    await consumer.connect();
    await consumer.subscribe({ topic: 'NAMED_VISITS', fromBeginning: true });
    const seen: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out; saw ${seen.join(',')}`)), 20_000);
      void consumer.run({ eachMessage: async ({ message }) => {
        seen.push(message.value!.toString());
        if (seen.length === 1) { clearTimeout(timer); resolve(); }
      } });
    });
    await consumer.disconnect();
    expect(seen).toEqual(['{"NAME":"ann","PAGE":"home"}']);
  });
});
