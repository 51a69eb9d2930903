/**
 * The baselines, run in the same harness on the same records:
 *   B1  a bare loop: JSON.parse → W1's filter/projection → JSON.stringify over the records' bytes
 *   B2  a bare kafkajs consume → produce copy of the pageviews topic through the listener
 *   B3  DuckDB running W2's aggregate over the same records loaded as a table
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import kafkajs from 'kafkajs';
import { forEachPageview, type DataSpec } from './data.js';
import { NotAvailable } from './targets.js';
import {
  W1, copyDigest, sameDigest, w1Passes, w2Aggregate, w2Digest, type Digest, type OutRecord,
} from './workloads.js';

// kafkajs is CommonJS: take the named exports from the default export under plain Node ESM.
const { Kafka, logLevel } = kafkajs;

export interface BaselineMeasure {
  readonly elapsedMs: number;
  readonly eventsPerSec: number;
  readonly digest: Digest;
  readonly expected: Digest;
  readonly extra?: Record<string, number>;
}

function check(name: string, digest: Digest, expected: Digest): void {
  if (!sameDigest(digest, expected)) {
    throw new Error(`${name}: verification failed: got ${digest.count} / ${digest.checksum}, expected ${expected.count} / ${expected.checksum}`);
  }
}

/** The pre-serialised records, as the log holds them. */
export function serialisedRecords(spec: DataSpec): { keys: Buffer[]; values: Buffer[] } {
  const keys: Buffer[] = [];
  const values: Buffer[] = [];
  forEachPageview(spec, (_i, pv) => { keys.push(Buffer.from(pv.userid)); values.push(Buffer.from(pv.json)); });
  return { keys, values };
}

interface PageviewJson {
  readonly viewtime: number;
  readonly pageid: string;
  readonly regionid: string;
  readonly duration_ms: number;
}

/** B1: bytes in, bytes out; the same filter and projection as W1, no engine. */
export function runB1(records: { keys: Buffer[]; values: Buffer[] }, expected: Digest): BaselineMeasure {
  const { keys, values } = records;
  const outKeys: Buffer[] = [];
  const outValues: Buffer[] = [];
  const t0 = performance.now();
  for (let i = 0; i < values.length; i++) {
    const v = JSON.parse(values[i]!.toString('utf8')) as PageviewJson;
    if (!w1Passes(v.pageid, v.duration_ms)) continue;
    outKeys.push(keys[i]!);
    outValues.push(Buffer.from(JSON.stringify({ PAGEID: v.pageid, VIEWTIME: v.viewtime, REGION: v.regionid.toUpperCase(), DURATION_MS: v.duration_ms })));
  }
  const elapsedMs = performance.now() - t0;
  const out: OutRecord[] = outKeys.map((key, i) => ({ key, value: outValues[i]! }));
  const digest = W1.digest(out);
  check('B1', digest, expected);
  return { elapsedMs, eventsPerSec: values.length / (elapsedMs / 1000), digest, expected };
}

/** B2: kafkajs consumer → producer copy of `pageviews` into `sink` through the bench broker. */
export async function runB2(bootstrap: string, spec: DataSpec, sink: string, expected: Digest): Promise<BaselineMeasure> {
  const kafka = new Kafka({ clientId: 'bench-b2', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: sink, numPartitions: 1 }] });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  const consumer = kafka.consumer({ groupId: `${sink}-group`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: 'pageviews', fromBeginning: true });
  let copied = 0;
  let finish!: () => void;
  let fail!: (e: unknown) => void;
  const finished = new Promise<void>((res, rej) => { finish = res; fail = rej; });
  // The clock starts when the consumer has joined its group (kafkajs's group protocol is not the copy).
  let t0 = performance.now();
  consumer.on(consumer.events.GROUP_JOIN, () => { t0 = performance.now(); });
  await consumer.run({
    eachBatchAutoResolve: true,
    eachBatch: async ({ batch }) => {
      try {
        await producer.send({
          topic: sink,
          acks: -1,
          messages: batch.messages.map((m) => ({ key: m.key, value: m.value, timestamp: m.timestamp })),
        });
        copied += batch.messages.length;
        if (copied >= spec.records) finish();
      } catch (e) {
        fail(e);
      }
    },
  });
  const timeout = setTimeout(() => fail(new Error(`B2: copied only ${copied} of ${spec.records} records in 10 minutes`)), 600_000);
  await finished.finally(() => clearTimeout(timeout));
  const elapsedMs = performance.now() - t0;
  await consumer.disconnect();
  await producer.disconnect();
  const digest = copyDigest(await consumeAll(kafka, sink, spec.records));
  check('B2', digest, expected);
  return { elapsedMs, eventsPerSec: spec.records / (elapsedMs / 1000), digest, expected };
}

/** Reads a topic back with kafkajs (for verification; not timed): at least `n` records, then 500 ms more. */
async function consumeAll(kafka: InstanceType<typeof Kafka>, topic: string, n: number): Promise<OutRecord[]> {
  const out: OutRecord[] = [];
  const consumer = kafka.consumer({ groupId: `${topic}-verify`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let reached!: () => void;
  const done = new Promise<void>((r) => { reached = r; });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) out.push({ key: m.key, value: m.value });
      if (out.length >= n) reached();
    },
  });
  await Promise.race([done, new Promise((r) => setTimeout(r, 120_000))]);
  await new Promise((r) => setTimeout(r, 500));
  await consumer.disconnect();
  return out;
}

interface DuckApi {
  DuckDBInstance: { create(path: string, options?: Record<string, string>): Promise<{ connect(): Promise<DuckConnection>; closeSync?(): void }> };
}
interface DuckConnection {
  run(sql: string): Promise<unknown>;
  runAndReadAll(sql: string): Promise<{ getRows(): unknown[][] }>;
  closeSync?(): void;
}

/**
 * B3: the records' JSON loaded into an in-memory DuckDB table (load timed separately), then W2's
 * aggregate timed with its 100k result rows read into JavaScript and verified.
 */
export async function runB3(spec: DataSpec, expected: Digest): Promise<BaselineMeasure> {
  let duck: DuckApi;
  try {
    duck = (await import('@duckdb/node-api')) as unknown as DuckApi;
  } catch (e) {
    throw new NotAvailable(`@duckdb/node-api is not installed (${(e as Error).message.split('\n')[0]})`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-duck-'));
  try {
    const file = join(dir, 'pageviews.ndjson');
    const lines: string[] = [];
    forEachPageview(spec, (_i, pv) => lines.push(pv.json));
    writeFileSync(file, lines.join('\n') + '\n');
    lines.length = 0;
    const db = await duck.DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const l0 = performance.now();
    await conn.run(`CREATE TABLE pageviews AS SELECT * FROM read_json('${file}', format='newline_delimited', columns={
      viewtime: 'BIGINT', userid: 'VARCHAR', pageid: 'VARCHAR', regionid: 'VARCHAR', url: 'VARCHAR',
      referrer: 'VARCHAR', agent: 'VARCHAR', duration_ms: 'INTEGER', bytes: 'INTEGER'})`);
    const loadMs = performance.now() - l0;
    const t0 = performance.now();
    const rows = (await conn.runAndReadAll('SELECT userid, count(*) AS cnt, sum(duration_ms) AS total FROM pageviews GROUP BY userid')).getRows();
    const elapsedMs = performance.now() - t0;
    const digest = w2Digest(rows.map((r) => [String(r[0]), Number(r[1]), Number(r[2])] as const));
    check('B3', digest, expected);
    conn.closeSync?.();
    db.closeSync?.();
    return { elapsedMs, eventsPerSec: spec.records / (elapsedMs / 1000), digest, expected, extra: { loadMs } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function b3Expected(spec: DataSpec): Digest {
  return w2Digest([...w2Aggregate(spec)].map(([k, [c, s]]) => [k, c, s] as const));
}
