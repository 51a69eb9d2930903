/** Statement execution end to end through the in-memory test driver. */
import { describe, expect, it } from 'vitest';
import { TestDriver } from '../../engine/testing/test-driver.js';
import { MemoryTopics } from '../../engine/topics/memory-topics.js';
import { createFunctionRegistry } from '../../engine/functions/registry.js';
import { parseScript } from '../../engine/sql/index.js';
import { KsqlStatementException } from '../../engine/errors/index.js';

async function driverWith(sql: string): Promise<TestDriver> {
  const d = new TestDriver({ topics: new MemoryTopics(), functions: createFunctionRegistry(), config: { 'auto.offset.reset': 'earliest' } });
  for (const s of parseScript(sql)) await d.execute(s);
  return d;
}

const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('engine statements', () => {
  it('creates a stream, runs a CSAS with a filter and a projection', async () => {
    const d = await driverWith(`
      CREATE STREAM pageviews (id BIGINT KEY, user VARCHAR, page VARCHAR) WITH (kafka_topic='pv', value_format='JSON', partitions=1);
      CREATE STREAM home AS SELECT id, UCASE(user) AS u FROM pageviews WHERE page = 'home';`);
    const q = d.running[0]!.query;
    expect(q.id).toBe('CSAS_HOME_0');
    const key = Buffer.alloc(8);
    key.writeBigInt64BE(5n);
    await d.pipe(q.id, { topic: 'pv', partition: 0, offset: 0, key, value: json({ USER: 'ann', PAGE: 'home' }), timestamp: 10, headers: [] });
    await d.pipe(q.id, { topic: 'pv', partition: 0, offset: 1, key, value: json({ USER: 'bob', PAGE: 'away' }), timestamp: 11, headers: [] });
    const out = d.topics.recorded('HOME');
    expect(out).toHaveLength(1);
    expect(out[0]!.value!.toString()).toBe('{"U":"ANN"}');
    expect(out[0]!.key!.readBigInt64BE(0)).toBe(5n);
    expect(out[0]!.timestamp).toBe(10);
  });

  it('rejects a CSAS whose projection misses the key, with ksqlDB\'s message', async () => {
    const d = await driverWith("CREATE STREAM s (id INT KEY, v INT) WITH (kafka_topic='s', value_format='JSON', partitions=1);");
    const [stmt] = parseScript('CREATE STREAM o AS SELECT v FROM s;');
    await expect(d.execute(stmt!)).rejects.toThrow(KsqlStatementException);
    await expect(d.execute(stmt!)).rejects.toThrow(/must include the key column ID in its projection/);
  });

  it('answers SHOW and DESCRIBE with ksqlDB entities', async () => {
    const d = await driverWith("CREATE STREAM s (id INT KEY, v INT) WITH (kafka_topic='s', value_format='JSON', partitions=1);");
    const [show, describe] = parseScript('SHOW STREAMS; DESCRIBE s;');
    const streams = await d.execute(show!);
    expect(streams).toMatchObject({ kind: 'entity', entity: { '@type': 'streams', streams: [{ name: 'S', topic: 's', keyFormat: 'KAFKA', valueFormat: 'JSON', isWindowed: false }] } });
    const desc = await d.execute(describe!);
    expect(desc).toMatchObject({ kind: 'entity', entity: { '@type': 'sourceDescription', sourceDescription: { name: 'S', fields: [{ name: 'ID', type: 'KEY' }, { name: 'V' }] } } });
  });

  it('inserts values and terminates queries before dropping their sinks', async () => {
    const d = await driverWith(`
      CREATE STREAM s (id INT KEY, v INT) WITH (kafka_topic='s', value_format='JSON', partitions=1);
      INSERT INTO s (id, v) VALUES (1, 2);
      CREATE STREAM o AS SELECT * FROM s;
      DROP STREAM o;`);
    expect(d.topics.recorded('s')[0]!.value!.toString()).toBe('{"V":2}');
    expect(d.running).toHaveLength(0);
    expect(d.engine.metaStore.getSource('O')).toBeUndefined();
  });
});

describe('EXPLAIN', () => {
  it('explains a running query and a statement that is not run', async () => {
    const d = await driverWith(`
      CREATE STREAM s (id INT KEY, v INT) WITH (kafka_topic='s', value_format='JSON', partitions=1);
      CREATE STREAM o AS SELECT id, v * 2 AS w FROM s WHERE v > 0;`);
    const [byId, byStatement] = parseScript('EXPLAIN CSAS_O_0; EXPLAIN CREATE STREAM p AS SELECT id, v FROM s;');
    const running = await d.execute(byId!);
    expect(running).toMatchObject({ entity: { '@type': 'queryDescription', queryDescription: { id: 'CSAS_O_0', sources: ['S'], sinks: ['O'] } } });
    expect(JSON.stringify(running)).toContain('streamFilterV1');
    const planned = await d.execute(byStatement!);
    expect(planned).toMatchObject({ entity: { queryDescription: { sinks: ['P'], fields: [{ name: 'ID', type: 'KEY' }, { name: 'V' }] } } });
    expect(d.engine.metaStore.getSource('P')).toBeUndefined();
  });
});
