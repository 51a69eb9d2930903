/**
 * An outside client against Sluice's schema registry: @kafkajs/confluent-schema-registry registers
 * an Avro schema and encodes records (Confluent wire format); kafkajs produces them to the embedded
 * Kafka listener; a Sluice query infers its columns from the registry, reads them, and writes an
 * Avro sink that the same client decodes with the schema Sluice registered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import csr from '@kafkajs/confluent-schema-registry';
import { startServer, type RunningServer } from '../../server/app.js';

const { SchemaRegistry, SchemaType } = csr as unknown as typeof import('@kafkajs/confluent-schema-registry');

let server: RunningServer;
let dir: string;

async function ksql(sql: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${server.restUrl}/ksql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql: sql }) });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-sr-'));
  server = await startServer({ listeners: 'http://127.0.0.1:0', kafkaListener: '127.0.0.1:0', dataDir: dir, config: { 'auto.offset.reset': 'earliest' } });
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const ORDER = {
  type: 'record', name: 'Order', namespace: 'com.example',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'item', type: 'string' },
    { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 6, scale: 2 } },
    { name: 'tags', type: { type: 'array', items: 'string' } },
    { name: 'note', type: ['null', 'string'], default: null },
  ],
};

describe('@kafkajs/confluent-schema-registry against the embedded registry', () => {
  it('serves the registry API', async () => {
    expect(server.schemaRegistryUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const types = await (await fetch(`${server.schemaRegistryUrl}/schemas/types`)).json();
    expect(types).toEqual(['JSON', 'PROTOBUF', 'AVRO']);
  });

  it('produces Avro that a query reads, and decodes what the query wrote', async () => {
    const registry = new SchemaRegistry({ host: server.schemaRegistryUrl! });
    const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(ORDER) }, { subject: 'orders-value' });
    expect(id).toBeGreaterThan(0);
    expect(await registry.getLatestSchemaId('orders-value')).toBe(id);

    const kafka = new kafkajs.Kafka({ brokers: [server.kafkaAddress!], logLevel: kafkajs.logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 1 }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    // price is a decimal: two's complement unscaled bytes (12.50 → 1250, 3.99 → 399)
    const orders = [
      { id: 1, item: 'apple', price: Buffer.from([0x04, 0xe2]), tags: ['fruit'], note: null },
      { id: 2, item: 'pear', price: Buffer.from([0x01, 0x8f]), tags: [], note: 'ripe' },
    ];
    await producer.send({ topic: 'orders', messages: await Promise.all(orders.map(async (o) => ({ value: await registry.encode(id, o) }))) });
    await producer.disconnect();

    const created = await ksql(`
      CREATE STREAM orders WITH (kafka_topic='orders', value_format='AVRO');
      CREATE STREAM priced WITH (value_format='AVRO') AS SELECT ID, ITEM, PRICE * 2 AS DOUBLE_PRICE, TAGS, NOTE FROM orders;`);
    expect(created.status, JSON.stringify(created.body)).toBe(200);

    const consumer = kafka.consumer({ groupId: 'sr-test' });
    await consumer.connect();
    await consumer.subscribe({ topic: 'PRICED', fromBeginning: true });
    const seen: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out; saw ${JSON.stringify(seen)}`)), 20_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          seen.push(await registry.decode(message.value!));
          if (seen.length === 2) { clearTimeout(timer); resolve(); }
        },
      });
    });
    await consumer.disconnect();
    const plain = seen.map((v) => JSON.parse(JSON.stringify(v, (_k, x) => (x?.type === 'Buffer' ? Buffer.from(x.data).toString('hex') : x))));
    // DOUBLE_PRICE is DECIMAL(7, 2): 25.00 → 2500 = 0x09c4, 7.98 → 798 = 0x031e
    expect(plain).toEqual([
      { ID: 1, ITEM: 'apple', DOUBLE_PRICE: '09c4', TAGS: ['fruit'], NOTE: null },
      { ID: 2, ITEM: 'pear', DOUBLE_PRICE: '031e', TAGS: [], NOTE: 'ripe' },
    ]);
    const subjects = await (await fetch(`${server.schemaRegistryUrl}/subjects`)).json();
    expect(subjects).toEqual(expect.arrayContaining(['orders-value', 'PRICED-value']));
  });

  it('round-trips Protobuf and JSON schema records through queries', async () => {
    // ksqlDB's JSON schemas carry Connect annotations (`connect.index`, `connect.type`) that Ajv's
    // strict mode rejects as unknown keywords.
    const registry = new SchemaRegistry({ host: server.schemaRegistryUrl! }, { [SchemaType.JSON]: { strict: false } });
    const proto = `syntax = "proto3";
package com.example;
message Reading {
  string sensor = 1;
  double celsius = 2;
  repeated int32 samples = 3;
}`;
    const { id: protoId } = await registry.register({ type: SchemaType.PROTOBUF, schema: proto }, { subject: 'readings-value' });
    const jsonSchema = { type: 'object', properties: { user: { type: 'string' }, score: { type: 'integer' } } };
    const { id: jsonId } = await registry.register({ type: SchemaType.JSON, schema: JSON.stringify(jsonSchema) }, { subject: 'scores-value' });

    const kafka = new kafkajs.Kafka({ brokers: [server.kafkaAddress!], logLevel: kafkajs.logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'readings', numPartitions: 1 }, { topic: 'scores', numPartitions: 1 }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'readings', messages: [{ value: await registry.encode(protoId, { sensor: 's1', celsius: 21.5, samples: [1, 2] }) }] });
    await producer.send({ topic: 'scores', messages: [{ value: await registry.encode(jsonId, { user: 'ann', score: 7 }) }] });
    await producer.disconnect();

    const created = await ksql(`
      CREATE STREAM readings WITH (kafka_topic='readings', value_format='PROTOBUF');
      CREATE STREAM fahrenheit AS SELECT SENSOR, CELSIUS * 9 / 5 + 32 AS F, SAMPLES FROM readings;
      CREATE STREAM scores WITH (kafka_topic='scores', value_format='JSON_SR');
      CREATE STREAM doubled AS SELECT USER, SCORE * 2 AS SCORE2 FROM scores;`);
    expect(created.status, JSON.stringify(created.body)).toBe(200);

    const readOne = async (topic: string): Promise<unknown> => {
      const consumer = kafka.consumer({ groupId: `sr-${topic}` });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const value = await new Promise<unknown>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out reading ${topic}: ${JSON.stringify((server.engine.processingLog as unknown as { entries: unknown[] }).entries)}`)), 20_000);
        void consumer.run({ eachMessage: async ({ message }) => { clearTimeout(timer); try { resolve(await registry.decode(message.value!)); } catch (e) { reject(new Error(`${(e as Error).message}: ${message.value!.toString("hex")}`)); } } });
      });
      await consumer.disconnect();
      return value;
    };
    expect(JSON.parse(JSON.stringify(await readOne('FAHRENHEIT')))).toEqual({ SENSOR: 's1', F: 70.7, SAMPLES: [1, 2] });
    expect(await readOne('DOUBLED')).toEqual({ USER: 'ann', SCORE2: 14 });
  });
});
