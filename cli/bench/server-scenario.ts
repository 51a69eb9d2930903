/**
 * W5, W6 and W7 against a real `sluice server` process (started with `node bin/sluice.js server`),
 * with this process as the client: start-up time to a ready /healthcheck and idle resident memory
 * (W7), pull-query key lookups over HTTP (W5) and push-query latency over WebSocket (W6). Input
 * reaches the server the way an application's would: kafkajs through its Kafka listener.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import kafkajs from 'kafkajs';
import WebSocket from 'ws';
import { forEachPageview, prng, type DataSpec } from './data.js';
import { StatementError } from './sluice-runner.js';
import { postKsql } from './targets.js';
import { SOURCE_DDL, w2Aggregate } from './workloads.js';
import { percentile } from './stats.js';

const { Kafka, logLevel } = kafkajs;
const BIN = fileURLToPath(new URL('../../bin/sluice.js', import.meta.url));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface ScenarioSizes {
  readonly idleSettleMs: number;
  readonly pullDurationMs: number;
  readonly pullConcurrency: number;
  readonly pushSingleRate: number;
  readonly pushFanoutRate: number;
  readonly pushDurationMs: number;
  readonly subscribers: number;
}

export const FULL_SCENARIO: ScenarioSizes = {
  idleSettleMs: 2000, pullDurationMs: 10_000, pullConcurrency: 8, pushSingleRate: 1000, pushFanoutRate: 100, pushDurationMs: 10_000, subscribers: 100,
};
export const QUICK_SCENARIO: ScenarioSizes = {
  idleSettleMs: 300, pullDurationMs: 1000, pullConcurrency: 4, pushSingleRate: 200, pushFanoutRate: 20, pushDurationMs: 1000, subscribers: 100,
};

export type Part<T> = ({ status: 'ok' } & T) | { status: 'not available' | 'failed'; reason: string };

export interface ScenarioResult {
  readonly startupMs: number;
  readonly idleRssBytes: number;
  readonly w5: Part<{ qps: number; p50Ms: number; p99Ms: number; queries: number }>;
  readonly w6: Part<{
    single: { rate: number; rows: number; p50Ms: number; p99Ms: number };
    fanout: { rate: number; subscribers: number; deliveries: number; deliveriesPerSec: number; p50Ms: number; p99Ms: number };
  }>;
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export function rssOf(pid: number | 'self'): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(/(\d+) kB/.exec(status.split('\n').find((l) => l.startsWith(name)) ?? '')?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS:'), hwm: kb('VmHWM:') };
}

interface ServerProcess {
  readonly child: ChildProcess;
  readonly restUrl: string;
  readonly bootstrap: string;
  readonly startupMs: number;
  readonly stderr: () => string;
}

async function startServerProcess(dataDir: string): Promise<ServerProcess> {
  const [port, kport] = [await freePort(), await freePort()];
  const restUrl = `http://127.0.0.1:${port}`;
  let stderr = '';
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, 'server', '--listeners', restUrl, '--kafka-listener', `127.0.0.1:${kport}`, '--data-dir', dataDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // the embedded Schema Registry API would take its default port 8081; any free port will do here
    env: { ...process.env, KSQL_SLUICE_SCHEMA_REGISTRY_LISTENER: 'http://127.0.0.1:0' },
  });
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  let exited = false;
  child.on('exit', () => { exited = true; });
  for (;;) {
    if (exited) throw new Error(`sluice server exited during start-up: ${stderr.slice(-2000)}`);
    try {
      const res = await fetch(`${restUrl}/healthcheck`);
      if (res.status === 200) break;
    } catch { /* not listening yet */ }
    if (performance.now() - t0 > 60_000) throw new Error('sluice server not ready after 60 s');
    await sleep(5);
  }
  return { child, restUrl, bootstrap: `127.0.0.1:${kport}`, startupMs: performance.now() - t0, stderr: () => stderr };
}

async function stopServerProcess(p: ServerProcess): Promise<void> {
  if (p.child.exitCode !== null) return;
  const exited = new Promise<void>((r) => p.child.once('exit', () => r()));
  p.child.kill('SIGTERM');
  const t = setTimeout(() => p.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(t);
}

function statementFailure(e: unknown): { status: 'not available' | 'failed'; reason: string } {
  if (e instanceof StatementError && e.notSupported) return { status: 'not available', reason: e.message };
  return { status: 'failed', reason: e instanceof Error ? e.message : String(e) };
}

export async function runServerScenario(spec: DataSpec, sizes: ScenarioSizes, only: ReadonlySet<string>): Promise<ScenarioResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-server-'));
  const server = await startServerProcess(dir);
  try {
    await sleep(sizes.idleSettleMs);
    const idleRssBytes = rssOf(server.child.pid!).rss;
    const kafka = new Kafka({ clientId: 'sluice-bench', brokers: [server.bootstrap], logLevel: logLevel.NOTHING });
    const w5 = only.has('W5') ? await pullQueries(server, kafka, spec, sizes).catch((e) => statementFailure(e)) : { status: 'not available' as const, reason: 'not selected' };
    const w6 = only.has('W6') ? await pushQueries(server, kafka, sizes).catch((e) => statementFailure(e)) : { status: 'not available' as const, reason: 'not selected' };
    return { startupMs: server.startupMs, idleRssBytes, w5, w6 };
  } finally {
    await stopServerProcess(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Produces the pageviews through the Kafka listener (acks=all). */
async function producePageviews(kafka: InstanceType<typeof Kafka>, spec: DataSpec): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  let batch: { key: string; value: string; timestamp: string }[] = [];
  const batches: typeof batch[] = [];
  forEachPageview(spec, (_i, pv) => {
    batch.push({ key: pv.userid, value: pv.json, timestamp: String(pv.viewtime) });
    if (batch.length === 2000) { batches.push(batch); batch = []; }
  });
  if (batch.length) batches.push(batch);
  for (const messages of batches) await producer.send({ topic: 'pageviews', acks: -1, messages });
  await producer.disconnect();
}

interface PullResponse { status: number; body: string }

function httpPost(agent: http.Agent, url: URL, body: string): Promise<PullResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Rows of a /query response: `{"row":{"columns":[…]}}` entries (v1) or bare arrays (v2 JSON). */
function responseRows(body: string): unknown[][] {
  const parsed = JSON.parse(body) as unknown[];
  const rows: unknown[][] = [];
  for (const e of Array.isArray(parsed) ? parsed : [parsed]) {
    if (Array.isArray(e)) rows.push(e);
    else if (e && typeof e === 'object' && 'row' in e) rows.push(((e as { row: { columns: unknown[] } }).row.columns));
  }
  return rows;
}

/** W5: W2's table materialised by the server, then key lookups with `pullConcurrency` clients. */
async function pullQueries(server: ServerProcess, kafka: InstanceType<typeof Kafka>, spec: DataSpec, sizes: ScenarioSizes): Promise<ScenarioResult['w5']> {
  const ksql = (sql: string) => postKsql(server.restUrl, sql, { 'auto.offset.reset': 'earliest' });
  await ksql(SOURCE_DDL);
  // Probe the feature on an empty stream before paying for the load.
  // Any rejection here is the feature not being there yet (the probe's input is empty).
  try {
    await ksql(`CREATE STREAM probe_pv (userid VARCHAR KEY, duration_ms INT) WITH (kafka_topic='probe_pv', value_format='JSON', partitions=1);`);
    await ksql(`CREATE TABLE probe_w5 AS SELECT userid, COUNT(*) AS cnt FROM probe_pv GROUP BY userid;`);
  } catch (e) {
    if (e instanceof StatementError) throw new StatementError(`a GROUP BY table for the lookups: ${e.message}`, true);
    throw e;
  }
  const agent = new http.Agent({ keepAlive: true, maxSockets: sizes.pullConcurrency });
  const url = new URL(`${server.restUrl}/query`);
  const lookup = (key: string) => JSON.stringify({ ksql: `SELECT userid, cnt, total FROM w5_table WHERE userid = '${key}';`, streamsProperties: {} });
  const probe = await httpPost(agent, url, JSON.stringify({ ksql: `SELECT * FROM probe_w5 WHERE userid = 'x';`, streamsProperties: {} }));
  if (probe.status === 404) throw new StatementError('POST /query is not served (pull queries: server branch)', true);
  if (probe.status !== 200) throw new StatementError(`pull query probe: HTTP ${probe.status} ${probe.body.slice(0, 300)}`, /not supported/i.test(probe.body));

  await producePageviews(kafka, spec);
  await ksql(`CREATE TABLE w5_table AS SELECT userid, COUNT(*) AS cnt, SUM(duration_ms) AS total FROM pageviews GROUP BY userid;`);
  const expected = w2Aggregate(spec);
  const keys = [...expected.keys()];
  // Materialised when a sample of keys answers with their final values.
  const t0 = performance.now();
  for (;;) {
    let ok = 0;
    for (const k of [keys[0]!, keys[keys.length >> 1]!, keys[keys.length - 1]!]) {
      const r = await httpPost(agent, url, lookup(k));
      const row = r.status === 200 ? responseRows(r.body)[0] : undefined;
      if (row && Number(row[1]) === expected.get(k)![0]) ok++;
    }
    if (ok === 3) break;
    if (performance.now() - t0 > 600_000) throw new Error('W5: table not materialised after 10 minutes');
    await sleep(200);
  }
  await sleep(1000);

  const rnd = prng(7);
  const latencies: number[] = [];
  let wrong = 0;
  const end = performance.now() + sizes.pullDurationMs;
  const client = async () => {
    while (performance.now() < end) {
      const k = keys[Math.floor(rnd() * keys.length)]!;
      const s = performance.now();
      const r = await httpPost(agent, url, lookup(k));
      latencies.push(performance.now() - s);
      const rows = r.status === 200 ? responseRows(r.body) : [];
      const e = expected.get(k)!;
      if (rows.length !== 1 || rows[0]![0] !== k || Number(rows[0]![1]) !== e[0] || Number(rows[0]![2]) !== e[1]) wrong++;
    }
  };
  const s0 = performance.now();
  await Promise.all(Array.from({ length: sizes.pullConcurrency }, client));
  const seconds = (performance.now() - s0) / 1000;
  agent.destroy();
  if (wrong > 0) throw new Error(`W5: ${wrong} of ${latencies.length} pull queries returned a wrong or missing row`);
  return { status: 'ok', qps: latencies.length / seconds, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), queries: latencies.length };
}

interface Subscriber {
  readonly ws: WebSocket;
  readonly latencies: number[];
  count: number;
  idSum: number;
}

function subscribe(restUrl: string, sql: string): Promise<Subscriber> {
  const request = JSON.stringify({ ksql: sql, streamsProperties: { 'auto.offset.reset': 'latest' } });
  const ws = new WebSocket(`${restUrl.replace(/^http/, 'ws')}/ws/query?request=${encodeURIComponent(request)}`);
  const sub: Subscriber = { ws, latencies: [], count: 0, idSum: 0 };
  return new Promise((resolve, reject) => {
    let ready = false;
    ws.on('unexpected-response', (_req, res) => reject(new StatementError(`GET /ws/query: HTTP ${res.statusCode} (push queries over WebSocket: server branch)`, res.statusCode === 404)));
    ws.on('error', (e) => { if (!ready) reject(e); });
    ws.on('close', (code, reason) => { if (!ready) reject(new StatementError(`push query closed: ${code} ${reason.toString()}`, /not supported/i.test(reason.toString()))); });
    ws.on('message', (data: Buffer) => {
      const now = performance.now();
      const text = data.toString('utf8');
      if (!ready) { ready = true; resolve(sub); }
      if (text.startsWith('[')) return; // the schema header
      const msg = JSON.parse(text) as { row?: { columns: [number, number] } };
      if (!msg.row) return;
      const [id, sent] = msg.row.columns;
      sub.count++;
      sub.idSum += id;
      sub.latencies.push(now - sent);
    });
  });
}

/** Produces `rate` records/s for `durationMs`, each carrying its send time; returns the ids' count and sum. */
async function produceAtRate(producer: ReturnType<InstanceType<typeof Kafka>['producer']>, firstId: number, rate: number, durationMs: number): Promise<{ count: number; idSum: number }> {
  const total = Math.round((rate * durationMs) / 1000);
  let sent = 0;
  let idSum = 0;
  const t0 = performance.now();
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000) + 1);
    if (due > sent) {
      const messages = [];
      for (; sent < due; sent++) {
        const id = firstId + sent;
        idSum += id;
        messages.push({ key: String(id), value: JSON.stringify({ id, sent: performance.now() }) });
      }
      await producer.send({ topic: 'w6_in', acks: -1, messages });
    }
    await sleep(Math.max(1, Math.min(10, 1000 / rate)));
  }
  return { count: total, idSum };
}

async function waitDelivered(subs: readonly Subscriber[], count: number, timeoutMs: number): Promise<void> {
  const t0 = performance.now();
  while (subs.some((s) => s.count < count) && performance.now() - t0 < timeoutMs) await sleep(20);
  await sleep(200);
}

function checkDelivered(subs: readonly Subscriber[], expected: { count: number; idSum: number }): void {
  for (const [i, s] of subs.entries()) {
    if (s.count !== expected.count || s.idSum !== expected.idSum) {
      throw new Error(`W6: subscriber ${i} received ${s.count} rows (id sum ${s.idSum}), expected ${expected.count} (${expected.idSum})`);
    }
  }
}

/** W6: one subscriber at `pushSingleRate`, then `subscribers` at `pushFanoutRate`. */
async function pushQueries(server: ServerProcess, kafka: InstanceType<typeof Kafka>, sizes: ScenarioSizes): Promise<ScenarioResult['w6']> {
  await postKsql(server.restUrl, `CREATE STREAM w6_in (id BIGINT, sent DOUBLE) WITH (kafka_topic='w6_in', value_format='JSON', partitions=1);`);
  const sql = 'SELECT id, sent FROM w6_in EMIT CHANGES;';
  const producer = kafka.producer();
  await producer.connect();
  try {
    const single = await subscribe(server.restUrl, sql);
    const a = await produceAtRate(producer, 0, sizes.pushSingleRate, sizes.pushDurationMs);
    await waitDelivered([single], a.count, 30_000);
    single.ws.close();
    checkDelivered([single], a);

    const subs = await Promise.all(Array.from({ length: sizes.subscribers }, () => subscribe(server.restUrl, sql)));
    const f0 = performance.now();
    const b = await produceAtRate(producer, 1_000_000, sizes.pushFanoutRate, sizes.pushDurationMs);
    await waitDelivered(subs, b.count, 60_000);
    const fanoutSeconds = (performance.now() - f0) / 1000;
    for (const s of subs) s.ws.close();
    checkDelivered(subs, b);
    const all = subs.flatMap((s) => s.latencies);
    return {
      status: 'ok',
      single: { rate: sizes.pushSingleRate, rows: a.count, p50Ms: percentile(single.latencies, 50), p99Ms: percentile(single.latencies, 99) },
      fanout: {
        rate: sizes.pushFanoutRate, subscribers: subs.length, deliveries: all.length, deliveriesPerSec: all.length / fanoutSeconds,
        p50Ms: percentile(all, 50), p99Ms: percentile(all, 99),
      },
    };
  } finally {
    await producer.disconnect();
  }
}
