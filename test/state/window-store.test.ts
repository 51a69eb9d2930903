import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRocksStateBackend, type RocksStateBackend } from '../../engine/state/backend.js';
import { orderedKeySerializer, valueSerializer } from '../../engine/state/codec.js';
import type { TaskState, WindowStore } from '../../engine/state/stores.js';
import { tempDir } from './helpers.js';

const opts = { keySerializer: orderedKeySerializer<string>(), valueSerializer: valueSerializer<number>(), retentionMs: 1000 };

let dir: string, cleanup: () => Promise<void>, backend: RocksStateBackend, task: TaskState, ws: WindowStore<string, number>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  backend = createRocksStateBackend(dir, { syncCommits: false });
  task = await backend.openTask('q', '0');
  storeName = 'w';
  ws = task.windowStore(storeName, opts);
});
afterEach(async () => {
  await backend.close();
  await cleanup();
});

let storeName = 'w', run = 0;
async function reopen(): Promise<void> {
  await task.close();
  task = await backend.openTask('q', '0');
  ws = task.windowStore(storeName, opts);
}

describe('RocksWindowStore', () => {
  it('fetch / fetchRange by key and start, inclusive bounds, start order', async () => {
    ws.put('a', 100, 1);
    ws.put('a', 0, 2);
    ws.put('a', -50, 3); // negative times order correctly
    ws.put('b', 100, 4);
    ws.put('ab', 100, 5); // a key that extends another key must not leak into its range
    await task.commit(new Map());
    ws.put('a', 200, 6);
    expect(ws.fetch('a', 100)).toBe(1);
    expect(ws.fetch('a', 101)).toBeUndefined();
    expect([...ws.fetchRange('a', -50, 200)]).toEqual([[-50, 3], [0, 2], [100, 1], [200, 6]]);
    expect([...ws.fetchRange('a', 0, 100)]).toEqual([[0, 2], [100, 1]]);
    expect([...ws.fetchRange('a', 1, 99)]).toEqual([]);
    expect([...ws.fetchRange('a', 10, 0)]).toEqual([]);
    expect([...ws.fetchRange('a', -Infinity, Infinity)].map(([t]) => t)).toEqual([-50, 0, 100, 200]);
  });

  it('put(null) deletes a window', async () => {
    ws.put('a', 10, 1);
    await task.commit(new Map());
    ws.put('a', 10, null);
    expect(ws.fetch('a', 10)).toBeUndefined();
    expect([...ws.fetchAll(0, 100)]).toEqual([]);
    await task.commit(new Map());
    await reopen();
    expect(ws.fetch('a', 10)).toBeUndefined();
  });

  it('fetchAll returns every key in a time slice, ordered by start then key', async () => {
    for (const [k, t, v] of [['b', 10, 1], ['a', 10, 2], ['a', 20, 3], ['c', 5, 4], ['c', 30, 5]] as const) ws.put(k, t, v);
    await task.commit(new Map());
    ws.put('d', 20, 6);
    ws.put('a', 20, 7);
    expect([...ws.fetchAll(10, 20)]).toEqual([['a', 10, 2], ['b', 10, 1], ['a', 20, 7], ['d', 20, 6]]);
    expect([...ws.fetchAll(-Infinity, Infinity)].length).toBe(6);
  });

  it('expireBefore drops windows that started before the time, atomically with commit', async () => {
    for (let t = 0; t < 10; t++) { ws.put('a', t * 10, t); ws.put('b', t * 10, t); }
    await task.commit(new Map([['src:0', 20]]));
    ws.expireBefore(50);
    expect([...ws.fetchRange('a', 0, 100)].map(([t]) => t)).toEqual([50, 60, 70, 80, 90]);
    expect([...ws.fetchAll(0, 100)].length).toBe(10);
    await reopen(); // expiry was not committed: the windows are back, with the old offsets
    expect([...ws.fetchRange('a', 0, 100)].length).toBe(10);
    ws.expireBefore(50);
    await task.commit(new Map([['src:0', 21]]));
    await reopen();
    expect([...ws.fetchRange('b', 0, 100)].map(([t]) => t)).toEqual([50, 60, 70, 80, 90]);
    expect([...ws.fetchAll(-Infinity, Infinity)].length).toBe(10);
  });

  it('expiry removes late puts below the previous watermark', () => {
    ws.put('a', 100, 1);
    ws.expireBefore(50);
    ws.put('a', 10, 2); // late write below the watermark
    expect(ws.fetch('a', 10)).toBe(2);
    ws.expireBefore(60);
    expect(ws.fetch('a', 10)).toBeUndefined();
    expect(ws.fetch('a', 100)).toBe(1);
  });

  it('persists the expiry watermark with the commit, including late puts that lower it', async () => {
    for (let t = 0; t < 10; t++) ws.put('a', t * 10, t);
    ws.expireBefore(50);
    await task.commit(new Map());
    await reopen();
    ws.expireBefore(40); // below the restored watermark: nothing to do
    expect([...ws.fetchRange('a', 0, 100)].map(([t]) => t)).toEqual([50, 60, 70, 80, 90]);
    ws.put('a', 10, 99); // late put below the watermark
    await task.commit(new Map());
    await reopen(); // the restored watermark must not hide the late window
    expect(ws.fetch('a', 10)).toBe(99);
    expect([...ws.fetchRange('a', 0, 100)].map(([t]) => t)).toEqual([10, 50, 60, 70, 80, 90]);
    expect([...ws.fetchAll(0, 100)].map(([, t]) => t)).toEqual([10, 50, 60, 70, 80, 90]);
    ws.expireBefore(60);
    expect([...ws.fetchAll(-Infinity, Infinity)].map(([, t]) => t)).toEqual([60, 70, 80, 90]);
  });

  it('fetchAll resolves values in chunks across many windows', async () => {
    for (let i = 0; i < 1000; i++) ws.put(`k${i % 37}`, i, i);
    await task.commit(new Map());
    for (let i = 0; i < 1000; i += 3) ws.put(`k${i % 37}`, i, -i);
    const all = [...ws.fetchAll(0, 999)];
    expect(all.length).toBe(1000);
    expect(all.map(([, t]) => t)).toEqual([...Array(1000).keys()]);
    expect(all.every(([, t, v]) => v === (t % 3 === 0 ? -t : t))).toBe(true);
  });

  it('matches a model under random puts, deletes, expiry, commits and reopens', async () => {
    type Op = { t: 'put'; k: string; s: number; v: number | null } | { t: 'expire'; s: number } | { t: 'commit' } | { t: 'reopen' };
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      { weight: 24, arbitrary: fc.record({ t: fc.constant('put' as const), k: fc.constantFrom('a', 'b', 'ab', ''), s: fc.integer({ min: -5, max: 30 }), v: fc.option(fc.integer(), { nil: null, freq: 5 }) }) },
      { weight: 3, arbitrary: fc.record({ t: fc.constant('expire' as const), s: fc.integer({ min: -5, max: 30 }) }) },
      { weight: 3, arbitrary: fc.constant({ t: 'commit' as const }) },
      { weight: 1, arbitrary: fc.constant({ t: 'reopen' as const }) },
    );
    await fc.assert(fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 60, size: 'max' }), async (ops) => {
      storeName = `m${run++}`; // fresh store per run: RocksDB open costs ~50 ms, so reopen is rare
      ws = task.windowStore(storeName, opts);
      const key = (k: string, s: number) => JSON.stringify([k, s]);
      let live = new Map<string, number>();
      let committed = new Map<string, number>();
      for (const o of ops) {
        if (o.t === 'put') { ws.put(o.k, o.s, o.v); if (o.v === null) live.delete(key(o.k, o.s)); else live.set(key(o.k, o.s), o.v); }
        if (o.t === 'expire') { ws.expireBefore(o.s); for (const k of [...live.keys()]) if (JSON.parse(k)[1] < o.s) live.delete(k); }
        if (o.t === 'commit') { await task.commit(new Map()); committed = new Map(live); }
        if (o.t === 'reopen') { await reopen(); live = new Map(committed); }
      }
      const want = [...live].map(([k, v]) => [...JSON.parse(k), v] as [string, number, number]);
      const got = [...ws.fetchAll(-10, 40)];
      const order = (a: [string, number, number], b: [string, number, number]) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
      expect(got).toEqual(want.sort(order)); // fetchAll order: start, then key bytes
      for (const k of ['a', 'b', 'ab', '']) {
        expect([...ws.fetchRange(k, 0, 20)]).toEqual(want.filter(([x, s]) => x === k && s >= 0 && s <= 20).sort(order).map(([, s, v]) => [s, v]));
      }
    }), { numRuns: 40 });
  });
});
