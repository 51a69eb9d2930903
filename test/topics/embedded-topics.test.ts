/** Disk-specific behaviour of EmbeddedTopics: segments, retention, compaction, restart, recovery. */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedTopics, parseFsyncPolicy, type FsyncPolicy, type ProducedRecord } from '../../engine/topics/index.js';

const rec = (k: string | null, v: string | null, ts = Date.now()): ProducedRecord => ({ key: k === null ? null : Buffer.from(k), value: v === null ? null : Buffer.from(v), timestamp: ts, headers: [] });
const dirs: string[] = [];
const tmp = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-emb-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const partDir = (dir: string, topic: string, p = 0): string => path.join(dir, 'topics', topic, String(p));
const logFiles = (dir: string, topic: string): string[] => fs.readdirSync(partDir(dir, topic)).filter((f) => f.endsWith('.log')).sort();

describe('EmbeddedTopics on disk', () => {
  it('rolls segments, writes indexes and keeps everything across restarts', async () => {
    const dir = tmp();
    let t = await EmbeddedTopics.open({ dir, maintenanceIntervalMs: 0, fsync: 'never' });
    await t.createTopic('s', { partitions: 2, replicas: 1, configs: { 'segment.bytes': '2000', 'index.interval.bytes': '200' } });
    for (let i = 0; i < 200; i++) await t.append('s', i % 2, [rec(`k${i}`, `v${i}`.padEnd(60, '.'), 1000 + i)]);
    await t.commitOffsets('grp', new Map([['s:0', 42]]));
    expect(logFiles(dir, 's').length).toBeGreaterThan(3);
    expect(fs.statSync(path.join(partDir(dir, 's'), logFiles(dir, 's')[0]!.replace('.log', '.index'))).size).toBeGreaterThan(0);
    await t.close();
    t = await EmbeddedTopics.open({ dir, maintenanceIntervalMs: 0 });
    expect((await t.describeTopic('s'))?.configs['segment.bytes']).toBe('2000');
    expect(await t.endOffset('s', 0)).toBe(100);
    const all = await t.read('s', 0, 0, 1000);
    expect(all.map((r) => r.value!.toString().replace(/\.+$/, ''))).toEqual(Array.from({ length: 100 }, (_, i) => `v${i * 2}`));
    expect((await t.read('s', 1, 77, 2)).map((r) => r.key!.toString())).toEqual(['k155', 'k157']);
    expect(await t.offsetForTime('s', 0, 1100)).toBe(50);
    expect(await t.fetchOffsets('grp')).toEqual(new Map([['s:0', 42]]));
    // indexes deleted: rebuilt on open
    for (const f of fs.readdirSync(partDir(dir, 's'))) if (f.endsWith('index')) fs.rmSync(path.join(partDir(dir, 's'), f));
    await t.close();
    t = await EmbeddedTopics.open({ dir, maintenanceIntervalMs: 0 });
    expect((await t.read('s', 0, 61, 1))[0]!.value!.toString()).toMatch(/^v122\./);
    expect(await t.offsetForTime('s', 0, 1101)).toBe(51);
    await t.close();
  });

  it('deletes segments by retention.ms and retention.bytes', async () => {
    const dir = tmp();
    let now = 1_000_000;
    const t = await EmbeddedTopics.open({ dir, maintenanceIntervalMs: 0, fsync: 'never', now: () => now });
    await t.createTopic('r', { partitions: 1, replicas: 1, configs: { 'segment.bytes': '1000', 'retention.ms': '10000' } });
    for (let i = 0; i < 50; i++) await t.append('r', 0, [rec('k', 'x'.repeat(100), now - 20000 + i * 100)]);
    for (let i = 0; i < 10; i++) await t.append('r', 0, [rec('k', 'x'.repeat(100), now)]);
    await t.maintenance();
    const start = await t.startOffset('r', 0);
    expect(start).toBeGreaterThan(40);
    expect(start).toBeLessThanOrEqual(50);
    expect((await t.read('r', 0, 0, 1))[0]!.offset).toBe(start);
    now += 20000;
    await t.maintenance();
    expect(await t.startOffset('r', 0)).toBe(60);
    expect(await t.endOffset('r', 0)).toBe(60);
    await t.append('r', 0, [rec('k', 'new', now)]);
    expect((await t.read('r', 0, 0, 10)).map((r) => r.offset)).toEqual([60]);

    await t.createTopic('rb', { partitions: 1, replicas: 1, configs: { 'segment.bytes': '1000', 'retention.bytes': '3000' } });
    for (let i = 0; i < 100; i++) await t.append('rb', 0, [rec('k', 'x'.repeat(100), now)]);
    await t.maintenance();
    const size = fs.readdirSync(partDir(dir, 'rb')).filter((f) => f.endsWith('.log')).reduce((n, f) => n + fs.statSync(path.join(partDir(dir, 'rb'), f)).size, 0);
    expect(size).toBeLessThan(3000 + 1000);
    expect(await t.startOffset('rb', 0)).toBeGreaterThan(60);
    await t.close();
  });

  it('compacts closed segments: latest value per key, tombstones after delete.retention.ms', async () => {
    const dir = tmp();
    let now = 10_000_000;
    const t = await EmbeddedTopics.open({ dir, maintenanceIntervalMs: 0, fsync: 'never', now: () => now });
    await t.createTopic('c', { partitions: 1, replicas: 1, configs: { 'cleanup.policy': 'compact', 'segment.bytes': '500', 'delete.retention.ms': '1000' } });
    for (let round = 0; round < 5; round++) for (let k = 0; k < 10; k++) await t.append('c', 0, [rec(`key${k}`, `r${round}`, now)]);
    await t.append('c', 0, [rec('key3', null, now)]); // tombstone
    await t.append('c', 0, [rec('key9', 'final', now)]);
    t.roll('c', 0);
    await t.append('c', 0, [rec('other', 'tail', now)]);
    const before = await t.read('c', 0, 0, 1000);
    expect(before.length).toBe(53);
    await t.maintenance();
    const after = await t.read('c', 0, 0, 1000);
    const latest = new Map<string, string | null>();
    for (const r of before) latest.set(r.key!.toString(), r.value?.toString() ?? null);
    expect(after.length).toBe(latest.size);
    for (const r of after) expect(r.value?.toString() ?? null).toBe(latest.get(r.key!.toString()));
    expect(after.map((r) => r.offset)).toEqual([...after.map((r) => r.offset)].sort((a, b) => a - b));
    expect(after.find((r) => r.key!.toString() === 'key3')?.value).toBeNull();
    expect(await t.endOffset('c', 0)).toBe(53);
    // offsets are kept: reading from a removed offset lands on the next kept one
    expect((await t.read('c', 0, 1, 1))[0]!.offset).toBeGreaterThan(1);
    now += 5000;
    await t.maintenance();
    expect((await t.read('c', 0, 0, 1000)).some((r) => r.key!.toString() === 'key3')).toBe(false);
    await t.close();
    const again = await EmbeddedTopics.open({ dir, maintenanceIntervalMs: 0 });
    expect((await again.read('c', 0, 0, 1000)).length).toBe(latest.size - 1);
    await again.close();
  });

  it.each<[string, FsyncPolicy]>([
    ['never', 'never'],
    ['interval', { intervalMs: 20 }],
    ['messages', { messages: 3 }],
  ])('accepts the %s fsync policy and persists across a clean restart', async (_n, fsync) => {
    const dir = tmp();
    let t = await EmbeddedTopics.open({ dir, maintenanceIntervalMs: 0, fsync });
    await t.createTopic('p', { partitions: 1, replicas: 1 });
    for (let i = 0; i < 10; i++) await t.append('p', 0, [rec(`k${i}`, `v${i}`)]);
    await new Promise((r) => setTimeout(r, 50));
    await t.close();
    t = await EmbeddedTopics.open({ dir, maintenanceIntervalMs: 0 });
    expect((await t.read('p', 0, 0, 100)).length).toBe(10);
    await t.close();
    expect(parseFsyncPolicy('interval:100')).toEqual({ intervalMs: 100 });
    expect(parseFsyncPolicy('messages=5')).toEqual({ messages: 5 });
    expect(parseFsyncPolicy('always')).toBe('always');
  });

  it('truncates a torn or corrupt tail on open', async () => {
    const dir = tmp();
    let t = await EmbeddedTopics.open({ dir, maintenanceIntervalMs: 0 });
    await t.createTopic('torn', { partitions: 1, replicas: 1 });
    for (let i = 0; i < 10; i++) await t.append('torn', 0, [rec(`k${i}`, `v${i}`)]);
    await t.close();
    const file = path.join(partDir(dir, 'torn'), logFiles(dir, 'torn')[0]!);
    const good = fs.readFileSync(file);
    // a partial batch after the good ones, as a crash mid-write leaves it (no clean-shutdown marker)
    fs.rmSync(path.join(partDir(dir, 'torn'), '.clean'), { force: true });
    fs.writeFileSync(file, Buffer.concat([good, good.subarray(0, 30)]));
    t = await EmbeddedTopics.open({ dir, maintenanceIntervalMs: 0 });
    expect(await t.endOffset('torn', 0)).toBe(10);
    expect(fs.statSync(file).size).toBe(good.length);
    expect(await t.append('torn', 0, [rec('k10', 'v10')])).toBe(10);
    await t.close();
    // a CRC-failing last batch is cut too
    const withTail = fs.readFileSync(file);
    const bad = Buffer.from(withTail);
    bad[bad.length - 2] ^= 0x55;
    fs.writeFileSync(file, bad);
    fs.rmSync(path.join(partDir(dir, 'torn'), '.clean'), { force: true });
    t = await EmbeddedTopics.open({ dir, maintenanceIntervalMs: 0 });
    expect(await t.endOffset('torn', 0)).toBe(10);
    expect((await t.read('torn', 0, 0, 100)).map((r) => r.value!.toString())).toEqual(Array.from({ length: 10 }, (_, i) => `v${i}`));
    await t.close();
  });

  it('loses no acknowledged record when the writer is SIGKILLed under load', async () => {
    const dir = tmp();
    const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'crash-writer.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', script, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acks: { offset: number; first: number; n: number }[] = [];
    let buffered = '';
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', () => resolve());
      child.stdout.on('data', (d: Buffer) => {
        buffered += d.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const l of lines) {
          const m = /^ack (\d+) (\d+) (\d+)$/.exec(l);
          if (m) acks.push({ offset: Number(m[1]), first: Number(m[2]), n: Number(m[3]) });
          if (acks.length >= 300 && child.exitCode === null && !child.killed) child.kill('SIGKILL');
        }
      });
      setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
    });
    expect(acks.length).toBeGreaterThanOrEqual(300);
    const t = await EmbeddedTopics.open({ dir, maintenanceIntervalMs: 0 });
    const records = await t.read('crash', 0, 0, 1_000_000);
    const byOffset = new Map(records.map((r) => [r.offset, r.value!.toString()]));
    for (const a of acks) {
      for (let i = 0; i < a.n; i++) expect(byOffset.get(a.offset + i)?.startsWith(`seq-${a.first + i}-`)).toBe(true);
    }
    // contiguous offsets and, within each append, consecutive sequence numbers
    expect(records.map((r) => r.offset)).toEqual(records.map((_, i) => i));
    expect(records.length).toBeGreaterThanOrEqual(acks.reduce((n, a) => n + a.n, 0));
    await t.close();
  });
});
