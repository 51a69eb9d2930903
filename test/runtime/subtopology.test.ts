/** Plan splitting at repartition boundaries, the repartition serde, and the test driver's sub-topology tasks. */
import { describe, expect, it } from 'vitest';
import { TestDriver } from '../../engine/testing/test-driver.js';
import { MemoryTopics } from '../../engine/topics/memory-topics.js';
import { createFunctionRegistry } from '../../engine/functions/registry.js';
import { parseScript } from '../../engine/sql/index.js';
import { splitPlan, taskIdFor, type RepartitionSinkStep, type RepartitionSourceStep } from '../../engine/runtime/subtopology.js';
import { RepartitionSerde } from '../../engine/runtime/operators/repartition.js';
import type { ExecutionStep } from '../../engine/physical/steps.js';
import type { Rec } from '../../engine/runtime/record.js';
import { prepareTransientQuery } from '../../engine/exec/transient-query.js';

const functions = createFunctionRegistry();

async function driver(sql: string): Promise<TestDriver> {
  const d = new TestDriver({ topics: new MemoryTopics(), functions, config: { 'auto.offset.reset': 'earliest', 'ksql.service.id': 'svc_' } });
  for (const s of parseScript(sql)) await d.execute(s);
  return d;
}

const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const intKey = (n: number) => { const b = Buffer.alloc(4); b.writeInt32BE(n); return b; };

function findStep(root: ExecutionStep, type: string): ExecutionStep | undefined {
  if (root.type === type) return root;
  const s = root as { source?: ExecutionStep; sources?: readonly ExecutionStep[] };
  for (const c of [...(s.source ? [s.source] : []), ...(s.sources ?? [])]) {
    const f = findStep(c, type);
    if (f) return f;
  }
  return undefined;
}

describe('splitPlan', () => {
  it('keeps a plan without repartitions as one sub-topology with its root unchanged, and creates no topic', async () => {
    const d = await driver(`
      CREATE STREAM s (id INT KEY, v INT) WITH (kafka_topic='s', value_format='JSON', partitions=2);
      CREATE TABLE t AS SELECT id, COUNT(*) AS n FROM s GROUP BY id;`);
    const q = d.running[0]!.query;
    const subs = splitPlan(q.plan.root);
    expect(subs).toHaveLength(1);
    expect(subs[0]!.root).toBe(q.plan.root);
    expect(subs[0]!.repartitionTopics).toEqual([]);
    expect((await d.topics.listTopics()).map((t) => t.name).filter((n) => n.endsWith('-repartition'))).toEqual([]);
    expect(taskIdFor(0, 1, 3)).toBe('3');
  });

  it('splits a GROUP BY on a value column into an upstream ending in a repartition sink and a downstream starting with its source', async () => {
    const d = await driver(`
      CREATE STREAM s (id INT KEY, v STRING) WITH (kafka_topic='s', value_format='JSON', partitions=3);
      CREATE TABLE t AS SELECT v, COUNT(*) AS n FROM s GROUP BY v;`);
    const q = d.running[0]!.query;
    const topic = `_confluent-ksql-svc_query_${q.id}-Aggregate-GroupBy-repartition`;
    const [up, down] = splitPlan(q.plan.root);
    expect(up!.root.type).toBe('repartitionSinkV1');
    expect((up!.root as RepartitionSinkStep).source.type).toBe('streamGroupByV1');
    expect(up!.sourceTopics).toEqual(['s']);
    expect(up!.repartitionTopics).toEqual([topic]);
    expect(down!.sourceTopics).toEqual([topic]);
    expect(down!.repartitionTopics).toEqual([]);
    const src = findStep(down!.root as ExecutionStep, 'repartitionSourceV1') as unknown as RepartitionSourceStep;
    expect(src.topic).toBe(topic);
    expect(src.rekeyed.type).toBe('streamGroupByV1');
    expect(taskIdFor(1, 2, 3)).toBe('1_3');
    // the topic exists with the source's partition count and the delete policy
    expect(await d.topics.describeTopic(topic)).toMatchObject({ partitions: 3, configs: { 'cleanup.policy': 'delete' } });
    // terminating the query deletes its internal topics, as ksqlDB's query cleanup does
    for (const s of parseScript(`TERMINATE ${q.id};`)) await d.execute(s);
    expect(await d.topics.describeTopic(topic)).toBeUndefined();
  });

  it('splits each re-keyed join side into its own upstream sub-topology', async () => {
    const d = await driver(`
      CREATE STREAM l (id INT KEY, a INT) WITH (kafka_topic='l', value_format='JSON', partitions=1);
      CREATE STREAM r (id INT KEY, b INT) WITH (kafka_topic='r', value_format='JSON', partitions=1);
      CREATE STREAM j AS SELECT l.a, r.b FROM l JOIN r WITHIN 1 MINUTE ON l.a = r.b;`);
    const subs = splitPlan(d.running[0]!.query.plan.root);
    expect(subs).toHaveLength(3);
    expect(subs[0]!.sourceTopics).toEqual(['l']);
    expect(subs[1]!.sourceTopics).toEqual(['r']);
    expect(subs[2]!.sourceTopics).toEqual(subs.slice(0, 2).flatMap((s) => s.repartitionTopics));
    expect(d.running[0]!.tasks).toHaveLength(3);
  });
});

describe('join repartitions (planner)', () => {
  const rekeys = (root: ExecutionStep): { topic: string; format?: string; unchanged: boolean }[] => {
    const out: { topic: string; format?: string; unchanged: boolean }[] = [];
    const visit = (s: ExecutionStep): void => {
      if (s.type === 'joinRekeyV1') out.push({ topic: s.repartitionTopic!.replace(/.*query_[^-]*-/, ''), ...(s.keyFormat ? { format: s.keyFormat.format } : {}), unchanged: s.keyUnchanged === true });
      const x = s as { source?: ExecutionStep; sources?: readonly ExecutionStep[] };
      for (const c of [...(x.source ? [x.source] : []), ...(x.sources ?? [])]) visit(c);
    };
    visit(root);
    return out;
  };

  it('repartitions the right side into the left key format when key formats differ', async () => {
    const d = await driver(`
      CREATE STREAM s1 (id INT KEY, foo INT) WITH (kafka_topic='s1', key_format='DELIMITED', value_format='JSON', partitions=1);
      CREATE STREAM s2 (id INT KEY, val STRING) WITH (kafka_topic='s2', key_format='KAFKA', value_format='JSON', partitions=1);
      CREATE STREAM o AS SELECT s1.id, val FROM s1 JOIN s2 WITHIN 10 SECONDS ON s1.id = s2.id;`);
    expect(rekeys(d.running[0]!.query.plan.root)).toEqual([{ topic: 'Join-right-repartition', format: 'DELIMITED', unchanged: true }]);
  });

  it('re-keys a stream joined to a table on a value column into the table key format, and repartitions SR-keyed tables', async () => {
    const d = await driver(`
      CREATE TABLE t (id INT PRIMARY KEY, val STRING) WITH (kafka_topic='t', key_format='AVRO', value_format='JSON', partitions=1);
      CREATE STREAM s (id INT KEY, foo INT) WITH (kafka_topic='s', key_format='DELIMITED', value_format='JSON', partitions=1);
      CREATE STREAM o AS SELECT s.foo, val FROM s JOIN t ON s.foo = t.id;`);
    expect(rekeys(d.running[0]!.query.plan.root)).toEqual([
      { topic: 'Join-repartition', format: 'AVRO', unchanged: false },
      { topic: 'RightSourceKeyed-SelectKey-repartition', format: 'AVRO', unchanged: true },
    ]);
  });

  it('names the repartitions of a nested join L_Join', async () => {
    const d = await driver(`
      CREATE STREAM a (id INT KEY, x INT) WITH (kafka_topic='a', value_format='JSON', partitions=1);
      CREATE STREAM b (id INT KEY, y INT) WITH (kafka_topic='b', value_format='JSON', partitions=1);
      CREATE STREAM c (id INT KEY, z INT) WITH (kafka_topic='c', value_format='JSON', partitions=1);
      CREATE STREAM o AS SELECT a.id, y, z FROM a JOIN b WITHIN 1 SECOND ON a.x = b.id JOIN c WITHIN 1 SECOND ON a.id = c.id;`);
    // the outer join is on a.id, which is no longer the key after joining on a.x
    expect(rekeys(d.running[0]!.query.plan.root).map((r) => r.topic)).toEqual(['Join-left-repartition', 'L_Join-left-repartition']);
  });
});

describe('RepartitionSerde', () => {
  it('writes the new key in the source key format and the row (and old row) in the row codec, and reads them back', async () => {
    const d = await driver(`
      CREATE TABLE s (id INT PRIMARY KEY, v STRING, n INT) WITH (kafka_topic='s', value_format='JSON', partitions=1);
      CREATE TABLE t AS SELECT v, SUM(n) AS total FROM s GROUP BY v;`);
    const groupBy = findStep(d.running[0]!.query.plan.root, 'tableGroupByV1')!;
    const serde = new RepartitionSerde(groupBy, 'rp', functions);
    expect(serde.keyFormat.format).toBe('KAFKA');
    const base = { ts: 7, window: null, headers: [], partition: 0, offset: 0 };
    const addition: Rec = { ...base, key: ['x'], row: [1, 'x', 5], oldRow: null };
    const retraction: Rec = { ...base, key: ['y'], row: null, oldRow: [1, 'y', 3] };
    const update: Rec = { ...base, key: ['x'], row: [1, 'x', 6], oldRow: [1, 'x', 5] };
    for (const rec of [addition, retraction, update]) {
      const produced = serde.serialize(rec);
      expect(produced.key!.toString()).toBe(rec.key[0]);
      expect(produced.value).not.toBeNull();
      const back = serde.deserialize({ ...produced, topic: 'rp', partition: 0, offset: 0 });
      expect({ key: [...back.key], row: back.row, oldRow: back.oldRow, ts: back.ts }).toEqual({ key: rec.key, row: rec.row, oldRow: rec.oldRow, ts: 7 });
    }
  });

  it('falls back to JSON keys when the source key format cannot hold the new key', async () => {
    const d = await driver(`
      CREATE STREAM s (a STRING, b INT) WITH (kafka_topic='s', key_format='NONE', value_format='JSON', partitions=1);
      CREATE TABLE t WITH (key_format='JSON') AS SELECT a, b, COUNT(*) AS n FROM s GROUP BY a, b;`);
    const serde = new RepartitionSerde(findStep(d.running[0]!.query.plan.root, 'streamGroupByV1')!, 'rp', functions);
    expect(serde.keyFormat.format).toBe('JSON');
    const produced = serde.serialize({ key: ['k', 2], row: ['k', 2], ts: 1, window: null, headers: [], partition: 0, offset: 0 });
    expect(produced.key!.toString()).toBe('{"KSQL_COL_0":"k","KSQL_COL_1":2}');
    const back = serde.deserialize({ ...produced, topic: 'rp', partition: 0, offset: 0 });
    expect([...back.key]).toEqual(['k', 2]);
    expect(back.oldRow).toBeUndefined();
  });
});

describe('test driver sub-topologies', () => {
  it('processes repartition records before the next input, and carries table retractions through the topic', async () => {
    const d = await driver(`
      CREATE TABLE s (id INT PRIMARY KEY, v STRING, n INT) WITH (kafka_topic='s', value_format='JSON', partitions=1);
      CREATE TABLE t AS SELECT v, SUM(n) AS total FROM s GROUP BY v;`);
    const q = d.running[0]!.query;
    const topic = `_confluent-ksql-svc_query_${q.id}-Aggregate-GroupBy-repartition`;
    const pipe = (offset: number, id: number, value: unknown) =>
      d.pipe(q.id, { topic: 's', partition: 0, offset, key: intKey(id), value: value === null ? null : json(value), timestamp: offset, headers: [] });
    await pipe(0, 1, { V: 'a', N: 1 });
    expect(d.topics.recorded('T').map((r) => r.value?.toString())).toEqual(['{"TOTAL":1}']);
    await pipe(1, 2, { V: 'a', N: 2 });
    await pipe(2, 1, { V: 'b', N: 4 }); // moves id 1 from group a to b: a retraction and an addition
    await pipe(3, 2, null); // deletes id 2: a retraction only
    const out = d.topics.recorded('T').map((r) => `${r.key?.toString()}=${r.value?.toString() ?? null}`);
    expect(out).toEqual(['a={"TOTAL":1}', 'a={"TOTAL":3}', 'a={"TOTAL":2}', 'b={"TOTAL":4}', 'a={"TOTAL":0}']);
    // the repartition topic holds one record per re-keyed change: 1, 1, retraction + addition, retraction
    expect(d.topics.recorded(topic).map((r) => r.key?.toString())).toEqual(['a', 'a', 'a', 'b', 'a']);
  });
});

describe('transient push queries that re-key', () => {
  // before the split each source partition's task counted its own records (4, 3, 3 here)
  it('aggregate each group in one downstream task across source partitions', async () => {
    const d = await driver(`CREATE STREAM s (id INT KEY, color STRING) WITH (kafka_topic='s', value_format='JSON', partitions=4);`);
    const expected = new Map<string, number>();
    for (let i = 0; i < 40; i++) {
      const color = ['red', 'green', 'blue'][i % 3]!;
      await d.topics.append('s', i % 4, [{ key: intKey(i), value: json({ COLOR: color }), timestamp: i, headers: [] }]);
      expected.set(color, (expected.get(color) ?? 0) + 1);
    }
    const [parsed] = parseScript('SELECT color, COUNT(*) AS n FROM s GROUP BY color EMIT CHANGES;');
    const q = prepareTransientQuery(d.engine, parsed!, { overrides: { 'auto.offset.reset': 'earliest', 'cache.max.bytes.buffering': 0 }, pollMs: 5 });
    const latest = new Map<string, number>();
    const run = q.start({ row: (values) => { latest.set(values[0] as string, values[1] as number); } });
    await run.ready;
    const deadline = Date.now() + 5000;
    while ([...expected].some(([k, n]) => latest.get(k) !== n) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    run.close();
    await run.done;
    expect(Object.fromEntries(latest)).toEqual(Object.fromEntries(expected));
  });
});
