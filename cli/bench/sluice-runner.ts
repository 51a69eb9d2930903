/**
 * Runs one Sluice workload (W1–W4) on a target (the in-process server on the embedded log, or an
 * engine in Kafka mode) and times it from the CREATE … AS SELECT until the output is complete:
 * streams when the expected record count is there, tables when the output has stopped changing
 * and its final values match. Only then is the output read back and verified.
 */
import { performance } from 'node:perf_hooks';
import type { Engine, Topics } from '../../engine/index.js';
import { forEachUser, pageviews, type DataSpec } from './data.js';
import { sameDigest, type Digest, type OutRecord, type SluiceWorkload } from './workloads.js';

type ProducedRecord = Parameters<Topics['append']>[2][number];

/** A statement the target rejected; `notSupported` when the feature has not landed. */
export class StatementError extends Error {
  constructor(message: string, readonly notSupported: boolean) {
    super(message);
  }
}

export function isNotSupported(message: string): boolean {
  return /not supported|not yet supported|not implemented/i.test(message);
}

export interface SluiceTarget {
  readonly topics: Topics;
  readonly engine: Engine;
  execute(sql: string, properties?: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export interface RunMeasure {
  readonly elapsedMs: number;
  readonly eventsPerSec: number;
  readonly outputRecords: number;
  readonly digest: Digest;
  readonly expected: Digest;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Appends the pageviews (and users) topics straight into the target's log, one batch at a time, so
 * the generated records are garbage before the query starts (they would otherwise sit in its RSS).
 */
export async function preload(topics: Topics, spec: DataSpec, users: boolean): Promise<void> {
  await topics.createTopic('pageviews', { partitions: 1, replicas: 1 });
  let batch: ProducedRecord[] = [];
  for (const pv of pageviews(spec)) {
    batch.push({ key: Buffer.from(pv.userid), value: Buffer.from(pv.json), timestamp: pv.viewtime, headers: [] });
    if (batch.length === 2000) { await topics.append('pageviews', 0, batch); batch = []; }
  }
  if (batch.length) await topics.append('pageviews', 0, batch);
  if (!users) return;
  await topics.createTopic('users', { partitions: 1, replicas: 1 });
  const rows: ProducedRecord[] = [];
  // Table rows are older than every pageview, so a join sees the whole table first.
  forEachUser(spec, (u) => rows.push({ key: Buffer.from(u.userid), value: Buffer.from(u.json), timestamp: 1_600_000_000_000, headers: [] }));
  for (let i = 0; i < rows.length; i += 2000) await topics.append('users', 0, rows.slice(i, i + 2000));
}

export async function readAll(topics: Topics, topic: string): Promise<OutRecord[]> {
  const out: OutRecord[] = [];
  const end = await topics.endOffset(topic, 0);
  let offset = await topics.startOffset(topic, 0);
  while (offset < end) {
    const rs = await topics.read(topic, 0, offset, 20_000);
    if (rs.length === 0) break;
    for (const r of rs) out.push({ key: r.key, value: r.value });
    offset = rs[rs.length - 1]!.offset + 1;
  }
  return out;
}

export interface WaitOptions {
  /** How long a table's output must be unchanged before it is read and verified. */
  readonly quietMs: number;
  /** Fail when the output has not grown for this long. */
  readonly stallMs: number;
  readonly pollMs?: number;
}

function queryError(engine: Engine): string | undefined {
  for (const q of engine.queries.values()) {
    if (q.state === 'ERROR') {
      const last = engine.processingLog.recent().filter((e) => e.queryId === q.id).at(-1);
      return `query ${q.id} is in ERROR${last ? `: ${last.message}` : ''}`;
    }
  }
  return undefined;
}

/** Runs `w` once into `sink`; throws StatementError when the statement is rejected. */
export async function runWorkload(target: SluiceTarget, w: SluiceWorkload, spec: DataSpec, sink: string, expected: Digest, wait: WaitOptions): Promise<RunMeasure> {
  const { topics } = target;
  const pollMs = wait.pollMs ?? 5;
  const t0 = performance.now();
  await target.execute(w.query(sink), { 'auto.offset.reset': 'earliest' });
  let seen = -1;
  let lastChange = t0;
  let verifiedAt = -1;
  for (;;) {
    const end = await topics.endOffset(sink, 0).catch(() => 0);
    const now = performance.now();
    if (end !== seen) { seen = end; lastChange = now; }
    const err = queryError(target.engine);
    if (err) throw new Error(err);
    if (w.output === 'stream' && end >= expected.count) {
      // Complete: wait a little to catch duplicates past the expected count, then verify.
      await sleep(wait.quietMs);
      break;
    }
    if (w.output === 'table' && end > 0 && now - lastChange >= wait.quietMs && verifiedAt !== seen) {
      verifiedAt = seen;
      const d = w.digest(await readAll(topics, sink));
      if (sameDigest(d, expected)) break;
    }
    if (now - lastChange > wait.stallMs) {
      const d = w.digest(await readAll(topics, sink));
      throw new Error(`${w.id}: output stalled at ${seen} records for ${wait.stallMs} ms (digest ${d.count}/${d.checksum}, expected ${expected.count}/${expected.checksum})`);
    }
    await sleep(pollMs);
  }
  const elapsedMs = lastChange - t0;
  const records = await readAll(topics, sink);
  const digest = w.digest(records);
  if (!sameDigest(digest, expected)) {
    throw new Error(`${w.id}: verification failed: got ${digest.count} rows / checksum ${digest.checksum}, expected ${expected.count} / ${expected.checksum} (${records.length} output records)`);
  }
  return { elapsedMs, eventsPerSec: spec.records / (elapsedMs / 1000), outputRecords: records.length, digest, expected };
}
