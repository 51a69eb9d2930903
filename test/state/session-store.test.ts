import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRocksStateBackend, type RocksStateBackend } from '../../engine/state/backend.js';
import { orderedKeySerializer, valueSerializer } from '../../engine/state/codec.js';
import type { SessionStore, TaskState } from '../../engine/state/stores.js';
import { tempDir } from './helpers.js';

const opts = { keySerializer: orderedKeySerializer<string>(), valueSerializer: valueSerializer<number>(), retentionMs: 1000 };

let dir: string, cleanup: () => Promise<void>, backend: RocksStateBackend, task: TaskState, ss: SessionStore<string, number>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  backend = createRocksStateBackend(dir, { syncCommits: false });
  task = await backend.openTask('q', '0');
  storeName = 's';
  ss = task.sessionStore(storeName, opts);
});
afterEach(async () => {
  await backend.close();
  await cleanup();
});

let storeName = 's', run = 0;
async function reopen(): Promise<void> {
  await task.close();
  task = await backend.openTask('q', '0');
  ss = task.sessionStore(storeName, opts);
}

describe('RocksSessionStore', () => {
  it('findSessions returns sessions with end ≥ earliestEnd and start ≤ latestStart, by end', async () => {
    ss.put('a', { start: 0, end: 10 }, 1);
    ss.put('a', { start: 20, end: 25 }, 2);
    ss.put('a', { start: 40, end: 40 }, 3);
    ss.put('b', { start: 0, end: 100 }, 4);
    await task.commit(new Map());
    ss.put('a', { start: 12, end: 15 }, 5);
    // a session-merge lookup for a record at t=18 with a 5ms gap: end ≥ 13, start ≤ 23
    expect([...ss.findSessions('a', 13, 23)]).toEqual([[{ start: 12, end: 15 }, 5], [{ start: 20, end: 25 }, 2]]);
    expect([...ss.findSessions('a', 0, Number.MAX_SAFE_INTEGER)].map(([w]) => w.end)).toEqual([10, 15, 25, 40]);
    expect([...ss.findSessions('b', 100, 0)]).toEqual([[{ start: 0, end: 100 }, 4]]);
    expect([...ss.findSessions('c', 0, 100)]).toEqual([]);
  });

  it('merging sessions: remove the old windows and put the merged one', async () => {
    ss.put('a', { start: 0, end: 10 }, 1);
    ss.put('a', { start: 14, end: 20 }, 2);
    await task.commit(new Map());
    for (const [w] of [...ss.findSessions('a', 8, 16)]) ss.remove('a', w);
    ss.put('a', { start: 0, end: 20 }, 3);
    expect([...ss.fetchAll()]).toEqual([['a', { start: 0, end: 20 }, 3]]);
    await task.commit(new Map());
    await reopen();
    expect([...ss.fetchAll()]).toEqual([['a', { start: 0, end: 20 }, 3]]);
  });

  it('expireBefore drops sessions that ENDED before the time', async () => {
    ss.put('a', { start: 0, end: 10 }, 1);
    ss.put('a', { start: 5, end: 50 }, 2);
    ss.put('b', { start: 30, end: 30 }, 3);
    await task.commit(new Map());
    ss.expireBefore(30);
    expect([...ss.fetchAll()].map(([k, w]) => [k, w.end])).toEqual([['a', 50], ['b', 30]]);
    await task.commit(new Map());
    await reopen();
    expect([...ss.fetchAll()].length).toBe(2);
    ss.expireBefore(31);
    expect([...ss.fetchAll()].map(([k]) => k)).toEqual(['a']);
  });

  it('rejects invalid windows', () => {
    expect(() => ss.put('a', { start: 10, end: 5 }, 1)).toThrow(RangeError);
    expect(() => ss.put('a', { start: 0.5, end: 5 }, 1)).toThrow(RangeError);
  });

  it('matches a model under random puts, removes, expiry, commits and reopens', async () => {
    type Op = { t: 'put' | 'remove'; k: string; s: number; len: number; v: number } | { t: 'expire'; e: number } | { t: 'commit' } | { t: 'reopen' };
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      { weight: 24, arbitrary: fc.record({ t: fc.constantFrom('put' as const, 'put' as const, 'remove' as const), k: fc.constantFrom('a', 'b', 'ab'), s: fc.integer({ min: 0, max: 30 }), len: fc.integer({ min: 0, max: 5 }), v: fc.integer() }) },
      { weight: 3, arbitrary: fc.record({ t: fc.constant('expire' as const), e: fc.integer({ min: 0, max: 35 }) }) },
      { weight: 3, arbitrary: fc.constant({ t: 'commit' as const }) },
      { weight: 1, arbitrary: fc.constant({ t: 'reopen' as const }) },
    );
    const arb = fc.tuple(fc.array(opArb, { minLength: 5, maxLength: 60, size: 'max' }), fc.integer({ min: 0, max: 35 }), fc.integer({ min: 0, max: 35 }));
    await fc.assert(fc.asyncProperty(arb, async ([ops, earliestEnd, latestStart]) => {
      storeName = `m${run++}`; // fresh store per run: RocksDB open costs ~50 ms, so reopen is rare
      ss = task.sessionStore(storeName, opts);
      type Row = [string, number, number, number]; // key, end, start, value
      let live = new Map<string, Row>();
      let committed = new Map<string, Row>();
      for (const o of ops) {
        if (o.t === 'put' || o.t === 'remove') {
          const w = { start: o.s, end: o.s + o.len };
          const id = JSON.stringify([o.k, w.end, w.start]);
          if (o.t === 'put') { ss.put(o.k, w, o.v); live.set(id, [o.k, w.end, w.start, o.v]); } else { ss.remove(o.k, w); live.delete(id); }
        }
        if (o.t === 'expire') { ss.expireBefore(o.e); for (const [id, r] of [...live]) if (r[1] < o.e) live.delete(id); }
        if (o.t === 'commit') { await task.commit(new Map()); committed = new Map(live); }
        if (o.t === 'reopen') { await reopen(); live = new Map(committed); }
      }
      const cmp = (a: Row, b: Row) => (a[0].length - b[0].length) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0) || a[1] - b[1] || a[2] - b[2];
      const want = [...live.values()].sort(cmp);
      expect([...ss.fetchAll()].map(([k, w, v]) => [k, w.end, w.start, v])).toEqual(want); // (len, key, end, start) order
      for (const k of ['a', 'b', 'ab']) {
        expect([...ss.findSessions(k, earliestEnd, latestStart)].map(([w, v]) => [k, w.end, w.start, v]))
          .toEqual(want.filter((r) => r[0] === k && r[1] >= earliestEnd && r[2] <= latestStart));
      }
    }), { numRuns: 40 });
  });
});
