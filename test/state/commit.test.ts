import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRocksStateBackend, type RocksStateBackend } from '../../engine/state/backend.js';
import { orderedKeySerializer, valueSerializer } from '../../engine/state/codec.js';
import { tempDir } from './helpers.js';

const kvOpts = { keySerializer: orderedKeySerializer<string>(), valueSerializer: valueSerializer<number>() };
const wOpts = { ...kvOpts, retentionMs: 1000 };

let dir: string, cleanup: () => Promise<void>, backend: RocksStateBackend;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  backend = createRocksStateBackend(dir);
});
afterEach(async () => {
  await backend.close();
  await cleanup();
});

describe('TaskState.commit', () => {
  it('makes state, offsets and metadata durable together; uncommitted writes vanish on reopen', async () => {
    const t1 = await backend.openTask('q', '0');
    expect(t1.committedOffsets().size).toBe(0);
    expect(t1.committedMetadata()).toEqual({});
    const kv = t1.keyValueStore('kv', kvOpts);
    const ws = t1.windowStore('w', wOpts);
    const ss = t1.sessionStore('s', wOpts);
    kv.put('a', 1); ws.put('a', 0, 1); ss.put('a', { start: 0, end: 1 }, 1);
    await t1.commit(new Map([['in:0', 10]]), { streamTime: 1000 });
    kv.put('a', 2); ws.put('a', 0, 2); ss.put('a', { start: 0, end: 1 }, 2); kv.put('b', 2);
    await t1.close(); // no commit: the second batch of writes is discarded

    const t2 = await backend.openTask('q', '0');
    expect(t2.committedOffsets()).toEqual(new Map([['in:0', 10]]));
    expect(t2.committedMetadata()).toEqual({ streamTime: 1000 });
    expect(t2.keyValueStore('kv', kvOpts).get('a')).toBe(1);
    expect(t2.keyValueStore('kv', kvOpts).get('b')).toBeUndefined();
    expect(t2.windowStore('w', wOpts).fetch('a', 0)).toBe(1);
    expect([...t2.sessionStore('s', wOpts).fetchAll()]).toEqual([['a', { start: 0, end: 1 }, 1]]);
  });

  it('merges offsets and replaces metadata only when given', async () => {
    const t = await backend.openTask('q', '0');
    await t.commit(new Map([['a:0', 1], ['b:0', 5]]), { x: 1, big: 2n ** 70n });
    await t.commit(new Map([['a:0', 2]]));
    expect(t.committedOffsets()).toEqual(new Map([['a:0', 2], ['b:0', 5]]));
    expect(t.committedMetadata()).toEqual({ x: 1, big: 2n ** 70n });
    await t.commit(new Map(), { y: 'z' });
    await t.close();
    const again = await backend.openTask('q', '0');
    expect(again.committedOffsets()).toEqual(new Map([['a:0', 2], ['b:0', 5]]));
    expect(again.committedMetadata()).toEqual({ y: 'z' });
  });

  it('a failed commit writes nothing and keeps the pending writes for the next one', async () => {
    const t = await backend.openTask('q', '0');
    const kv = t.keyValueStore('kv', kvOpts);
    kv.put('a', 1);
    await expect(t.commit(new Map([['in:0', -1]]))).rejects.toThrow(/Invalid offset/);
    await expect(t.commit(new Map(), { bad: new Date() })).rejects.toThrow(TypeError);
    expect(kv.get('a')).toBe(1);
    await t.commit(new Map([['in:0', 3]]));
    await t.close();
    const again = await backend.openTask('q', '0');
    expect(again.keyValueStore('kv', kvOpts).get('a')).toBe(1);
    expect(again.committedOffsets().get('in:0')).toBe(3);
  });

  it('pendingBytes grows with writes and drops to zero at commit', async () => {
    const t = await backend.openTask('q', '0');
    const kv = t.keyValueStore('kv', kvOpts);
    expect(t.pendingBytes()).toBe(0);
    for (let i = 0; i < 100; i++) kv.put(`k${i}`, i);
    const grown = t.pendingBytes();
    expect(grown).toBeGreaterThan(100 * 10);
    kv.put('k1', 5); // overwrite: no new entry
    expect(t.pendingBytes()).toBeLessThan(grown + 10);
    await t.commit(new Map());
    expect(t.pendingBytes()).toBe(0);
  });

  it('an uncommitted store leaves no registry entry; store ids never mix data', async () => {
    const t1 = await backend.openTask('q', '0');
    t1.keyValueStore('ghost', kvOpts).put('x', 1);
    await t1.close();
    const t2 = await backend.openTask('q', '0');
    const real = t2.keyValueStore('real', kvOpts); // may reuse the ghost's id: no data was committed
    expect([...real.all()]).toEqual([]);
    real.put('y', 2);
    await t2.commit(new Map());
    await t2.close();
    const t3 = await backend.openTask('q', '0');
    expect([...t3.keyValueStore('ghost', kvOpts).all()]).toEqual([]);
    expect([...t3.keyValueStore('real', kvOpts).all()]).toEqual([['y', 2]]);
    expect(() => t3.sessionStore('real', wOpts)).toThrow(/kv/);
  });

  it('runs beforeCommit hooks until they settle, before collecting writes', async () => {
    const t = await backend.openTask('q', '0');
    const kv = t.keyValueStore('kv', kvOpts);
    const calls: string[] = [];
    let downstreamDirty = false;
    t.beforeCommit(() => { calls.push('down'); const d = downstreamDirty; downstreamDirty = false; if (d) kv.put('down', 1); return d; });
    let upstreamDirty = true;
    t.beforeCommit(() => { calls.push('up'); const d = upstreamDirty; upstreamDirty = false; if (d) { kv.put('up', 1); downstreamDirty = true; } return d; });
    t.flushCaches(); // e.g. before making sink output durable
    expect(calls).toEqual(['down', 'up', 'down', 'up', 'down', 'up']);
    await t.commit(new Map());
    expect(calls.length).toBe(8); // one more settled round, nothing left to flush
    await t.close();
    const again = await backend.openTask('q', '0');
    expect([...again.keyValueStore('kv', kvOpts).all()].map(([k]) => k)).toEqual(['down', 'up']);
  });
});

describe('RocksStateBackend', () => {
  it('lays tasks out under <dataDir>/state/<queryId>/<taskId> with safe path segments', async () => {
    const t = await backend.openTask('CTAS_X_1', '0_3');
    await t.commit(new Map([['a:0', 1]]));
    expect(existsSync(join(dir, 'state', 'CTAS_X_1', '0_3', 'CURRENT'))).toBe(true);
    const odd = await backend.openTask('../evil', '..');
    await odd.commit(new Map([['a:0', 1]]));
    expect(existsSync(join(dir, 'state', '..%2Fevil', '%2E%2E'))).toBe(true);
  });

  it('refuses to open a task twice, allows it again after close', async () => {
    const t = await backend.openTask('q', '0');
    await expect(backend.openTask('q', '0')).rejects.toThrow(/already open/);
    await t.close();
    const again = await backend.openTask('q', '0');
    await again.close();
  });

  it('destroyQuery closes and removes every task of the query only', async () => {
    const a = await backend.openTask('q', '0');
    const b = await backend.openTask('q', '1');
    const other = await backend.openTask('q2', '0');
    for (const t of [a, b, other]) { t.keyValueStore('kv', kvOpts).put('k', 1); await t.commit(new Map([['x:0', 1]])); }
    await backend.destroyQuery('q');
    expect(existsSync(join(dir, 'state', 'q'))).toBe(false);
    expect(() => a.keyValueStore('kv', kvOpts)).toThrow(/closed/);
    expect(other.keyValueStore('kv', kvOpts).get('k')).toBe(1);
    const fresh = await backend.openTask('q', '0');
    expect(fresh.committedOffsets().size).toBe(0);
  });

  it('TaskState.destroy removes the task directory', async () => {
    const t = await backend.openTask('q', '7');
    await t.commit(new Map([['x:0', 1]]));
    await t.destroy();
    expect(existsSync(join(dir, 'state', 'q', '7'))).toBe(false);
  });
});
