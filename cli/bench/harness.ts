/**
 * `sluice bench` (`npm run bench -- [--quick] [--json FILE] [--only W1,W2] [--runs N] [--profile DIR]`):
 * runs the workloads and the baselines side by side on the same generated records, one fresh child
 * process per measurement, and reports every figure as the median of the runs together with its
 * ratio to the baselines. A workload whose feature has not landed is reported "not available".
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { FULL, QUICK, type DataSpec } from './data.js';
import { profileMarkdown, type ProfileSummary } from './profile.js';
import { FULL_SCENARIO, QUICK_SCENARIO, type ScenarioResult } from './server-scenario.js';
import type { WaitOptions } from './sluice-runner.js';
import { median } from './stats.js';
import type { RunRecord, WorkerReply, WorkerTask } from './worker.js';
import type { WorkloadId } from './workloads.js';

const BIN = fileURLToPath(new URL('../../bin/sluice.js', import.meta.url));

export interface BenchOptions {
  readonly quick: boolean;
  readonly json?: string;
  readonly only?: readonly string[];
  readonly runs?: number;
  /** Directory for the W1/W2 CPU profiles (one extra, uncounted run each). */
  readonly profileDir?: string;
  readonly log?: (line: string) => void;
}

export type Status = 'ok' | 'not available' | 'failed';

export interface Row {
  readonly id: string;
  readonly title: string;
  readonly mode: string;
  status: Status;
  reason?: string;
  eventsPerSec?: number;
  elapsedMs?: number;
  ratios: { B1?: number; B2?: number; B3?: number };
  latency?: { p50Ms: number; p99Ms: number };
  memory?: { bytes: number; label: string };
  detail?: Record<string, number>;
  notes?: string;
  runs: unknown[];
}

export interface BenchReport {
  readonly machine: { cores: number; cpu: string; memoryGiB: number; node: string; platform: string; loadAverageBefore: number[]; loadAverageAfter: number[] };
  readonly quick: boolean;
  readonly spec: DataSpec;
  readonly runsPerFigure: number;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly rows: Row[];
  readonly profiles: Record<string, ProfileSummary>;
}

interface Worker {
  next(): Promise<WorkerReply>;
  send(message: unknown): void;
  exited: Promise<number | null>;
}

function startWorker(task: WorkerTask): Worker {
  const child = spawn(process.execPath, ['--expose-gc', '--max-old-space-size=8192', BIN, 'bench', '--worker'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const queue: WorkerReply[] = [];
  const waiting: ((r: WorkerReply) => void)[] = [];
  let exitCode: number | null | undefined;
  child.on('message', (m) => {
    const w = waiting.shift();
    if (w) w(m as WorkerReply);
    else queue.push(m as WorkerReply);
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => {
    exitCode = code;
    for (const w of waiting.splice(0)) w({ status: 'failed', reason: `worker exited with code ${code} before answering` });
    r(code);
  }));
  child.send(task);
  return {
    next: () => {
      const m = queue.shift();
      if (m) return Promise.resolve(m);
      if (exitCode !== undefined) return Promise.resolve({ status: 'failed', reason: `worker exited with code ${exitCode}` });
      return new Promise((r) => waiting.push(r));
    },
    send: (message) => { if (child.connected) child.send(message as object); },
    exited,
  };
}

async function runWorker(task: WorkerTask): Promise<WorkerReply> {
  const w = startWorker(task);
  const reply = await w.next();
  await w.exited;
  return reply;
}

const WORKLOAD_TITLES: Record<string, string> = {
  B1: 'bare loop: JSON.parse → filter/project → JSON.stringify',
  B2: 'bare kafkajs consume → produce copy',
  B3: 'DuckDB GROUP BY over the records as a table',
  W1: 'filter + projection',
  W2: 'GROUP BY userid COUNT, SUM (RocksDB state)',
  W3: 'tumbling 1-minute window COUNT per key',
  W4: 'stream-table join (100k-row table)',
  W5: 'pull-query key lookups over HTTP',
  W6: 'push-query end-to-end latency',
  W7: 'memory and start-up',
};

function rowFrom(id: string, mode: string, reply: WorkerReply, title = WORKLOAD_TITLES[id] ?? id): Row {
  const row: Row = { id, title, mode, status: 'failed', ratios: {}, runs: [] };
  if (reply.status === 'ok') {
    row.status = 'ok';
    row.runs = reply.runs;
    const eps = reply.runs.map((r) => r.eventsPerSec).filter((x): x is number => typeof x === 'number');
    const ms = reply.runs.map((r) => r.elapsedMs).filter((x): x is number => typeof x === 'number');
    if (eps.length) row.eventsPerSec = median(eps);
    if (ms.length) row.elapsedMs = median(ms);
  } else if (reply.status === 'not available' || reply.status === 'failed') {
    row.status = reply.status;
    row.reason = reply.reason;
  }
  return row;
}

function medianOf(runs: readonly RunRecord[], key: string): number | undefined {
  const xs = runs.map((r) => r[key]).filter((x): x is number => typeof x === 'number');
  return xs.length ? median(xs) : undefined;
}

export async function runBench(opts: BenchOptions): Promise<BenchReport> {
  const log = opts.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const loadAverageBefore = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const spec = opts.quick ? QUICK : FULL;
  const runs = opts.runs ?? 3;
  const only = new Set((opts.only ?? []).map((s) => s.trim().toUpperCase()).filter(Boolean));
  const want = (id: string) => only.size === 0 || only.has(id);
  const wait: WaitOptions = opts.quick ? { quietMs: 300, stallMs: 15_000 } : { quietMs: 1000, stallMs: 60_000 };
  const rows: Row[] = [];
  const profiles: Record<string, ProfileSummary> = {};
  if (opts.profileDir) mkdirSync(opts.profileDir, { recursive: true });

  /**
   * Runs the tasks in rounds, one run of each per round, so a baseline and the workloads compared
   * with it run close together in time (the machines are shared: conditions drift); the replies
   * are merged per task. Each run is a fresh process; --quick runs the whole group in one process
   * to save start-ups. A task that is not available or failed is not run again.
   */
  const rounds = async (tasks: readonly WorkerTask[]): Promise<WorkerReply[]> => {
    const merged: (WorkerReply | undefined)[] = tasks.map(() => undefined);
    const merge = (i: number, reply: WorkerReply) => {
      const before = merged[i];
      if (before !== undefined && before.status !== 'ok') return;
      if (reply.status === 'ok' && before?.status === 'ok') {
        merged[i] = { ...before, runs: [...before.runs, ...reply.runs], ...(reply.profile ? { profile: reply.profile } : {}) };
      } else merged[i] = reply;
    };
    if (opts.quick) {
      const all: [number, WorkerTask][] = [];
      for (let r = 0; r < runs; r++) tasks.forEach((t, i) => all.push([i, oneRun(t, r, r === runs - 1)]));
      const reply = await runWorker({ kind: 'multi', tasks: all.map(([, t]) => t) });
      all.forEach(([i], j) => merge(i, reply.status === 'multi' ? reply.replies[j]! : reply));
    } else {
      for (let r = 0; r < runs; r++) {
        for (const [i, t] of tasks.entries()) {
          if (merged[i] !== undefined && merged[i]!.status !== 'ok') continue;
          merge(i, await runWorker(oneRun(t, r, r === runs - 1)));
        }
      }
    }
    return merged.map((m) => m ?? { status: 'failed', reason: 'not run' });
  };

  const sluiceIds: WorkloadId[] = (['W1', 'W2', 'W3', 'W4'] as const).filter(want);
  const local: { id: string; mode: string; task: WorkerTask }[] = [];
  // B1 is the denominator of every ratio: it runs whenever a Sluice throughput workload does.
  if (want('B1') || sluiceIds.length) local.push({ id: 'B1', mode: 'in-process', task: { kind: 'b1', spec, runs } });
  for (const id of sluiceIds) {
    const profile = opts.profileDir && (id === 'W1' || id === 'W2') ? join(resolve(opts.profileDir), `${id}-embedded.cpuprofile`) : undefined;
    local.push({ id, mode: 'embedded', task: { kind: 'sluice', mode: 'embedded', workload: id, spec, runs, wait, ...(profile ? { profile } : {}) } });
  }
  if (want('B3') || want('W2')) local.push({ id: 'B3', mode: 'in-process', task: { kind: 'b3', spec, runs } });
  if (local.length) log(`${local.map((l) => `${l.id} ${l.mode}`).join(', ')} (${spec.records} records, ${runs} rounds)…`);
  const localReplies = await rounds(local.map((l) => l.task));
  for (const [i, l] of local.entries()) {
    const reply = localReplies[i]!;
    const row = rowFrom(l.id, l.mode, reply);
    if (reply.status === 'ok' && reply.profile) profiles[`${l.id} ${l.mode}`] = reply.profile;
    if (l.id === 'B3') {
      const load = medianOf(row.runs as RunRecord[], 'loadMs');
      if (load !== undefined) { row.detail = { loadMs: load }; row.notes = `JSON load into the table ${(load / 1000).toFixed(2)} s, not counted`; }
    } else if (l.mode === 'embedded' && row.status === 'ok') {
      const rss = medianOf(row.runs as RunRecord[], 'peakRssBytes');
      const before = medianOf(row.runs as RunRecord[], 'rssBeforeBytes');
      if (rss !== undefined) row.memory = { bytes: rss, label: 'peak RSS' };
      if (rss !== undefined && before !== undefined) row.notes = `peak RSS of the worker during the query; ${mib(before)} just before it started`;
    }
    rows.push(row);
  }

  const kafkaIds = (['W1', 'W2'] as const).filter(want);
  if (want('B2') || kafkaIds.length) {
    log('Kafka mode: starting the bench broker (embedded log + Kafka listener, preloaded)…');
    const broker = startWorker({ kind: 'broker', spec, users: false });
    const ready = await broker.next();
    if (ready.status !== 'ready') {
      const reason = 'reason' in ready ? ready.reason : 'broker did not start';
      rows.push({ id: 'B2', title: WORKLOAD_TITLES.B2!, mode: 'kafka', status: 'failed', reason, ratios: {}, runs: [] });
    } else {
      const clients: { id: string; task: WorkerTask }[] = [{ id: 'B2', task: { kind: 'b2', spec, runs, bootstrap: ready.bootstrap } }];
      for (const id of kafkaIds) clients.push({ id, task: { kind: 'sluice', mode: 'kafka', workload: id, spec, runs, wait, bootstrap: ready.bootstrap } });
      log(`${clients.map((c) => c.id).join(', ')} through the listener at ${ready.bootstrap}…`);
      const replies = await rounds(clients.map((c) => c.task));
      for (const [i, c] of clients.entries()) rows.push(rowFrom(c.id, 'kafka', replies[i]!));
      broker.send({ stop: true });
      await broker.next();
      await broker.exited;
    }
  }

  if (want('W5') || want('W6') || want('W7')) {
    log('W5/W6/W7 against a `sluice server` process…');
    const sizes = opts.quick ? QUICK_SCENARIO : FULL_SCENARIO;
    const reply = await runWorker({ kind: 'server', spec, runs, sizes, only: [...only.size ? only : new Set(['W5', 'W6', 'W7'])] });
    rows.push(...scenarioRows(reply, want, rows));
  }

  computeRatios(rows);
  const report: BenchReport = {
    machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}`,
      loadAverageBefore, loadAverageAfter: os.loadavg().map((x) => Math.round(x * 100) / 100) },
    quick: opts.quick, spec, runsPerFigure: runs, startedAt, durationMs: performance.now() - started, rows, profiles,
  };
  if (opts.json) writeFileSync(opts.json, JSON.stringify(report, null, 2) + '\n');
  return report;
}

function scenarioRows(reply: WorkerReply, want: (id: string) => boolean, earlier: readonly Row[]): Row[] {
  const out: Row[] = [];
  if (reply.status !== 'ok') {
    for (const id of ['W5', 'W6', 'W7'].filter(want)) out.push(rowFrom(id, 'server', reply));
    return out;
  }
  const runs = reply.runs as unknown as ScenarioResult[];
  const part = <K extends 'w5' | 'w6'>(k: K) => runs.map((r) => r[k]);
  if (want('W5')) {
    const parts = part('w5');
    const bad = parts.find((p) => p.status !== 'ok');
    const row: Row = { id: 'W5', title: WORKLOAD_TITLES.W5!, mode: 'server', status: 'ok', ratios: {}, runs: parts };
    if (bad) { row.status = bad.status; row.reason = bad.reason; } else {
      const ok = parts as Extract<ScenarioResult['w5'], { status: 'ok' }>[];
      row.detail = { qps: median(ok.map((p) => p.qps)) };
      row.latency = { p50Ms: median(ok.map((p) => p.p50Ms)), p99Ms: median(ok.map((p) => p.p99Ms)) };
      row.notes = `${row.detail.qps!.toFixed(0)} queries/s`;
    }
    out.push(row);
  }
  if (want('W6')) {
    const parts = part('w6');
    const bad = parts.find((p) => p.status !== 'ok');
    const single: Row = { id: 'W6', title: 'push query, 1 subscriber', mode: 'server', status: 'ok', ratios: {}, runs: parts };
    const fan: Row = { id: 'W6', title: 'push query, fan-out', mode: 'server', status: 'ok', ratios: {}, runs: [] };
    if (bad) {
      single.status = fan.status = bad.status;
      single.reason = fan.reason = bad.reason;
    } else {
      const ok = parts as Extract<ScenarioResult['w6'], { status: 'ok' }>[];
      single.latency = { p50Ms: median(ok.map((p) => p.single.p50Ms)), p99Ms: median(ok.map((p) => p.single.p99Ms)) };
      single.notes = `${ok[0]!.single.rate} rows/s input`;
      fan.latency = { p50Ms: median(ok.map((p) => p.fanout.p50Ms)), p99Ms: median(ok.map((p) => p.fanout.p99Ms)) };
      fan.detail = { deliveriesPerSec: median(ok.map((p) => p.fanout.deliveriesPerSec)) };
      fan.notes = `${ok[0]!.fanout.subscribers} WebSocket subscribers × ${ok[0]!.fanout.rate} rows/s; ${fan.detail.deliveriesPerSec!.toFixed(0)} deliveries/s`;
    }
    out.push(single, fan);
  }
  if (want('W7')) {
    out.push({
      id: 'W7', title: 'start-up to ready /healthcheck', mode: 'server', status: 'ok', ratios: {}, runs: runs.map((r) => r.startupMs),
      elapsedMs: median(runs.map((r) => r.startupMs)), notes: '`node bin/sluice.js server` spawned until GET /healthcheck answers 200',
    });
    out.push({
      id: 'W7', title: 'idle server resident memory', mode: 'server', status: 'ok', ratios: {}, runs: runs.map((r) => r.idleRssBytes),
      memory: { bytes: median(runs.map((r) => r.idleRssBytes)), label: 'RSS' }, notes: 'VmRSS of the server process after start-up, nothing running',
    });
    const w2 = earlier.find((r) => r.id === 'W2' && r.mode === 'embedded');
    const peak: Row = { id: 'W7', title: 'peak memory during W2', mode: 'embedded', status: 'not available', ratios: {}, runs: [] };
    if (!w2) peak.reason = 'W2 was not selected';
    else if (w2.status !== 'ok' || !w2.memory) { peak.status = w2.status === 'failed' ? 'failed' : 'not available'; peak.reason = `W2: ${w2.reason ?? 'no memory figure'}`; } else {
      peak.status = 'ok';
      peak.memory = w2.memory;
      const before = medianOf(w2.runs as RunRecord[], 'rssBeforeBytes');
      peak.notes = `peak VmRSS of the process running the server during W2${before !== undefined ? `; ${mib(before)} just before the query started` : ''}`;
    }
    out.push(peak);
  }
  return out;
}

/** One run of a task, as round `round` of the rounds (the profiled run rides on the last round). */
function oneRun(task: WorkerTask, round: number, last: boolean): WorkerTask {
  if (task.kind === 'sluice') {
    const { profile, ...rest } = task;
    return { ...rest, runs: 1, firstRun: round, ...(profile && last ? { profile } : {}) };
  }
  if (task.kind === 'b2') return { ...task, runs: 1, firstRun: round };
  if (task.kind === 'b1' || task.kind === 'b3') return { ...task, runs: 1 };
  return task;
}

/**
 * Ratio of a workload to a baseline: the median of the per-round ratios when both ran every round
 * (each pair ran minutes apart at most), else the ratio of the medians.
 */
function ratio(w: Row, b: Row | undefined): number | undefined {
  if (!b || b.eventsPerSec === undefined || w.eventsPerSec === undefined) return undefined;
  const ws = (w.runs as RunRecord[]).map((r) => r.eventsPerSec);
  const bs = (b.runs as RunRecord[]).map((r) => r.eventsPerSec);
  if (ws.length === bs.length && ws.every((x) => typeof x === 'number') && bs.every((x) => typeof x === 'number')) {
    return median(ws.map((x, i) => x! / bs[i]!));
  }
  return w.eventsPerSec / b.eventsPerSec;
}

function computeRatios(rows: Row[]): void {
  const base = (id: string) => rows.find((r) => r.id === id && r.status === 'ok');
  const [b1, b2, b3] = [base('B1'), base('B2'), base('B3')];
  for (const r of rows) {
    if (r.status !== 'ok' || r.eventsPerSec === undefined || !/^W[1-4]$/.test(r.id)) continue;
    r.ratios.B1 = ratio(r, b1);
    if (r.mode === 'kafka') r.ratios.B2 = ratio(r, b2);
    if (r.id === 'W2') r.ratios.B3 = ratio(r, b3);
  }
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

function fmtRate(x: number | undefined): string {
  if (x === undefined) return '';
  return x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toFixed(0);
}

function fmtRatio(x: number | undefined): string {
  return x === undefined ? '' : x >= 10 ? `${x.toFixed(0)}×` : x >= 0.1 ? `${x.toFixed(2)}×` : `${x.toFixed(3)}×`;
}

export function reportMarkdown(report: BenchReport): string {
  const m = report.machine;
  const s = report.spec;
  const lines = [
    `### Sluice benchmark${report.quick ? ' (--quick)' : ''}`,
    '',
    `Machine: ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}; `
      + `1-min load average ${m.loadAverageBefore[0]} before, ${m.loadAverageAfter[0]} after (other processes share the machine). `
      + `Data: ${s.records.toLocaleString('en-US')} pageview records (~256 B JSON), ${s.keys.toLocaleString('en-US')} keys, seed ${s.seed}; `
      + `each figure is the median of ${report.runsPerFigure} runs, every run verified (record count + checksum). `
      + `Runs go in rounds (one run of every workload and baseline per round); a ratio is the median over rounds of `
      + `workload events/s ÷ baseline events/s in the same round. Total ${(report.durationMs / 1000).toFixed(0)} s.`,
    '',
    '| id | workload | mode | events/s | vs B1 | vs B2 | vs B3 | p50 / p99 | memory | time | status / notes |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of report.rows) {
    const lat = r.latency ? `${r.latency.p50Ms.toFixed(1)} / ${r.latency.p99Ms.toFixed(1)} ms` : '';
    const mem = r.memory ? `${mib(r.memory.bytes)}` : '';
    const time = r.elapsedMs !== undefined ? `${r.elapsedMs >= 1000 ? `${(r.elapsedMs / 1000).toFixed(2)} s` : `${r.elapsedMs.toFixed(0)} ms`}` : '';
    const status = r.status === 'ok' ? (r.notes ?? '') : `**${r.status}**: ${(r.reason ?? '').split('\n')[0]!.slice(0, 160)}`;
    lines.push(`| ${r.id} | ${r.title} | ${r.mode} | ${fmtRate(r.eventsPerSec)} | ${fmtRatio(r.ratios.B1)} | ${fmtRatio(r.ratios.B2)} | ${fmtRatio(r.ratios.B3)} | ${lat} | ${mem} | ${time} | ${status.replace(/\|/g, '\\|')} |`);
  }
  for (const [name, p] of Object.entries(report.profiles)) lines.push('', profileMarkdown(`Profile: ${name}`, p));
  return lines.join('\n') + '\n';
}
