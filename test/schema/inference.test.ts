/** Schema inference for CREATE STREAM/TABLE from the registry, and sink schema registration. */
import { describe, expect, it } from 'vitest';
import { InMemorySchemaRegistry } from '../../engine/schema/memory-registry.js';
import { TestDriver } from '../../engine/testing/test-driver.js';
import { MemoryTopics } from '../../engine/topics/index.js';
import { createFunctionRegistry } from '../../engine/index.js';
import { parseScript } from '../../engine/sql/index.js';
import { formatSchema } from '../../engine/catalog/schema.js';

async function setup(register: (sr: InMemorySchemaRegistry) => void) {
  const sr = new InMemorySchemaRegistry();
  register(sr);
  const topics = new MemoryTopics();
  await topics.createTopic('t', { partitions: 1, replicas: 1 });
  const driver = new TestDriver({ topics, functions: createFunctionRegistry(), schemaRegistry: sr });
  const run = async (sql: string) => { for (const s of parseScript(sql)) await driver.execute(s); };
  const schema = (name: string) => formatSchema(driver.engine.metaStore.getSource(name)!.schema);
  return { sr, driver, run, schema };
}

const record = { type: 'record', name: 'R', fields: [{ name: 'id', type: 'long' }, { name: 'inner', type: { type: 'record', name: 'I', fields: [{ name: 'x', type: ['null', 'string'] }] } }] };

describe('schema inference', () => {
  it('takes the latest value schema, upper-casing field names, and writes the columns into the statement', async () => {
    const { run, schema, driver } = await setup((sr) => sr.register('t-value', { schemaType: 'AVRO', schema: JSON.stringify(record) }));
    await run("CREATE STREAM S WITH (kafka_topic='t', value_format='AVRO');");
    expect(schema('S')).toBe('`ID` BIGINT, `INNER` STRUCT<`X` STRING>');
    expect(driver.engine.metaStore.getSource('S')!.sqlText).toBe(
      "CREATE STREAM S (ID BIGINT, `INNER` STRUCT<`X` STRING>) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='AVRO');");
  });

  it('keeps field names as written for a schema id, and infers the key only when none is declared', async () => {
    let id = 0;
    const { run, schema } = await setup((sr) => {
      id = sr.register('t-value', { schemaType: 'AVRO', schema: JSON.stringify(record) });
      sr.register('t-key', { schemaType: 'AVRO', schema: '"string"' });
    });
    await run(`CREATE STREAM S WITH (kafka_topic='t', format='AVRO', value_schema_id=${id});`);
    expect(schema('S')).toBe('`ROWKEY` STRING KEY, `id` BIGINT, `inner` STRUCT<`x` STRING>');
    await run("CREATE TABLE T (K INT PRIMARY KEY) WITH (kafka_topic='t', format='AVRO');");
    expect(schema('T')).toBe('`K` INTEGER KEY, `ID` BIGINT, `INNER` STRUCT<`X` STRING>');
  });

  it('gives a Protobuf key one column per field, and ROWVAL for WRAP_SINGLE_VALUE=false', async () => {
    const { run, schema } = await setup((sr) => {
      sr.register('t-key', { schemaType: 'PROTOBUF', schema: 'syntax = "proto3"; message K { string a = 1; int32 b = 2; }' });
      sr.register('t-value', { schemaType: 'PROTOBUF', schema: 'syntax = "proto3"; message V { string c = 1; }' });
      sr.setCompatibility('NONE');
      sr.register('t-value', { schemaType: 'AVRO', schema: JSON.stringify({ type: 'record', name: 'W', fields: [{ name: 'x', type: 'int' }] }) });
    });
    // key from the latest schema (names upper-cased), value from schema id 2 (names as written)
    await run("CREATE STREAM S WITH (kafka_topic='t', format='PROTOBUF', value_schema_id=2);");
    expect(schema('S')).toBe('`A` STRING KEY, `B` INTEGER KEY, `c` STRING');
    await run("CREATE STREAM W WITH (kafka_topic='t', key_format='KAFKA', value_format='AVRO', wrap_single_value=false);");
    expect(schema('W')).toBe('`ROWVAL` STRUCT<`X` INTEGER>');
  });

  it('reports ksqlDB\'s errors', async () => {
    const { run } = await setup(() => {});
    await expect(run("CREATE STREAM S WITH (kafka_topic='t', value_format='AVRO');")).rejects.toThrow(/Schema for message values on topic 't' does not exist in the Schema Registry/);
    await expect(run("CREATE STREAM S WITH (kafka_topic='t', key_format='KAFKA', value_format='AVRO', key_schema_id=1);")).rejects
      .toThrow('KEY_FORMAT should support schema inference when KEY_SCHEMA_ID is provided. Current format is KAFKA.');
    await expect(run("CREATE STREAM S (A INT) WITH (kafka_topic='t', value_format='AVRO', value_schema_id=1);")).rejects
      .toThrow('Table elements and VALUE_SCHEMA_ID cannot both exist for create statement.');
  });

  it('registers the schemas of declared columns (when the subject is new) and of sinks', async () => {
    const { run, sr } = await setup(() => {});
    await run("CREATE STREAM S (K STRING KEY, V INT) WITH (kafka_topic='t', format='AVRO');");
    expect(sr.getLatest('t-key')?.schema).toBe('"string"');
    expect(JSON.parse(sr.getLatest('t-value')!.schema)).toMatchObject({ name: 'KsqlDataSourceSchema', fields: [{ name: 'V' }] });
    await run("CREATE STREAM OUT WITH (value_format='JSON_SR') AS SELECT * FROM S;");
    expect(sr.getLatest('OUT-value')?.schemaType).toBe('JSON');
    expect(sr.getLatest('OUT-key')?.schemaType).toBe('AVRO');
    // Avro key records are named after the source: LEFT_SIDE → io.confluent.ksql.avro_schemas.LeftSideKey
    await run("CREATE STREAM LEFT_SIDE (A INT KEY, B STRING KEY, V INT) WITH (kafka_topic='m', format='AVRO', partitions=1);");
    expect(JSON.parse(sr.getLatest('m-key')!.schema)).toMatchObject({ name: 'LeftSideKey', namespace: 'io.confluent.ksql.avro_schemas' });
  });
});
