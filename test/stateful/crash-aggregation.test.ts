/**
 * Crash test (stateful issue): a child process runs aggregations (by key, re-keyed, windowed) on
 * the embedded log with RocksDB state and is SIGKILLed mid-stream several times; a last run
 * drains the input. The final tables must equal the aggregates of all input exactly: a lost or
 * double-counted record would show in the counts and sums.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EmbeddedTopics, createRocksStateBackend } from '../../engine/index.js';
import { decodeWindowedKey } from '../../engine/runtime/windowing.js';
import { expectedTables, inputRow, PARTITIONS } from './fixtures/aggregation-input.js';

const worker = fileURLToPath(new URL('./fixtures/aggregation-worker.ts', import.meta.url));

function runWorker(dir: string, mode: 'run' | 'drain', cache: number, killAfterMs?: number): Promise<{ killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker, dir, mode, String(cache)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (killAfterMs !== undefined && timer === undefined && out.includes('start')) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal === 'SIGKILL') resolve({ killed: true });
      else if (code === 0) resolve({ killed: false });
      else reject(new Error(`worker exited with ${code}: ${err}`));
    });
  });
}

async function writeInput(dir: string, perPartition: number): Promise<void> {
  const topics = await EmbeddedTopics.open({ dir: join(dir, 'log') });
  await topics.createTopic('input', { partitions: PARTITIONS, replicas: 1 });
  for (let p = 0; p < PARTITIONS; p++) {
    for (let i = 0; i < perPartition; i += 500) {
      const batch = [];
      for (let j = i; j < Math.min(i + 500, perPartition); j++) {
        const r = inputRow(p, j, perPartition);
        batch.push({ key: Buffer.from(r.key), value: Buffer.from(JSON.stringify({ V: r.v })), timestamp: r.ts, headers: [] });
      }
      await topics.append('input', p, batch);
    }
  }
  await topics.close();
}

/** Input records whose processing the query's tasks committed. */
async function committedInput(dir: string, queryId: string, taskIds: readonly string[]): Promise<number> {
  const backend = createRocksStateBackend(dir);
  let n = 0;
  for (const t of taskIds) {
    const task = await backend.openTask(queryId, t);
    for (const [k, v] of task.committedOffsets()) if (k.startsWith('input:')) n += v;
    await task.close();
  }
  await backend.close();
  return n;
}

/** Every C written per key, in topic order. */
type Histories = Map<string, Map<string, number[]>>;

async function readTables(dir: string, histories: Histories = new Map()): Promise<Map<string, Map<string, unknown>>> {
  const topics = await EmbeddedTopics.open({ dir: join(dir, 'log') });
  const out = new Map<string, Map<string, unknown>>();
  for (const name of ['BY_KEY', 'BY_VALUE', 'WINDOWED']) {
    const table = new Map<string, unknown>();
    const history = new Map<string, number[]>();
    histories.set(name, history);
    const d = await topics.describeTopic(name);
    for (let p = 0; p < (d?.partitions ?? 0); p++) {
      for (let from = await topics.startOffset(name, p); ;) {
        const batch = await topics.read(name, p, from, 1000);
        if (batch.length === 0) break;
        for (const r of batch) {
          let key: string;
          if (name === 'WINDOWED') {
            const w = decodeWindowedKey(r.key!, 'TUMBLING', 10_000);
            key = `${w.inner.toString()}@${w.start}`;
          } else if (name === 'BY_VALUE') {
            key = String(r.key!.readBigInt64BE(0));
          } else key = r.key!.toString();
          const value = r.value === null ? null : JSON.parse(r.value.toString());
          table.set(key, value);
          if (value !== null) history.set(key, [...(history.get(key) ?? []), value.C]);
        }
        from = batch[batch.length - 1]!.offset + 1;
      }
    }
    out.set(name, table);
  }
  await topics.close();
  return out;
}

describe('aggregations survive SIGKILL', () => {
  // With a cache, commits are rare and processing fast: more input keeps the kills mid-stream.
  for (const [cache, perPartition] of [[0, 6000], [10 * 1024 * 1024, 60_000]] as const) {
    it(`final tables equal the aggregates of all input (cache.max.bytes.buffering=${cache})`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sluice-crash-agg-'));
      try {
        await writeInput(dir, perPartition);
        let kills = 0;
        const progress: number[] = [];
        for (let cycle = 0; cycle < 4; cycle++) {
          const delay = cache === 0 ? 150 + Math.floor(Math.random() * 400) : Math.floor(Math.random() * 300);
          const { killed } = await runWorker(dir, 'run', cache, delay);
          if (killed) kills++;
          // the re-keyed query's upstream sub-topology (0) reads the input: tasks 0_<partition>
          progress.push(await committedInput(dir, 'CTAS_BY_VALUE_1', Array.from({ length: PARTITIONS }, (_, p) => `0_${p}`)));
          console.log(`cycle ${cycle}: killed=${killed} committed ${progress[progress.length - 1]}`);
        }
        // The kills landed mid-stream: some runs committed part of the input, not all of it.
        expect(progress.some((n) => n > 0 && n < PARTITIONS * perPartition), `progress ${progress.join(', ')}`).toBe(true);
        await runWorker(dir, 'drain', cache);
        const histories: Histories = new Map();
        const tables = await readTables(dir, histories);
        const expected = expectedTables(perPartition);
        for (const [name, want] of expected) {
          const got = tables.get(name)!;
          expect(new Map([...got].filter(([, v]) => v !== null)), name).toEqual(want);
          // Output repeats nothing: every count is written once, in order (all of them without a cache).
          for (const [key, counts] of histories.get(name)!) {
            const strictlyIncreasing = counts.every((c, i) => i === 0 || c > counts[i - 1]!);
            expect(strictlyIncreasing, `${name} ${key}: ${counts.slice(0, 20).join(',')}`).toBe(true);
            if (cache === 0) expect(counts.length, `${name} ${key}`).toBe(counts[counts.length - 1]);
          }
        }
        expect(kills).toBe(4);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 300_000);
  }
});
