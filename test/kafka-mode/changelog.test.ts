/**
 * Changelog topics: task state written through a `ChangelogStateBackend` is restored on another
 * "instance" (a fresh local state directory) from the changelog topics on the cluster, and a
 * restart with local state reads only the changelog tail past its checkpoint.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaTopics, MemoryTopics } from '../../engine/topics/index.js';
import { KafkaListener } from '../../server/kafka/index.js';
import { createRocksStateBackend } from '../../engine/state/backend.js';
import { orderedKeySerializer, valueSerializer } from '../../engine/state/codec.js';
import { ChangelogStateBackend, changelogTopic } from '../../engine/topics/kafka/changelog-state.js';
import { tempDir } from '../state/helpers.js';

const kv = { keySerializer: orderedKeySerializer<string>(), valueSerializer: valueSerializer<number>() };
const win = { ...kv, retentionMs: 1_000_000 };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function cluster(): Promise<string> {
  const log = new MemoryTopics();
  const l = await KafkaListener.start({ topics: log, host: '127.0.0.1', port: 0 });
  cleanups.push(async () => { await l.close(); await log.close(); });
  return l.bootstrap;
}

async function instance(bootstrap: string) {
  const topics = await KafkaTopics.connect({ brokers: bootstrap });
  const { dir, cleanup } = await tempDir();
  const local = createRocksStateBackend(dir, { syncCommits: false });
  const backend = new ChangelogStateBackend(local, { topics, serviceId: 'svc_', partitions: () => 2 });
  cleanups.push(async () => { await backend.close(); await topics.close(); await cleanup(); });
  return { topics, backend };
}

describe('ChangelogStateBackend', () => {
  it('restores key-value, window and session stores on an instance without local state', async () => {
    const bootstrap = await cluster();
    const a = await instance(bootstrap);
    const t = await a.backend.openTask('CTAS_T_0', '1');
    const counts = t.keyValueStore('Aggregate-Materialize', kv);
    counts.put('a', 1); counts.put('b', 2); counts.put('a', 3); counts.put('gone', 9); counts.delete('gone');
    t.windowStore('W', win).put('a', 1000, 7);
    t.sessionStore('S', win).put('a', { start: 5, end: 10 }, 4);
    await t.commit(new Map([['src:1', 42]]), { streamTime: 1234 });
    counts.put('b', 5); // not committed: never reaches the changelog
    await t.close();

    const topic = changelogTopic('svc_', 'CTAS_T_0', 'Aggregate-Materialize');
    expect(topic).toBe('_confluent-ksql-svc_query_CTAS_T_0-Aggregate-Materialize-changelog');
    const desc = (await a.topics.describeTopic(topic))!;
    expect(desc.partitions).toBe(2);
    expect(desc.configs['cleanup.policy']).toBe('compact');
    expect(await a.topics.fetchOffsets('_confluent-ksql-svc_query_CTAS_T_0')).toEqual(new Map([['src:1', 42]]));

    const b = await instance(bootstrap); // another machine: empty local state
    const r = await b.backend.openTask('CTAS_T_0', '1');
    expect(r.committedOffsets().size).toBe(0); // the runner falls back to the group's offsets
    const restored = r.keyValueStore('Aggregate-Materialize', kv);
    expect([...restored.all()]).toEqual([['a', 3], ['b', 2]]);
    expect(r.windowStore('W', win).fetch('a', 1000)).toBe(7);
    expect([...r.sessionStore('S', win).fetchAll()]).toEqual([['a', { start: 5, end: 10 }, 4]]);
    restored.put('c', 1);
    await r.commit(new Map([['src:1', 50]]));
    await r.close();

    // Back on the first instance: its local state is behind; it reads only the tail it missed.
    const again = await a.backend.openTask('CTAS_T_0', '1');
    expect([...again.keyValueStore('Aggregate-Materialize', kv).all()]).toEqual([['a', 3], ['b', 2], ['c', 1]]);
    expect(again.committedMetadata()).toEqual({ streamTime: 1234 });
    await again.close();
  });
});
