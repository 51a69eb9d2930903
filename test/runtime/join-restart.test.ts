/**
 * Join state survives a restart: a query runs on the QueryRunner with RocksDB state, stops, and a
 * new engine over the same topics and state directory continues where the first committed. Results
 * that need rows seen before the restart must appear, and nothing is emitted twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../engine/engine.js';
import { RunnerQueryHost } from '../../engine/runtime/embedded-host.js';
import { ProcessingLog } from '../../engine/runtime/processing-log.js';
import { createRocksStateBackend, type RocksStateBackend } from '../../engine/state/index.js';
import { MemoryTopics } from '../../engine/topics/memory-topics.js';
import { createFunctionRegistry } from '../../engine/functions/registry.js';
import { parseScript } from '../../engine/sql/index.js';
import { tempDir } from '../state/helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

interface Running { engine: Engine; host: RunnerQueryHost; state: RocksStateBackend }

async function start(topics: MemoryTopics, stateDir: string, sql: string): Promise<Running> {
  const functions = createFunctionRegistry();
  const processingLog = new ProcessingLog();
  const state = createRocksStateBackend(stateDir);
  const host = new RunnerQueryHost({ topics, functions, processingLog, state, serviceId: 'restart_test_', pollMs: 5 });
  const engine = new Engine({ topics, functions, host, processingLog, config: { 'auto.offset.reset': 'earliest', 'ksql.service.id': 'restart_test_' } });
  for (const s of parseScript(sql)) await engine.execute(s);
  return { engine, host, state };
}

async function stop(r: Running): Promise<void> {
  await r.host.stopAll();
  await r.state.close();
}

function intKey(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

async function produce(topics: MemoryTopics, topic: string, key: number, value: unknown, timestamp: number, partition = 0): Promise<void> {
  await topics.append(topic, partition, [{ key: intKey(key), value: value === null ? null : Buffer.from(JSON.stringify(value)), timestamp, headers: [] }]);
}

async function output(topics: MemoryTopics, topic: string): Promise<string[]> {
  const records = [];
  const partitions = (await topics.describeTopic(topic))?.partitions ?? 1;
  for (let p = 0; p < partitions; p++) records.push(...(await topics.read(topic, p, 0, 10_000, 0)));
  records.sort((a, b) => a.timestamp - b.timestamp);
  return records.map((r) => `${r.key?.readInt32BE(0)}:${r.value?.toString() ?? 'null'}@${r.timestamp}`);
}

async function waitFor(topics: MemoryTopics, topic: string, count: number): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const out = await output(topics, topic);
    if (out.length >= count || Date.now() > deadline) return out;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Lets the runner pass its next batch edge, so that a result that should not appear has had the chance to. */
async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, 150));
}

describe('join restart', () => {
  it('stream-stream join keeps both window stores across a restart', async () => {
    const { dir, cleanup } = await tempDir('sluice-join-restart-');
    cleanups.push(cleanup);
    const topics = new MemoryTopics();
    const sql = `
      CREATE STREAM L (ID INT KEY, A STRING) WITH (kafka_topic='l', value_format='JSON', partitions=1);
      CREATE STREAM R (ID INT KEY, B STRING) WITH (kafka_topic='r', value_format='JSON', partitions=1);
      CREATE STREAM J AS SELECT L.ID, A, B FROM L JOIN R WITHIN 1 MINUTE ON L.ID = R.ID;`;
    let run = await start(topics, dir, sql);
    await produce(topics, 'l', 1, { A: 'a1' }, 1000);
    await produce(topics, 'l', 2, { A: 'a2' }, 2000);
    await produce(topics, 'r', 1, { B: 'b1' }, 3000);
    expect(await waitFor(topics, 'J', 1)).toEqual(['1:{"A":"a1","B":"b1"}@3000']);
    await stop(run);

    await produce(topics, 'r', 2, { B: 'b2' }, 4000); // joins L 2 from before the restart
    await produce(topics, 'r', 1, { B: 'b1x' }, 5000); // joins L 1 again
    await produce(topics, 'l', 3, { A: 'a3' }, 200_000); // outside every window
    run = await start(topics, dir, sql);
    const out = await waitFor(topics, 'J', 3);
    await settle();
    expect(await output(topics, 'J')).toEqual([
      '1:{"A":"a1","B":"b1"}@3000',
      '2:{"A":"a2","B":"b2"}@4000',
      '1:{"A":"a1","B":"b1x"}@5000',
    ]);
    expect(out).toHaveLength(3);
    await stop(run);
  });

  it('table-table join keeps both tables across a restart', async () => {
    const { dir, cleanup } = await tempDir('sluice-join-restart-');
    cleanups.push(cleanup);
    const topics = new MemoryTopics();
    const sql = `
      CREATE TABLE T1 (ID INT PRIMARY KEY, A STRING) WITH (kafka_topic='t1', value_format='JSON', partitions=1);
      CREATE TABLE T2 (ID INT PRIMARY KEY, B STRING) WITH (kafka_topic='t2', value_format='JSON', partitions=1);
      CREATE TABLE J AS SELECT T1.ID, A, B FROM T1 LEFT JOIN T2 ON T1.ID = T2.ID;`;
    let run = await start(topics, dir, sql);
    await produce(topics, 't1', 1, { A: 'a' }, 10);
    expect(await waitFor(topics, 'J', 1)).toHaveLength(1);
    await produce(topics, 't2', 1, { B: 'b' }, 20);
    expect(await waitFor(topics, 'J', 2)).toHaveLength(2);
    await stop(run);

    await produce(topics, 't1', 1, { A: 'a2' }, 30); // needs T2's row from before the restart
    await produce(topics, 't2', 2, { B: 'x' }, 40); // no left row: nothing for a LEFT join
    await produce(topics, 't2', 1, null, 50); // the right row goes: the result is padded again
    run = await start(topics, dir, sql);
    await waitFor(topics, 'J', 4);
    await settle();
    expect(await output(topics, 'J')).toEqual([
      '1:{"A":"a","B":null}@10',
      '1:{"A":"a","B":"b"}@20',
      '1:{"A":"a2","B":"b"}@30',
      '1:{"A":"a2","B":null}@50',
    ]);
    await stop(run);
  });
});

describe('join on the QueryRunner', () => {
  it('joins rows re-keyed by a value column even when they arrive on different partitions', async () => {
    const { dir, cleanup } = await tempDir('sluice-join-rekey-');
    cleanups.push(cleanup);
    const topics = new MemoryTopics();
    const run = await start(topics, dir, `
      CREATE STREAM L (ID INT KEY, X INT, A STRING) WITH (kafka_topic='l', value_format='JSON', partitions=2);
      CREATE STREAM R (ID INT KEY, Y INT, B STRING) WITH (kafka_topic='r', value_format='JSON', partitions=2);
      CREATE STREAM J AS SELECT L.X, A, B FROM L JOIN R WITHIN 1 MINUTE ON L.X = R.Y;`);
    await produce(topics, 'l', 1, { X: 7, A: 'a' }, 1000, 0);
    await produce(topics, 'r', 2, { Y: 7, B: 'b' }, 2000, 1);
    const out = await waitFor(topics, 'J', 1);
    expect(out).toEqual(['7:{"A":"a","B":"b"}@2000']);
    await stop(run);
  });
});
