/**
 * State-layer micro-benchmark. Prints figures, asserts nothing.
 * Standalone: node --import tsx test/state/bench.ts [n]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRocksStateBackend } from '../../engine/state/backend.js';
import { cachingKeyValueStore } from '../../engine/state/caching-store.js';
import { decodeValue, encodeValue, orderedKeySerializer, valueSerializer } from '../../engine/state/codec.js';

interface Row { readonly what: string; readonly ops: number; readonly ms: number }

function time(what: string, ops: number, fn: () => void, rows: Row[]): void {
  const t0 = performance.now();
  fn();
  rows.push({ what, ops, ms: performance.now() - t0 });
}

async function timeAsync(what: string, ops: number, fn: () => Promise<void>, rows: Row[]): Promise<void> {
  const t0 = performance.now();
  await fn();
  rows.push({ what, ops, ms: performance.now() - t0 });
}

export async function runStateBench(n = 100_000): Promise<Row[]> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-'));
  const rows: Row[] = [];
  const serdes = { keySerializer: orderedKeySerializer<string>(), valueSerializer: valueSerializer<[number, number, string]>() };
  try {
    const keys = Array.from({ length: n }, (_, i) => `user-${i}`);
    const acc: [number, number, string] = [42, 1234.5, 'EUR'];

    let bytes: Buffer = Buffer.alloc(0);
    time('codec encode [count, sum, str]', n, () => { for (let i = 0; i < n; i++) bytes = encodeValue(acc); }, rows);
    time('codec decode [count, sum, str]', n, () => { for (let i = 0; i < n; i++) decodeValue(bytes); }, rows);
    time('JSON.stringify+parse (reference)', n, () => { for (let i = 0; i < n; i++) JSON.parse(JSON.stringify(acc)); }, rows);

    for (const sync of [true, false]) {
      const backend = createRocksStateBackend(dir, { syncCommits: sync });
      const task = await backend.openTask(`q-${sync}`, '0');
      const kv = task.keyValueStore('kv', serdes);
      const tag = sync ? 'fsync' : 'no fsync';
      if (sync) {
        time('put, new keys (write buffer)', n, () => { for (const k of keys) kv.put(k, acc); }, rows);
        time('get, hit in write buffer', n, () => { for (const k of keys) kv.get(k); }, rows);
        await timeAsync(`commit ${n} pending writes (${tag})`, 1, () => task.commit(new Map([['in:0', n]])), rows);
        time('get, RocksDB hit (buffer empty)', n, () => { for (const k of keys) kv.get(k); }, rows);
        time('get, RocksDB miss', n, () => { for (let i = 0; i < n; i++) kv.get(`absent-${i}`); }, rows);
        time('range scan, all entries (RocksDB)', n, () => { let c = 0; for (const _ of kv.all()) c++; }, rows);
        for (let i = 0; i < n; i += 10) kv.put(keys[i]!, acc);
        time('range scan, all entries (10% pending overlay)', n, () => { let c = 0; for (const _ of kv.all()) c++; }, rows);
        await task.commit(new Map());
      }
      for (let r = 0; r < 3; r++) {
        for (let i = 0; i < 10_000; i++) kv.put(keys[(i * 7 + r) % n]!, [i, r, 'x']);
        await timeAsync(`commit 10k pending writes (${tag})`, 1, () => task.commit(new Map([['in:0', n + r]])), rows);
      }
      await timeAsync(`commit, 1 pending write (${tag})`, 1, async () => { kv.put('one', acc); await task.commit(new Map([['in:0', 1]])); }, rows);
      await task.close();
      await backend.close();
    }

    // The aggregation hot path: get → update → put on 1,000 hot keys, then commit.
    const backend = createRocksStateBackend(dir, { syncCommits: false });
    const task = await backend.openTask('agg', '0');
    const inner = task.keyValueStore('agg', serdes);
    for (let i = 0; i < 1000; i++) inner.put(keys[i]!, [0, 0, 'x']);
    await task.commit(new Map());
    const loop = (store: { get(k: string): [number, number, string] | undefined; put(k: string, v: [number, number, string]): void }) => () => {
      for (let i = 0; i < n; i++) {
        const k = keys[i % 1000]!;
        const a = store.get(k)!;
        store.put(k, [a[0] + 1, a[1] + i, a[2]]);
      }
    };
    time('get+put x1000 hot keys, no cache (buffer)', n, loop(inner), rows);
    await task.commit(new Map());
    let emitted = 0;
    const c0 = cachingKeyValueStore(task, inner, { maxBytes: 0, keySerializer: serdes.keySerializer, onFlush: () => { emitted++; } });
    time('get+put, caching wrapper max.bytes=0', n, loop(c0), rows);
    const cN = cachingKeyValueStore(task, inner, { maxBytes: 10 << 20, keySerializer: serdes.keySerializer, onFlush: () => { emitted++; } });
    emitted = 0;
    time('get+put, caching wrapper max.bytes=10MiB', n, loop(cN), rows);
    await timeAsync('  ...its commit (flush 1000 keys + write)', 1, () => task.commit(new Map()), rows);
    rows.push({ what: `  ...emitted ${emitted} updates for ${n} puts`, ops: 0, ms: 0 });

    const ws = task.windowStore('w', { ...serdes, retentionMs: 60_000 });
    time('window put (2 buffered writes each)', n, () => { for (let i = 0; i < n; i++) ws.put(keys[i % 1000]!, (i % 100) * 1000, acc); }, rows);
    await timeAsync('  ...commit', 1, () => task.commit(new Map()), rows);
    time('window fetchRange (key, 10 windows)', n / 10, () => {
      for (let i = 0; i < n / 10; i++) { let c = 0; for (const _ of ws.fetchRange(keys[i % 1000]!, 0, 9000)) c++; }
    }, rows);
    await task.close();
    await backend.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}

export function formatBench(rows: readonly Row[]): string {
  return rows.map((r) => {
    if (r.ops === 0) return r.what;
    const rate = r.ops > 1 ? `${Math.round(r.ops / (r.ms / 1000)).toLocaleString('en-US').padStart(11)} ops/s  ${((r.ms * 1000) / r.ops).toFixed(2).padStart(7)} µs/op` : '';
    return `${r.what.padEnd(48)} ${r.ms.toFixed(1).padStart(8)} ms  ${rate}`;
  }).join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(formatBench(await runStateBench(Number(process.argv[2] ?? 100_000))));
}
