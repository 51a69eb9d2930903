/**
 * Several Sluice instances share a query's tasks through its consumer group (Kafka mode): two
 * instances — each its own engine, RunnerQueryHost, Kafka client and RocksDB directory — run the
 * same statements against one Kafka-protocol cluster (Sluice's own listener; librdkafka's mock
 * cluster when kcat is installed). Every timeout is bounded.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../engine/engine.js';
import { RunnerQueryHost } from '../../engine/runtime/embedded-host.js';
import { ProcessingLog } from '../../engine/runtime/processing-log.js';
import { createFunctionRegistry } from '../../engine/functions/registry.js';
import { createRocksStateBackend } from '../../engine/state/backend.js';
import { parseScript } from '../../engine/sql/index.js';
import { KafkaTopics, MemoryTopics } from '../../engine/topics/index.js';
import { groupAssignment, assignTasks } from '../../engine/runtime/group-assignment.js';
import { KafkaListener } from '../../server/kafka/index.js';
import { hasKcat, startMockCluster } from './mock-cluster.js';
import { tempDir } from '../state/helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

async function cluster(name: string): Promise<string> {
  if (name === 'mock') {
    const m = await startMockCluster(1);
    cleanups.push(() => m.close());
    return m.bootstrap;
  }
  const log = new MemoryTopics({ topicDefaults: { 'retention.ms': '-1' } });
  const l = await KafkaListener.start({ topics: log, host: '127.0.0.1', port: 0, groupInitialRebalanceDelayMs: 100 });
  cleanups.push(async () => { await l.close(); await log.close(); });
  return l.bootstrap;
}

interface Instance {
  readonly topics: KafkaTopics;
  readonly host: RunnerQueryHost;
  readonly engine: Engine;
  stop(): Promise<void>;
}

const SERVICE = 'group_test_';

async function instance(bootstrap: string, sql: string): Promise<Instance> {
  const topics = await KafkaTopics.connect({ brokers: bootstrap, clientId: 'sluice-group-test' });
  const { dir, cleanup } = await tempDir('sluice-group-');
  const functions = createFunctionRegistry();
  const processingLog = new ProcessingLog();
  let engine: Engine | undefined;
  // as the server wires Kafka mode: local RocksDB, changelogs appended directly by the runner's tasks
  const state = createRocksStateBackend(dir, { syncCommits: false });
  const host = new RunnerQueryHost({
    topics, functions, processingLog, state, changelog: 'direct', serviceId: SERVICE, pollMs: 20,
    assignment: groupAssignment(topics, { heartbeatIntervalMs: 200, sessionTimeoutMs: 6000, rebalanceTimeoutMs: 10_000, ...(process.env['GROUP_LOG'] ? { log: (m: string) => console.log(m) } : {}) }),
  });
  engine = new Engine({ topics, functions, host, processingLog, config: { 'auto.offset.reset': 'earliest', 'ksql.service.id': SERVICE, 'cache.max.bytes.buffering': 0 } });
  for (const s of parseScript(sql)) await engine.execute(s);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await host.stopAll();
    await state.close();
    await topics.close();
    await cleanup();
  };
  cleanups.push(stop);
  return { topics, host, engine, stop };
}

function queryId(i: Instance): string {
  const ids = [...i.engine.queries.keys()];
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

function tasksOf(i: Instance): string[] {
  return i.host.runner(queryId(i))?.runningTasks ?? [];
}

async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function intKey(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

/** Records with keys `from..to-1`, key k in partition k % 4. */
async function produce(topics: KafkaTopics, keys: readonly number[], value: (k: number) => unknown): Promise<void> {
  for (let p = 0; p < 4; p++) {
    const records = keys.filter((k) => k % 4 === p).map((k) => ({ key: intKey(k), value: Buffer.from(JSON.stringify(value(k))), timestamp: 1000 + k, headers: [] }));
    if (records.length) await topics.append('src', p, records);
  }
}

async function readAll(topics: KafkaTopics, topic: string): Promise<{ key: number; value: string }[]> {
  const out: { key: number; value: string }[] = [];
  for (let p = 0; p < 4; p++) {
    const end = await topics.endOffset(topic, p);
    const deadline = Date.now() + 5000;
    for (let o = 0; o < end;) {
      const batch = await topics.read(topic, p, o, 10_000, 100);
      if (batch.length === 0) {
        if (Date.now() > deadline) throw new Error(`cannot read ${topic}-${p} from ${o} to ${end}`);
        continue;
      }
      for (const r of batch) out.push({ key: r.key!.readInt32BE(0), value: r.value?.toString() ?? 'null' });
      o = batch[batch.length - 1]!.offset + 1;
    }
  }
  return out;
}

const SOURCE = `CREATE STREAM src (id INT KEY, v INT) WITH (kafka_topic='src', value_format='JSON', partitions=4);`;

describe('assignTasks', () => {
  it('balances, keeps what members had within their share, and is deterministic', () => {
    const ids = ['0', '1', '2', '3'];
    expect(assignTasks(ids, [{ memberId: 'a', previous: [] }, { memberId: 'b', previous: [] }])).toEqual(new Map([['a', ['0', '2']], ['b', ['1', '3']]]));
    // a had everything, b is new: a keeps two of its tasks, b gets the rest
    expect(assignTasks(ids, [{ memberId: 'a', previous: ids }, { memberId: 'b', previous: [] }])).toEqual(new Map([['a', ['0', '1']], ['b', ['2', '3']]]));
    // 3 members, 4 tasks: shares 2/1/1 whatever was owned before
    const three = assignTasks(ids, [{ memberId: 'a', previous: ['0', '1'] }, { memberId: 'b', previous: ['2', '3'] }, { memberId: 'c', previous: [] }]);
    expect([...three.values()].map((t) => t.length).sort()).toEqual([1, 1, 2]);
    expect(new Set([...three.values()].flat())).toEqual(new Set(ids));
    expect(assignTasks(['0_0', '0_1', '1_0', '1_1'], [{ memberId: 'b', previous: [] }, { memberId: 'a', previous: [] }])).toEqual(new Map([['a', ['0_0', '1_0']], ['b', ['0_1', '1_1']]]));
  });
});

describe.each(['listener', ...(hasKcat() ? ['mock'] : [])])('two instances share a query through its consumer group (%s)', (name) => {
  it('a stateless query: every output exactly once, the work split 2/2', async () => {
    const bootstrap = await cluster(name);
    const sql = `${SOURCE} CREATE STREAM out AS SELECT id, v * 10 AS w FROM src;`;
    const a = await instance(bootstrap, sql);
    await until('instance A to own all tasks', () => tasksOf(a).length === 4);
    await produce(a.topics, Array.from({ length: 40 }, (_, k) => k), (k) => ({ V: k }));
    await until('A to process the first batch', async () => (await readAll(a.topics, 'OUT')).length === 40);

    const b = await instance(bootstrap, sql);
    await until('the tasks to be split 2/2', () => tasksOf(a).length === 2 && tasksOf(b).length === 2);
    expect([...tasksOf(a), ...tasksOf(b)].sort()).toEqual(['0', '1', '2', '3']);
    await produce(a.topics, Array.from({ length: 60 }, (_, k) => 40 + k), (k) => ({ V: k }));
    await until('all outputs', async () => (await readAll(a.topics, 'OUT')).length >= 100);
    await new Promise((r) => setTimeout(r, 500)); // a duplicate would show up by now
    const out = await readAll(a.topics, 'OUT');
    expect(out.map((o) => o.key).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, k) => k));
    expect(out.every((o) => o.value === JSON.stringify({ W: o.key * 10 }))).toBe(true);
    // each instance wrote the partitions of its own tasks
    expect(new Set(tasksOf(a)).size + new Set(tasksOf(b)).size).toBe(4);
  }, 60_000);

  it('a GROUP BY table split across instances, then one instance stops and the other continues from the changelog', async () => {
    const bootstrap = await cluster(name);
    const sql = `${SOURCE} CREATE TABLE totals AS SELECT id, COUNT(*) AS n, SUM(v) AS s FROM src GROUP BY id;`;
    const keys = Array.from({ length: 8 }, (_, k) => k);
    const round = async (i: Instance, r: number) => produce(i.topics, keys, (k) => ({ V: k + r }));
    const lastPerKey = async (i: Instance) => {
      const m = new Map<number, string>();
      for (const o of await readAll(i.topics, 'TOTALS')) m.set(o.key, o.value);
      return m;
    };
    const expected = (rounds: number) => new Map(keys.map((k) => [k, JSON.stringify({ N: rounds, S: rounds * k + (rounds * (rounds - 1)) / 2 })]));
    const settled = async (i: Instance, rounds: number) => {
      await until(`totals after ${rounds} rounds`, async () => {
        const got = await lastPerKey(i);
        return keys.every((k) => got.get(k) === expected(rounds).get(k));
      });
    };

    const a = await instance(bootstrap, sql);
    await until('instance A to own all tasks', () => tasksOf(a).length === 4);
    await round(a, 0);
    await settled(a, 1);

    const b = await instance(bootstrap, sql);
    await until('the tasks to be split 2/2', () => tasksOf(a).length === 2 && tasksOf(b).length === 2);
    await round(a, 1);
    await round(a, 2);
    await settled(a, 3);

    // B stops: its tasks come back to A, whose local state for them is stale (A ran them before
    // B joined); the changelog brings B's updates and the group its offsets.
    const bTasks = tasksOf(b);
    await b.stop();
    await until('A to own all tasks again', () => tasksOf(a).length === 4);
    await round(a, 3);
    await settled(a, 4);
    await new Promise((r) => setTimeout(r, 500));
    // every update exactly once: per key the counts 1, 2, 3, 4 in order, none repeated or skipped
    const updates = new Map<number, number[]>();
    for (const o of await readAll(a.topics, 'TOTALS')) {
      const list = updates.get(o.key) ?? [];
      list.push((JSON.parse(o.value) as { N: number }).N);
      updates.set(o.key, list);
    }
    for (const k of keys) expect(updates.get(k), `key ${k} (tasks moved: ${bTasks.join(',')})`).toEqual([1, 2, 3, 4]);
  }, 90_000);

  it('a re-keying GROUP BY: both sub-topologies (repartition topic between them) split 4/4, right final table', async () => {
    const bootstrap = await cluster(name);
    // group by v % 3: records are re-keyed through the repartition topic into sub-topology 1
    const sql = `${SOURCE} CREATE TABLE byrem AS SELECT v % 3 AS r, COUNT(*) AS n FROM src GROUP BY v % 3;`;
    const a = await instance(bootstrap, sql);
    await until('instance A to own all tasks', () => tasksOf(a).length === 8);
    const b = await instance(bootstrap, sql);
    await until('the tasks to be split 4/4', () => tasksOf(a).length === 4 && tasksOf(b).length === 4);
    expect([...tasksOf(a), ...tasksOf(b)].sort()).toEqual(['0_0', '0_1', '0_2', '0_3', '1_0', '1_1', '1_2', '1_3']);
    await produce(a.topics, Array.from({ length: 30 }, (_, k) => k), (k) => ({ V: k }));
    await until('the final table', async () => {
      const last = new Map<number, string>();
      for (const o of await readAll(a.topics, 'BYREM')) last.set(o.key, o.value);
      return [0, 1, 2].every((r) => last.get(r) === JSON.stringify({ N: 10 }));
    });
  }, 90_000);
});
