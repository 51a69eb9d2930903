/**
 * A GROUP BY on a non-key column over a 4-partition source on the QueryRunner (RocksDB state):
 * the re-keyed records go through the repartition topic, the aggregation runs as 4 downstream
 * tasks, and the resulting table is the one a single task would compute.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../engine/engine.js';
import { RunnerQueryHost } from '../../engine/runtime/embedded-host.js';
import { ProcessingLog } from '../../engine/runtime/processing-log.js';
import { createRocksStateBackend } from '../../engine/state/index.js';
import { MemoryTopics } from '../../engine/topics/memory-topics.js';
import { createFunctionRegistry } from '../../engine/functions/registry.js';
import { parseScript } from '../../engine/sql/index.js';
import { partitionForKey } from '../../engine/topics/partitioner.js';
import { tempDir } from '../state/helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function readAll(topics: MemoryTopics, topic: string) {
  const out = [];
  const partitions = (await topics.describeTopic(topic))?.partitions ?? 0;
  for (let p = 0; p < partitions; p++) out.push(...(await topics.read(topic, p, 0, 10_000, 0)));
  return out;
}

describe('repartition through the QueryRunner', () => {
  it('aggregates a GROUP BY on a value column in 4 downstream tasks fed by the repartition topic', async () => {
    const { dir, cleanup } = await tempDir('sluice-repartition-');
    cleanups.push(cleanup);
    const topics = new MemoryTopics();
    const functions = createFunctionRegistry();
    const state = createRocksStateBackend(dir);
    const host = new RunnerQueryHost({ topics, functions, processingLog: new ProcessingLog(), state, serviceId: 'rp_', pollMs: 5 });
    cleanups.unshift(async () => { await host.stopAll(); await state.close(); });
    const engine = new Engine({ topics, functions, host, config: { 'auto.offset.reset': 'earliest', 'ksql.service.id': 'rp_', 'cache.max.bytes.buffering': 0 } });
    for (const s of parseScript(`
      CREATE STREAM s (id INT KEY, color STRING, n INT) WITH (kafka_topic='s', value_format='JSON', partitions=4);
      CREATE TABLE t AS SELECT color, COUNT(*) AS cnt, SUM(n) AS total FROM s GROUP BY color;`)) await engine.execute(s);
    const query = [...engine.queries.values()][0]!;
    const topic = `_confluent-ksql-rp_query_${query.id}-Aggregate-GroupBy-repartition`;

    const colors = ['red', 'green', 'blue', 'cyan', 'magenta', 'yellow', 'black', 'white'];
    const expected = new Map<string, { CNT: number; TOTAL: number }>();
    for (let i = 0; i < 64; i++) {
      const color = colors[(i * 7) % colors.length]!;
      const key = Buffer.alloc(4);
      key.writeInt32BE(i);
      await topics.append('s', i % 4, [{ key, value: Buffer.from(JSON.stringify({ COLOR: color, N: i })), timestamp: 1000 + i, headers: [] }]);
      const e = expected.get(color) ?? { CNT: 0, TOTAL: 0 };
      expected.set(color, { CNT: e.CNT + 1, TOTAL: e.TOTAL + i });
    }

    const deadline = Date.now() + 20_000;
    const runner = host.runner(query.id)!;
    while ((await runner.lag()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await runner.lag()).toBe(0);

    // 4 upstream tasks over the source, 4 downstream tasks over the repartition topic
    expect(runner.taskIds().sort()).toEqual(['0_0', '0_1', '0_2', '0_3', '1_0', '1_1', '1_2', '1_3']);

    // the repartition topic exists with the source's partitions and holds every re-keyed record,
    // each in the partition its new key hashes to
    expect(await topics.describeTopic(topic)).toMatchObject({ partitions: 4, configs: { 'cleanup.policy': 'delete' } });
    const repartitioned = await readAll(topics, topic);
    expect(repartitioned).toHaveLength(64);
    for (const r of repartitioned) expect(r.partition).toBe(partitionForKey(r.key, 4));
    expect(new Set(repartitioned.map((r) => r.partition)).size).toBeGreaterThan(1);

    // the table: the last update per key equals the totals
    const table = new Map<string, unknown>();
    for (const r of (await readAll(topics, 'T')).sort((a, b) => a.timestamp - b.timestamp || a.offset - b.offset)) {
      table.set(r.key!.toString(), JSON.parse(r.value!.toString()));
    }
    expect(Object.fromEntries(table)).toEqual(Object.fromEntries(expected));
  }, 30_000);
});
