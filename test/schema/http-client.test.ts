/**
 * The client of an external registry (`ksql.schema.registry.url`), against Sluice's own registry
 * API on loopback: async calls fill the cache the synchronous serde lookups read, and an engine
 * configured with it infers columns and registers sink schemas over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { HttpSchemaRegistryClient } from '../../engine/schema/http-client.js';
import { InMemorySchemaRegistry } from '../../engine/schema/memory-registry.js';
import { serveSchemaRegistry } from '../../server/schema-registry/index.js';
import { TestDriver } from '../../engine/testing/test-driver.js';
import { MemoryTopics } from '../../engine/topics/index.js';
import { createFunctionRegistry } from '../../engine/index.js';
import { parseScript } from '../../engine/sql/index.js';
import { createSerde } from '../../engine/serde/index.js';
import { SqlTypes as T } from '../../engine/types/sql-type.js';

let app: FastifyInstance;
let url: string;
const backing = new InMemorySchemaRegistry();

beforeAll(async () => {
  ({ app, url } = await serveSchemaRegistry(backing, 'http://127.0.0.1:0'));
});
afterAll(async () => { await app.close(); });

describe('HttpSchemaRegistryClient', () => {
  it('registers, fetches and serves lookups synchronously (a registry in another process)', async () => {
    // getById blocks on a child process, so the registry must not share this event loop
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'sr-server.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim()));
      child.once('exit', (code) => reject(new Error(`registry exited with ${code}`)));
    });
    try {
      await clientChecks(url);
    } finally {
      child.stdin!.end();
    }
  });

  async function clientChecks(url: string): Promise<void> {
    const client = new HttpSchemaRegistryClient({ url });
    const def = { schemaType: 'AVRO' as const, schema: JSON.stringify({ type: 'record', name: 'R', fields: [{ name: 'x', type: 'int' }] }) };
    const id = await client.registerAsync('h-value', def);
    expect(await client.fetchLatest('h-value')).toMatchObject({ id, version: 1 });
    expect(client.register('h-value', def)).toBe(id);
    expect(client.getLatest('h-value')).toMatchObject({ id, version: 1 });
    const other = new HttpSchemaRegistryClient({ url });
    expect(other.getById(id)?.schema).toBe(def.schema); // not cached: fetched synchronously
    expect(other.getById(9999)).toBeUndefined();
    expect(await other.fetchById(id)).toMatchObject({ id, schemaType: 'AVRO' });
    expect(await other.fetchLatest('missing')).toBeUndefined();
    await expect(other.registerAsync('h-value', { schemaType: 'AVRO', schema: '{"type":"nope"}' })).rejects.toThrow(/Invalid schema/);
  }

  it('backs an engine: inference from the latest schema and a registered sink schema', async () => {
    const schemaRegistry = new HttpSchemaRegistryClient({ url });
    const inId = backing.register('in-value', { schemaType: 'AVRO', schema: JSON.stringify({ type: 'record', name: 'In', fields: [{ name: 'n', type: 'long' }] }) });
    const topics = new MemoryTopics();
    const driver = new TestDriver({ topics, functions: createFunctionRegistry(), schemaRegistry, config: { 'auto.offset.reset': 'earliest' } });
    await topics.createTopic('in', { partitions: 1, replicas: 1 });
    for (const s of parseScript(`CREATE STREAM S WITH (kafka_topic='in', value_format='AVRO');
      CREATE STREAM T AS SELECT N + 1 AS M FROM S;`)) await driver.execute(s);
    expect(driver.engine.metaStore.getSource('S')?.schema.columns.map((c) => c.name)).toContain('N');
    expect(backing.getLatest('T-value')).toBeDefined();
    const writer = createSerde([{ name: 'n', type: T.BIGINT }], { format: 'AVRO', wrapSingle: true, properties: { schemaId: String(inId) } }, 'value', { topic: 'in', schemaRegistry: backing });
    const q = driver.running[0]!;
    await driver.pipe(q.query.id, { topic: 'in', partition: 0, offset: 0, key: null, value: writer.serialize([41]), timestamp: 0, headers: [] });
    const out = driver.topics.recorded('T');
    const reader = createSerde([{ name: 'M', type: T.BIGINT }], { format: 'AVRO', wrapSingle: true }, 'value', { topic: 'T', schemaRegistry: backing });
    expect(reader.deserialize(out[0]!.value)).toEqual([42]);
  });
});
