/**
 * State-layer micro-benchmark. Prints figures, asserts nothing. Every figure is the best of
 * `reps` runs (the machine may be shared; the minimum is the least disturbed run).
 * Standalone: node --import tsx test/state/bench.ts [n] [reps]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRocksStateBackend } from '../../engine/state/backend.js';
import { cachingKeyValueStore } from '../../engine/state/caching-store.js';
import { decodeValue, encodeValue, orderedKeySerializer, valueSerializer } from '../../engine/state/codec.js';
import type { KeyValueStore } from '../../engine/state/stores.js';

export interface BenchRow { readonly what: string; readonly ops: number; readonly ms: number }
type Acc = [number, number, string];

export async function runStateBench(n = 100_000, reps = 3): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-'));
  const best = new Map<string, BenchRow>();
  const order: string[] = [];
  const record = (what: string, ops: number, ms: number): void => {
    if (!best.has(what)) order.push(what);
    const prev = best.get(what);
    if (prev === undefined || ms < prev.ms) best.set(what, { what, ops, ms });
  };
  const time = (what: string, ops: number, fn: () => void): void => {
    const t0 = performance.now();
    fn();
    record(what, ops, performance.now() - t0);
  };
  const timeAsync = async (what: string, ops: number, fn: () => Promise<void>): Promise<void> => {
    const t0 = performance.now();
    await fn();
    record(what, ops, performance.now() - t0);
  };
  const serdes = { keySerializer: orderedKeySerializer<string>(), valueSerializer: valueSerializer<Acc>() };
  const keys = Array.from({ length: n }, (_, i) => `user-${i}`);
  const acc: Acc = [42, 1234.5, 'EUR'];

  try {
    for (let rep = 0; rep < reps; rep++) {
      let bytes: Buffer = Buffer.alloc(0);
      time('codec encode [count, sum, "EUR"]', n, () => { for (let i = 0; i < n; i++) bytes = encodeValue(acc); });
      time('codec decode [count, sum, "EUR"]', n, () => { for (let i = 0; i < n; i++) decodeValue(bytes); });
      time('  JSON.stringify + parse, same value', n, () => { for (let i = 0; i < n; i++) JSON.parse(JSON.stringify(acc)); });
    }

    const backend = createRocksStateBackend(dir, { syncCommits: true });
    const task = await backend.openTask('bench', '0');
    for (let rep = 0; rep < reps; rep++) {
      const kv = task.keyValueStore(`kv${rep}`, serdes);
      time(`put ${n} new keys (write buffer)`, n, () => { for (const k of keys) kv.put(k, acc); });
      time('get, hit in write buffer', n, () => { for (const k of keys) kv.get(k); });
      await timeAsync(`commit ${n} pending writes (fsync)`, 1, () => task.commit(new Map([['in:0', rep]])));
      time('get, RocksDB hit (buffer empty)', n, () => { for (const k of keys) kv.get(k); });
      time('get, RocksDB miss', n, () => { for (let i = 0; i < n; i++) kv.get(`absent-${i}`); });
      time('scan all entries (RocksDB only)', n, () => { for (const _ of kv.all()); });
      for (let i = 0; i < n; i += 10) kv.put(keys[i]!, acc);
      time('scan all entries (10% pending overlay)', n, () => { for (const _ of kv.all()); });
      await task.commit(new Map());
    }

    for (const sync of [true, false]) {
      const b = createRocksStateBackend(dir, { syncCommits: sync });
      const t = await b.openTask(`commit-${sync}`, '0');
      const kv = t.keyValueStore('kv', serdes);
      const tag = sync ? 'fsync' : 'no fsync';
      for (let rep = 0; rep < reps + 2; rep++) {
        for (let i = 0; i < 10_000; i++) kv.put(keys[(i * 7 + rep) % n]!, [i, rep, 'x']);
        await timeAsync(`commit 10k pending writes (${tag})`, 1, () => t.commit(new Map([['in:0', rep]])));
        kv.put('one', acc);
        await timeAsync(`commit 1 pending write (${tag})`, 1, () => t.commit(new Map([['in:0', rep + 100]])));
      }
      await b.close();
    }

    // The aggregation hot path: get → new accumulator → put, on 1,000 hot keys.
    const inner = task.keyValueStore('agg', serdes);
    for (let i = 0; i < 1000; i++) inner.put(keys[i]!, [0, 0, 'x']);
    await task.commit(new Map());
    const aggregate = (store: KeyValueStore<string, Acc>): void => {
      for (let i = 0; i < n; i++) {
        const k = keys[i % 1000]!;
        const a = store.get(k)!;
        store.put(k, [a[0] + 1, a[1] + i, a[2]]);
      }
    };
    let emitted = 0;
    const onFlush = (): void => { emitted++; };
    const c0 = cachingKeyValueStore(task, inner, { maxBytes: 0, keySerializer: serdes.keySerializer, onFlush });
    const cN = cachingKeyValueStore(task, inner, { maxBytes: 10 << 20, keySerializer: serdes.keySerializer, onFlush });
    for (let rep = 0; rep < reps; rep++) {
      time('get+put, 1000 hot keys, bare store', n, () => aggregate(inner));
      await task.commit(new Map());
      time('get+put, caching wrapper, max.bytes=0', n, () => aggregate(c0));
      await task.commit(new Map());
      emitted = 0;
      time('get+put, caching wrapper, max.bytes=10MiB', n, () => aggregate(cN));
      await timeAsync('  commit incl. cache flush of 1000 keys', 1, () => task.commit(new Map()));
    }
    record(`  (the 10MiB cache emitted ${emitted} updates for ${n} puts)`, 0, 0);

    const ws = task.windowStore('w', { ...serdes, retentionMs: 60_000 });
    for (let rep = 0; rep < reps; rep++) {
      time('window put (value + time index)', n, () => { for (let i = 0; i < n; i++) ws.put(keys[i % 1000]!, (i % 100) * 1000, acc); });
      await timeAsync('  commit', 1, () => task.commit(new Map()));
      const calls = Math.ceil(n / 10);
      time('window fetchRange (1 key, 10 windows)', calls, () => {
        for (let i = 0; i < calls; i++) for (const _ of ws.fetchRange(keys[i % 1000]!, 0, 9000));
      });
      time('window fetch (point)', n, () => { for (let i = 0; i < n; i++) ws.fetch(keys[i % 1000]!, (i % 100) * 1000); });
    }
    await backend.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return order.map((w) => best.get(w)!);
}

export function formatBench(rows: readonly BenchRow[]): string {
  return rows.map((r) => {
    if (r.ops === 0) return r.what;
    const rate = r.ops > 1
      ? `${Math.round(r.ops / (r.ms / 1000)).toLocaleString('en-US').padStart(11)} ops/s ${((r.ms * 1000) / r.ops).toFixed(2).padStart(8)} µs/op`
      : '';
    return `${r.what.padEnd(44)} ${r.ms.toFixed(2).padStart(9)} ms ${rate}`;
  }).join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const n = Number(process.argv[2] ?? 100_000);
  console.log(`state micro-benchmark, n = ${n.toLocaleString('en-US')}, best of ${process.argv[3] ?? 3}\n`
    + formatBench(await runStateBench(n, Number(process.argv[3] ?? 3))));
}
