/** The sandboxed engine (ksqlDB's createSandbox): the real executors run, nothing reaches the real engine. */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../engine/engine.js';
import { MemoryTopics } from '../../engine/topics/memory-topics.js';
import { createFunctionRegistry } from '../../engine/functions/registry.js';
import { parseScript } from '../../engine/sql/index.js';
import { InMemorySchemaRegistry } from '../../engine/schema/memory-registry.js';
import { SandboxSchemaRegistry } from '../../engine/schema/sandbox-registry.js';
import type { PersistentQuery, QueryHost } from '../../engine/exec/query.js';

function setup() {
  const calls: string[] = [];
  const host: QueryHost = {
    start: async (q: PersistentQuery) => { calls.push(`start ${q.id}`); },
    stop: async (q: PersistentQuery) => { calls.push(`stop ${q.id}`); },
  };
  const topics = new MemoryTopics();
  const schemaRegistry = new InMemorySchemaRegistry();
  const engine = new Engine({ topics, functions: createFunctionRegistry(), host, schemaRegistry, config: { 'ksql.logging.processing.stream.auto.create': false } });
  const run = async (e: Engine, sql: string) => { for (const s of parseScript(sql)) await e.execute(s); };
  return { engine, topics, schemaRegistry, calls, run };
}

const SOURCE = "CREATE STREAM S (ID INT KEY, V STRING) WITH (kafka_topic='s', value_format='JSON', partitions=2);";

describe('engine sandbox', () => {
  it('runs creates, CSAS and INSERT VALUES against overlays and leaves the real engine untouched', async () => {
    const { engine, topics, schemaRegistry, calls, run } = setup();
    const sb = engine.sandbox();
    await run(sb, `${SOURCE}
      CREATE STREAM A WITH (value_format='AVRO') AS SELECT ID, V FROM S;
      INSERT INTO S (ID, V) VALUES (1, 'x');`);
    expect(sb.metaStore.getSource('A')?.topic).toBe('A');
    expect(await sb.topics.describeTopic('A')).toMatchObject({ partitions: 2 });
    expect(sb.queries.has('CSAS_A_0')).toBe(true);
    expect(sb.schemaRegistry.getLatest('A-value')?.schemaType).toBe('AVRO');

    expect(engine.metaStore.allSources()).toEqual([]);
    expect(engine.queries.size).toBe(0);
    expect(engine.queryNumber).toBe(0);
    expect(await topics.listTopics()).toEqual([]);
    expect(schemaRegistry.subjects()).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('fails a duplicate create in the sandbox the way the real run would', async () => {
    const { engine, run } = setup();
    await expect(run(engine.sandbox(), `${SOURCE} ${SOURCE}`)).rejects.toThrow(/A stream with the same name already exists/);
    expect(engine.metaStore.getSource('S')).toBeUndefined();
  });

  it('sees real state, and drops, deletes and terminates only in the overlay', async () => {
    const { engine, topics, calls, run } = setup();
    await run(engine, `${SOURCE} CREATE STREAM A AS SELECT * FROM S;`);
    calls.length = 0;
    const sb = engine.sandbox();
    await run(sb, `
      ASSERT TOPIC s WITH (PARTITIONS=2);
      DROP STREAM A DELETE TOPIC;
      ASSERT NOT EXISTS TOPIC A;
      CREATE STREAM B AS SELECT * FROM S;
      TERMINATE CSAS_B_1;`);
    expect(sb.metaStore.getSource('A')).toBeUndefined();
    expect(await sb.topics.describeTopic('A')).toBeUndefined();
    expect(sb.queries.size).toBe(0);
    expect(sb.metaStore.queriesReading('S')).toEqual([]);

    expect(engine.metaStore.getSource('A')).toBeDefined();
    expect(engine.metaStore.getSource('B')).toBeUndefined();
    expect(await topics.describeTopic('A')).toBeDefined();
    expect([...engine.queries.keys()]).toEqual(['CSAS_A_0']);
    expect(engine.metaStore.queriesReading('S')).toEqual(['CSAS_A_0']);
    expect(engine.queryNumber).toBe(1);
    expect(calls).toEqual([]);
  });

  it('checks a registration against the real registry without performing it', async () => {
    const { engine, schemaRegistry, run } = setup();
    await run(engine, "CREATE STREAM R (ID INT KEY, V STRING) WITH (kafka_topic='r', value_format='AVRO', partitions=1);");
    const before = schemaRegistry.versions('r-value');
    // V turning from STRING to INT is not BACKWARD compatible with the registered value schema
    const incompatible = "CREATE STREAM R2 WITH (kafka_topic='r', value_format='AVRO') AS SELECT ID, 1 AS V FROM R;";
    await expect(run(engine.sandbox(), incompatible)).rejects.toThrow(/Could not register schema.*incompatible/);
    await expect(run(engine, incompatible)).rejects.toThrow(/Could not register schema.*incompatible/);
    await run(engine.sandbox(), "CREATE TABLE T (ID INT PRIMARY KEY, W STRING) WITH (kafka_topic='t', value_format='AVRO', partitions=1);");
    expect(schemaRegistry.versions('r-value')).toEqual(before);
    expect(schemaRegistry.subjects()).toEqual(['r-value']);
  });

  it('answers ASSERT SCHEMA from its overlay', async () => {
    const { engine, schemaRegistry, run } = setup();
    await run(engine.sandbox(), `
      CREATE STREAM V (ID INT KEY, W STRING) WITH (kafka_topic='v', value_format='AVRO', partitions=1);
      ASSERT SCHEMA SUBJECT 'v-value' TIMEOUT 0 SECONDS;`);
    expect(schemaRegistry.subjects()).toEqual([]);
    await expect(run(engine.sandbox(), "ASSERT SCHEMA SUBJECT 'v-value' TIMEOUT 0 SECONDS;")).rejects.toThrow(/does not exist/);
  });

  it('hides a deleted subject without deleting it', async () => {
    const real = new InMemorySchemaRegistry();
    const id = real.register('x-value', { schemaType: 'AVRO', schema: '"string"' });
    const sb = new SandboxSchemaRegistry(real);
    expect(await sb.fetchSubjectsById(id)).toEqual(['x-value']);
    await sb.deleteSubjectAsync('x-value');
    expect(await sb.fetchLatest('x-value')).toBeUndefined();
    expect(await sb.fetchSubjectsById(id)).toEqual([]);
    await expect(sb.deleteSubjectAsync('x-value')).rejects.toThrow(/not found/);
    expect(real.getLatest('x-value')?.id).toBe(id);
  });
});
