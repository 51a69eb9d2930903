/**
 * Changelog topics in embedded mode (engine/state/changelog.ts): an aggregation on the embedded log
 * with RocksDB state writes its store's changes to ksqlDB's changelog topic through the outbox;
 * after the RocksDB directory is deleted, a restart restores the store from the changelog and the
 * table continues exactly as if nothing was lost.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  EmbeddedTopics, Engine, ProcessingLog, RunnerQueryHost, createFunctionRegistry, createRocksStateBackend, parseScript,
} from '../../engine/index.js';
import { tempDir } from '../state/helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const SQL = `
  CREATE STREAM S (K VARCHAR KEY, V INT) WITH (kafka_topic='s', value_format='JSON', partitions=2);
  CREATE TABLE T AS SELECT K, COUNT(*) AS C, SUM(V) AS SV FROM S GROUP BY K;`;
const CHANGELOG = '_confluent-ksql-cl_query_CTAS_T_0-Aggregate-Aggregate-Materialize-changelog';

async function start(dir: string) {
  const topics = await EmbeddedTopics.open({ dir: join(dir, 'log'), fsync: 'never', maintenanceIntervalMs: 0 });
  const functions = createFunctionRegistry();
  const processingLog = new ProcessingLog();
  const state = createRocksStateBackend(dir, { syncCommits: false });
  const host = new RunnerQueryHost({ topics, functions, processingLog, serviceId: 'cl_', state, changelog: 'outbox', pollMs: 5 });
  const engine = new Engine({
    topics, functions, host, processingLog,
    config: { 'ksql.service.id': 'cl_', 'auto.offset.reset': 'earliest', 'commit.interval.ms': 20 },
  });
  for (const s of parseScript(SQL)) await engine.execute(s);
  const drain = async () => {
    for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
      let lag = 0;
      for (const id of engine.queries.keys()) lag += (await host.runner(id)?.lag()) ?? 0;
      if (lag === 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('query did not catch up');
  };
  const stop = async () => { await host.stopAll(); await state.close(); await topics.close(); };
  return { topics, engine, drain, stop };
}

async function produce(topics: EmbeddedTopics, rows: readonly [string, number][]): Promise<void> {
  for (const [i, [k, v]] of rows.entries()) {
    const partition = k.charCodeAt(0) % 2;
    await topics.append('s', partition, [{ key: Buffer.from(k), value: Buffer.from(JSON.stringify({ V: v })), timestamp: 1000 + i, headers: [] }]);
  }
}

/** Last value per key of a topic, over its partitions. */
async function latest(topics: EmbeddedTopics, topic: string): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  const partitions = (await topics.describeTopic(topic))?.partitions ?? 0;
  for (let p = 0; p < partitions; p++) {
    for (const r of await topics.read(topic, p, await topics.startOffset(topic, p), 100_000)) {
      out.set(r.key!.toString('hex'), r.value ? r.value.toString() : null);
    }
  }
  return out;
}

describe('changelogs in embedded mode', () => {
  it('writes the aggregate store to its compacted changelog and restores it after the RocksDB dir is lost', async () => {
    const { dir, cleanup } = await tempDir('sluice-changelog-');
    cleanups.push(cleanup);
    let run = await start(dir);
    const query = [...run.engine.queries.keys()][0]!;
    expect(CHANGELOG).toContain(`query_${query}-`);
    await produce(run.topics, [['a', 1], ['b', 2], ['a', 3], ['c', 4], ['b', 5]]);
    await run.drain();

    const desc = (await run.topics.describeTopic(CHANGELOG))!;
    expect(desc.partitions).toBe(2); // one per task
    expect(desc.configs['cleanup.policy']).toBe('compact');
    const logged = await latest(run.topics, CHANGELOG);
    expect(logged.size).toBe(3); // one entry per group key
    expect([...logged.values()].every((v) => v !== null)).toBe(true);
    await run.stop();

    await rm(join(dir, 'state'), { recursive: true, force: true });
    run = await start(dir);
    await produce(run.topics, [['a', 10], ['c', 20], ['d', 30]]);
    await run.drain();
    const table = new Map([...(await latest(run.topics, 'T'))].map(([k, v]) => [Buffer.from(k, 'hex').toString(), v]));
    expect(Object.fromEntries(table)).toEqual({
      a: '{"C":3,"SV":14}', b: '{"C":2,"SV":7}', c: '{"C":2,"SV":24}', d: '{"C":1,"SV":30}',
    });
    await run.stop();
  });
});
