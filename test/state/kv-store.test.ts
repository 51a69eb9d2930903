import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRocksStateBackend, type RocksStateBackend } from '../../engine/state/backend.js';
import { orderedKeySerializer, valueSerializer } from '../../engine/state/codec.js';
import type { KeyValueStore, TaskState } from '../../engine/state/stores.js';
import { tempDir } from './helpers.js';

const opts = { keySerializer: orderedKeySerializer<string | number>(), valueSerializer: valueSerializer<unknown>() };

let dir: string, cleanup: () => Promise<void>, backend: RocksStateBackend;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  backend = createRocksStateBackend(dir, { syncCommits: false });
});
afterEach(async () => {
  await backend.close();
  await cleanup();
});

describe('RocksKeyValueStore', () => {
  it('reads its own uncommitted writes, then committed data after reopen', async () => {
    const task = await backend.openTask('q1', '0');
    const kv = task.keyValueStore('counts', opts);
    expect(kv.get('a')).toBeUndefined();
    kv.put('a', { n: 1 });
    kv.put('b', [1, 2n]);
    expect(kv.get('a')).toEqual({ n: 1 });
    kv.delete('b');
    expect(kv.get('b')).toBeUndefined();
    await task.commit(new Map([['t:0', 5]]));
    kv.put('a', { n: 2 });
    await task.close();

    const again = await backend.openTask('q1', '0');
    const kv2 = again.keyValueStore('counts', opts);
    expect(kv2.get('a')).toEqual({ n: 1 });
    expect(kv2.get('b')).toBeUndefined();
    expect(again.committedOffsets().get('t:0')).toBe(5);
  });

  it('put(key, null) deletes, as in Kafka Streams', async () => {
    const task = await backend.openTask('q', '0');
    const kv = task.keyValueStore('s', opts);
    kv.put('a', 1);
    await task.commit(new Map());
    kv.put('a', null);
    expect(kv.get('a')).toBeUndefined();
    expect([...kv.all()]).toEqual([]);
  });

  it('ranges merge buffered and committed entries in key order, bounds inclusive', async () => {
    const task = await backend.openTask('q', '0');
    const kv = task.keyValueStore('s', opts);
    for (const k of [1, 3, 5, 7, 9]) kv.put(k, `c${k}`);
    await task.commit(new Map());
    kv.put(4, 'p4');
    kv.put(5, 'p5');
    kv.delete(7);
    kv.put(-1, 'p-1');
    expect([...kv.range(3, 7)]).toEqual([[3, 'c3'], [4, 'p4'], [5, 'p5']]);
    expect([...kv.range(undefined, 3)].map(([k]) => k)).toEqual([-1, 1, 3]);
    expect([...kv.range(5)].map(([k]) => k)).toEqual([5, 9]);
    expect([...kv.all()].map(([k]) => k)).toEqual([-1, 1, 3, 4, 5, 9]);
    expect(kv.approximateCount()).toBe(6);
  });

  it('stores are isolated from each other by prefix', async () => {
    const task = await backend.openTask('q', '0');
    const a = task.keyValueStore('a', opts);
    const b = task.keyValueStore('b', opts);
    a.put('k', 1);
    b.put('k', 2);
    await task.commit(new Map());
    expect([...a.all()]).toEqual([['k', 1]]);
    expect([...b.all()]).toEqual([['k', 2]]);
    expect(task.keyValueStore('a', opts)).toBe(a);
    expect(() => task.windowStore('a', { ...opts, retentionMs: 1 })).toThrow(/kv store/);
  });

  it('early return from a range closes the native iterator (no leak across many scans)', async () => {
    const task = await backend.openTask('q', '0');
    const kv = task.keyValueStore('s', opts);
    for (let i = 0; i < 100; i++) kv.put(i, i);
    await task.commit(new Map());
    for (let i = 0; i < 2000; i++) {
      for (const [k] of kv.range(10)) { expect(k).toBe(10); break; }
    }
    await task.close(); // would hang or crash with leaked iterators
  });

  it('rejects use after close', async () => {
    const task = await backend.openTask('q', '0');
    const kv = task.keyValueStore('s', opts);
    await task.close();
    expect(() => kv.get('a')).toThrow(/closed/);
  });
});

type Op = { t: 'put'; k: number; v: number } | { t: 'del'; k: number } | { t: 'commit' } | { t: 'reopen' }
  | { t: 'range'; lo: number | undefined; hi: number | undefined };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 20, arbitrary: fc.record({ t: fc.constant('put' as const), k: fc.integer({ min: -20, max: 20 }), v: fc.integer() }) },
  { weight: 10, arbitrary: fc.record({ t: fc.constant('del' as const), k: fc.integer({ min: -20, max: 20 }) }) },
  { weight: 6, arbitrary: fc.constant({ t: 'commit' as const }) },
  { weight: 1, arbitrary: fc.constant({ t: 'reopen' as const }) },
  { weight: 6, arbitrary: fc.record({ t: fc.constant('range' as const), lo: fc.option(fc.integer({ min: -25, max: 25 }), { nil: undefined }), hi: fc.option(fc.integer({ min: -25, max: 25 }), { nil: undefined }) }) },
);

describe('RocksKeyValueStore against a model', () => {
  it('matches a Map with commit and crash-reopen (uncommitted writes lost)', async () => {
    // One task for all runs, a fresh store per run: RocksDB open costs ~50 ms, so reopen is rare.
    let task: TaskState = await backend.openTask('model', '0');
    let run = 0;
    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 80, size: 'max' }), async (ops) => {
      const name = `m${run++}`;
      let kv: KeyValueStore<number, number> = task.keyValueStore(name, opts as never);
      let committed = new Map<number, number>();
      const live = new Map<number, number>();
      for (const o of ops) {
        switch (o.t) {
          case 'put': kv.put(o.k, o.v); live.set(o.k, o.v); break;
          case 'del': kv.delete(o.k); live.delete(o.k); break;
          case 'commit': await task.commit(new Map()); committed = new Map(live); break;
          case 'reopen':
            await task.close();
            task = await backend.openTask('model', '0');
            kv = task.keyValueStore(name, opts as never);
            live.clear();
            for (const [k, v] of committed) live.set(k, v);
            break;
          case 'range': {
            const want = [...live].filter(([k]) => (o.lo === undefined || k >= o.lo) && (o.hi === undefined || k <= o.hi))
              .sort((a, b) => a[0] - b[0]);
            expect([...kv.range(o.lo, o.hi)]).toEqual(want);
            break;
          }
        }
        for (const k of [-1, 0, 7]) expect(kv.get(k)).toBe(live.get(k));
      }
      expect([...kv.all()]).toEqual([...live].sort((a, b) => a[0] - b[0]));
      await task.commit(new Map()); // leave nothing pending for the next run's store
    }), { numRuns: 40 });
  });
});

describe('iterator lifecycle', () => {
  it('a scan resumed after its task closed throws instead of touching a closed database', async () => {
    const task = await backend.openTask('life', '0');
    const kv = task.keyValueStore('s', opts);
    for (let i = 0; i < 600; i++) kv.put(i, i);
    await task.commit(new Map());
    const it = kv.all();
    expect(it.next().value).toEqual([0, 0]);
    await task.close();
    expect(() => { for (const _ of it); }).toThrow(/closed/);
  });

  it('abandoned iterators (neither finished nor returned) do not block close', async () => {
    const task = await backend.openTask('life2', '0');
    const kv = task.keyValueStore('s', opts);
    for (let i = 0; i < 10; i++) kv.put(i, i);
    await task.commit(new Map());
    for (let i = 0; i < 100; i++) kv.all().next();
    await task.close();
  });
});
