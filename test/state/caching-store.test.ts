import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRocksStateBackend, type RocksStateBackend } from '../../engine/state/backend.js';
import { cachingKeyValueStore, type CacheFlushEvent, type CachingKeyValueStore } from '../../engine/state/caching-store.js';
import { orderedKeySerializer, valueSerializer } from '../../engine/state/codec.js';
import type { KeyValueStore, TaskState } from '../../engine/state/stores.js';
import { tempDir } from './helpers.js';

const keySerializer = orderedKeySerializer<string>();
const kvOpts = { keySerializer, valueSerializer: valueSerializer<number>() };

let dir: string, cleanup: () => Promise<void>, backend: RocksStateBackend, task: TaskState, inner: KeyValueStore<string, number>;
let events: CacheFlushEvent<string, number>[];
const ev = () => events.map((e) => [e.key, e.newValue, e.oldValue]);

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  backend = createRocksStateBackend(dir, { syncCommits: false });
  task = await backend.openTask('q', '0');
  inner = task.keyValueStore('agg', kvOpts);
  events = [];
});
afterEach(async () => {
  await backend.close();
  await cleanup();
});

function cached(maxBytes: number, extra: { sendOldValues?: boolean; sizeOf?: () => number } = {}): CachingKeyValueStore<string, number> {
  return cachingKeyValueStore(task, inner, { maxBytes, keySerializer, onFlush: (e) => events.push(e), ...extra });
}

describe('CachingKeyValueStore, cache.max.bytes.buffering = 0', () => {
  it('forwards every update at once, with the previous value', () => {
    const c = cached(0);
    c.put('a', 1);
    c.put('a', 2);
    c.put('b', 1);
    c.delete('a');
    c.delete('zzz'); // never existed: nothing to retract
    expect(ev()).toEqual([['a', 1, undefined], ['a', 2, 1], ['b', 1, undefined], ['a', undefined, 2]]);
    expect(inner.get('b')).toBe(1);
    expect(c.flush()).toBe(0);
  });

  it('sendOldValues=false skips the old value', () => {
    const c = cached(0, { sendOldValues: false });
    c.put('a', 1);
    c.put('a', 2);
    expect(ev()).toEqual([['a', 1, undefined], ['a', 2, undefined]]);
  });
});

describe('CachingKeyValueStore, cache.max.bytes.buffering > 0', () => {
  it('coalesces updates per key until commit, then emits once per key in first-dirtied order', async () => {
    const c = cached(1 << 20);
    c.put('b', 1);
    c.put('a', 1);
    c.put('b', 2);
    c.put('a', 5);
    expect(c.get('b')).toBe(2);
    expect(events).toEqual([]);
    expect(inner.get('b')).toBeUndefined(); // not yet written below the cache
    await task.commit(new Map([['in:0', 4]]));
    expect(ev()).toEqual([['b', 2, undefined], ['a', 5, undefined]]);
    c.put('a', 6);
    c.put('a', 7);
    await task.commit(new Map([['in:0', 6]]));
    expect(ev().slice(2)).toEqual([['a', 7, 5]]); // old value = what was last emitted
    await task.close();
    const again = await backend.openTask('q', '0');
    expect(again.keyValueStore('agg', kvOpts).get('a')).toBe(7); // the flush was part of the commit
  });

  it('a key created and deleted between flushes emits nothing; deleting a stored key emits a retraction', async () => {
    const c = cached(1 << 20);
    c.put('tmp', 1);
    c.delete('tmp');
    c.put('keep', 1);
    c.flush();
    expect(ev()).toEqual([['keep', 1, undefined]]);
    c.delete('keep');
    expect(c.get('keep')).toBeUndefined();
    c.flush();
    expect(ev()).toEqual([['keep', 1, undefined], ['keep', undefined, 1]]);
    expect(inner.get('keep')).toBeUndefined();
  });

  it('when full, flushes all dirty entries, then evicts by second chance (approximate LRU)', () => {
    const innerReads: string[] = [];
    const spy: KeyValueStore<string, number> = Object.assign(Object.create(inner) as KeyValueStore<string, number>, {
      get: (k: string) => { innerReads.push(k); return inner.get(k); },
    });
    const c = cachingKeyValueStore(task, spy, { maxBytes: 300, keySerializer, sizeOf: () => 100, onFlush: (e) => events.push(e) });
    c.put('a', 1);
    c.put('b', 1);
    c.put('c', 1);
    c.put('a', 2); // updated in place: 'a' is marked recently used
    expect(events).toEqual([]);
    c.put('d', 1); // 4th entry: 'a' gets a second chance, 'b' is dirty → flush all (first-dirtied order), evict 'b'
    expect(ev()).toEqual([['a', 2, undefined], ['b', 1, undefined], ['c', 1, undefined], ['d', 1, undefined]]);
    expect(c.cachedBytes).toBe(300);
    events = [];
    c.get('c'); // hit: 'c' is recently used; queue is now c, d, a
    c.put('e', 1); // 'c' gets a second chance, 'd' (clean) is evicted without any emission
    expect(events).toEqual([]);
    innerReads.length = 0;
    for (const k of ['a', 'c', 'e']) c.get(k);
    expect(innerReads).toEqual([]); // all cached
    expect(c.get('d')).toBe(1);
    expect(innerReads).toEqual(['d']); // evicted: read through
    expect(c.get('b')).toBe(1);
  });

  it('emits far fewer updates than cache 0 for a hot key, with the same final state', async () => {
    const updates = Array.from({ length: 1000 }, (_, i) => [`k${i % 10}`, i] as const);
    const c = cached(1 << 20);
    for (const [k, v] of updates) c.put(k, v);
    await task.commit(new Map());
    expect(events.length).toBe(10);
    const final = new Map(updates.map(([k, v]) => [k, v]));
    for (const [k, v] of final) expect(inner.get(k)).toBe(v);
  });

  it('range and all merge dirty entries over the inner store', async () => {
    const c = cached(1 << 20);
    for (const k of ['a', 'c', 'e']) inner.put(k, 0);
    await task.commit(new Map());
    c.put('b', 1);
    c.put('c', 2);
    c.delete('e');
    expect([...c.all()]).toEqual([['a', 0], ['b', 1], ['c', 2]]);
    expect([...c.range('b', 'd')]).toEqual([['b', 1], ['c', 2]]);
    expect(c.approximateCount()).toBe(5); // documented over-count: inner 3 + dirty puts 2
  });
});
