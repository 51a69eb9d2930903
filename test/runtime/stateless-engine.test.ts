/** Stateless engine features end to end: the processing-log stream, UDF modules from ksql.extension.dir, PARTITION BY, EXPLODE. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestDriver } from '../../engine/testing/test-driver.js';
import { MemoryTopics } from '../../engine/topics/memory-topics.js';
import { createFunctionRegistry } from '../../engine/functions/registry.js';
import { createFunctionRegistryWithExtensions, loadExtensionSet } from '../../engine/functions/extension-set.js';
import { parseScript } from '../../engine/sql/index.js';
import type { FunctionRegistry } from '../../engine/functions/types.js';

async function driver(sql: string, options: { config?: Record<string, unknown>; functions?: FunctionRegistry } = {}): Promise<TestDriver> {
  const d = new TestDriver({
    topics: new MemoryTopics(), functions: options.functions ?? createFunctionRegistry(),
    config: { 'auto.offset.reset': 'earliest', ...(options.config ?? {}) },
  });
  for (const s of parseScript(sql)) await d.execute(s);
  return d;
}

const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const rec = (topic: string, offset: number, value: unknown, key: Buffer | null = null) =>
  ({ topic, partition: 0, offset, key, value: json(value), timestamp: 100 + offset, headers: [] });
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('processing log stream', () => {
  it('registers KSQL_PROCESSING_LOG and writes failing expressions to it, and the stream can be queried', async () => {
    const d = await driver(`
      CREATE STREAM s (id INT KEY, v STRING) WITH (kafka_topic='s', value_format='JSON', partitions=1);
      CREATE STREAM o AS SELECT id, CAST(v AS INT) AS n FROM s;`,
    { config: { 'ksql.logging.processing.stream.auto.create': true, 'ksql.service.id': 'svc_' } });
    const log = d.engine.metaStore.getSource('KSQL_PROCESSING_LOG');
    expect(log?.topic).toBe('svc_ksql_processing_log');
    const q = d.running[0]!.query.id;
    await d.pipe(q, rec('s', 0, { V: '12' }));
    await d.pipe(q, rec('s', 1, { V: 'twelve' }));
    await tick();
    // the query keeps running: the failing CAST gave NULL
    expect(d.topics.recorded('O').map((r) => r.value!.toString())).toEqual(['{"N":12}', '{"N":null}']);
    const entries = d.topics.recorded('svc_ksql_processing_log');
    expect(entries).toHaveLength(1);
    const entry = JSON.parse(entries[0]!.value!.toString());
    expect(entry).toMatchObject({ LOGGER: `processing.${q}`, LEVEL: 'ERROR', MESSAGE: { TYPE: 1 } });
    expect(entry.MESSAGE.RECORDPROCESSINGERROR.ERRORMESSAGE).toContain('CAST(V AS INTEGER)');

    for (const s of parseScript('CREATE STREAM errs AS SELECT LOGGER, MESSAGE->TYPE AS T, MESSAGE->RECORDPROCESSINGERROR->ERRORMESSAGE AS M FROM KSQL_PROCESSING_LOG;')) {
      await d.execute(s);
    }
    const errs = d.running.find((r) => r.query.sinkName === 'ERRS')!.query.id;
    await d.pipe(errs, entries[0]!);
    const out = JSON.parse(d.topics.recorded('ERRS')[0]!.value!.toString());
    expect(out).toMatchObject({ LOGGER: `processing.${q}`, T: 1 });
  });
});

describe('user-defined functions from ksql.extension.dir', () => {
  it('loads scalar and table functions, shows them in SHOW FUNCTIONS and runs them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-udf-'));
    writeFileSync(join(dir, 'multiply.mjs'), `export default [
      { name: 'multiply', description: 'Multiplies.', overloads: [{ params: ['a: INTEGER', 'b: INTEGER'], returns: 'INTEGER', impl: (a, b) => a * b }] },
      { name: 'repeat_n', kind: 'table', overloads: [{ params: ['s: STRING', 'n: INTEGER'], returns: 'STRING', impl: (s, n) => Array.from({ length: n }, () => s) }] },
    ];`);
    const functions = await createFunctionRegistryWithExtensions({ 'ksql.extension.dir': dir });
    const d = await driver(`
      CREATE STREAM s (id INT KEY, v STRING, n INT) WITH (kafka_topic='s', value_format='JSON', partitions=1);
      CREATE STREAM o AS SELECT id, MULTIPLY(n, 10) AS m, REPEAT_N(v, n) AS r FROM s;`, { functions });
    const [show] = parseScript('SHOW FUNCTIONS;');
    const shown = JSON.stringify(await d.execute(show!));
    expect(shown).toContain('MULTIPLY');
    expect(shown).toContain('REPEAT_N');
    await d.pipe(d.running[0]!.query.id, rec('s', 0, { V: 'x', N: 2 }));
    expect(d.topics.recorded('O').map((r) => r.value!.toString())).toEqual(['{"M":20,"R":"x"}', '{"M":20,"R":"x"}']);
  });

  it('names the module that fails to load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-udf-bad-'));
    writeFileSync(join(dir, 'broken.mjs'), 'export default [{ name: "oops", overloads: [{ params: ["x: NOT_A_TYPE<"], returns: "INTEGER", impl: () => 1 }] }];');
    await expect(loadExtensionSet(dir)).rejects.toThrow(/broken\.mjs/);
  });
});

describe('PARTITION BY and table functions', () => {
  it('re-keys by an expression and explodes arrays', async () => {
    const d = await driver(`
      CREATE STREAM s (id INT KEY, name STRING, tags ARRAY<STRING>) WITH (kafka_topic='s', value_format='JSON', partitions=1);
      CREATE STREAM o AS SELECT UCASE(name) AS k, id, EXPLODE(tags) AS tag FROM s PARTITION BY UCASE(name);`);
    expect(d.engine.metaStore.getSource('O')!.schema.columns.map((c) => `${c.name}:${c.namespace}`)).toEqual(['K:KEY', 'ID:VALUE', 'TAG:VALUE']);
    const key = Buffer.alloc(4);
    key.writeInt32BE(7);
    await d.pipe(d.running[0]!.query.id, rec('s', 0, { NAME: 'ann', TAGS: ['a', 'b'] }, key));
    const out = d.topics.recorded('O');
    expect(out.map((r) => [r.key!.toString(), r.value!.toString()])).toEqual([['ANN', '{"ID":7,"TAG":"a"}'], ['ANN', '{"ID":7,"TAG":"b"}']]);
  });
});

describe('ASSERT TOPIC and ALTER', () => {
  it('asserts topics (417-coded failure) and adds columns to declared sources', async () => {
    const d = await driver("CREATE STREAM s (id INT KEY, v INT) WITH (kafka_topic='s', value_format='JSON', partitions=2);");
    const run = async (sql: string) => d.execute(parseScript(sql)[0]!);
    expect(await run("ASSERT TOPIC s WITH (PARTITIONS=2) TIMEOUT 0 SECONDS;")).toMatchObject({ kind: 'entity', entity: { '@type': 'assert_topic', topicName: 's', exists: true } });
    expect(await run('ASSERT NOT EXISTS TOPIC nope TIMEOUT 0 SECONDS;')).toMatchObject({ entity: { exists: false } });
    const failure = await run('ASSERT TOPIC nope TIMEOUT 0 SECONDS;').catch((e: Error) => e);
    expect((failure as Error).message).toContain('Topic nope does not exist');
    expect(((failure as Error).cause as { errorCode?: number }).errorCode).toBe(41700);
    await expect(run("ASSERT TOPIC s WITH (PARTITIONS=3) TIMEOUT 0 SECONDS;")).rejects.toThrow(/expected 3 got 2/);

    await run('ALTER STREAM s ADD COLUMN w STRING, ADD COLUMN x BIGINT;');
    expect(d.engine.metaStore.getSource('S')!.schema.columns.map((c) => c.name)).toEqual(['ID', 'V', 'W', 'X']);
    await expect(run('ALTER STREAM s ADD COLUMN v INT;')).rejects.toThrow(/A column with the same name already exists/);
    await expect(run('ALTER TABLE s ADD COLUMN y INT;')).rejects.toThrow(/Incompatible data source type/);
    await run('CREATE STREAM o AS SELECT * FROM s;');
    await expect(run('ALTER STREAM o ADD COLUMN z INT;')).rejects.toThrow(/not supported for CREATE \.\.\. AS statements/);
  });
});
