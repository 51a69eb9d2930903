/**
 * The child side of the harness: every measurement runs in a fresh Node process (started as
 * `node bin/sluice.js bench --worker`), receives one task over IPC and answers with its runs.
 * Keeping the parent out of the measured process keeps its memory and event loop out of the figures.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedTopics } from '../../engine/index.js';
import { KafkaListener } from '../../server/kafka/index.js';
import { runB1, runB2, runB3, serialisedRecords, b3Expected } from './baselines.js';
import type { DataSpec } from './data.js';
import { summariseProfile, type CpuProfile, type ProfileSummary } from './profile.js';
import { runServerScenario, rssOf, type ScenarioSizes } from './server-scenario.js';
import { StatementError, preload, runWorkload, type SluiceTarget, type WaitOptions } from './sluice-runner.js';
import { NotAvailable, embeddedTarget, kafkaTarget } from './targets.js';
import { SLUICE_WORKLOADS, SOURCE_DDL, USERS_DDL, expectedCopyDigest, type WorkloadId } from './workloads.js';

export type WorkerTask =
  | { kind: 'b1'; spec: DataSpec; runs: number }
  | { kind: 'b2'; spec: DataSpec; runs: number; bootstrap: string; firstRun?: number }
  | { kind: 'b3'; spec: DataSpec; runs: number }
  | { kind: 'sluice'; mode: 'embedded' | 'kafka'; workload: WorkloadId; spec: DataSpec; runs: number; wait: WaitOptions; bootstrap?: string; profile?: string; firstRun?: number }
  | { kind: 'broker'; spec: DataSpec; users: boolean }
  | { kind: 'server'; spec: DataSpec; runs: number; sizes: ScenarioSizes; only: string[] }
  /** Several tasks one after the other in this process (--quick: fewer process start-ups). */
  | { kind: 'multi'; tasks: WorkerTask[] };

export interface RunRecord {
  readonly elapsedMs?: number;
  readonly eventsPerSec?: number;
  readonly outputRecords?: number;
  readonly count?: number;
  readonly checksum?: number;
  readonly rssBeforeBytes?: number;
  readonly peakRssBytes?: number;
  readonly [extra: string]: unknown;
}

export type WorkerReply =
  | { status: 'ok'; runs: RunRecord[]; profile?: ProfileSummary; note?: string }
  | { status: 'not available'; reason: string }
  | { status: 'failed'; reason: string }
  | { status: 'ready'; bootstrap: string }
  | { status: 'multi'; replies: WorkerReply[] };

const log = (msg: string) => process.stderr.write(`  [worker ${process.pid}] ${msg}\n`);

export async function workerMain(): Promise<void> {
  const task = await new Promise<WorkerTask>((resolve) => process.once('message', (m) => resolve(m as WorkerTask)));
  const reply = task.kind === 'multi'
    ? { status: 'multi' as const, replies: await sequential(task.tasks) }
    : await runCaught(task);
  await new Promise<void>((r) => process.send!(reply, () => r()));
  process.exit(0);
}

async function sequential(tasks: readonly WorkerTask[]): Promise<WorkerReply[]> {
  const replies: WorkerReply[] = [];
  for (const t of tasks) replies.push(await runCaught(t));
  return replies;
}

async function runCaught(task: WorkerTask): Promise<WorkerReply> {
  try {
    return await runTask(task);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return e instanceof NotAvailable || (e instanceof StatementError && e.notSupported)
      ? { status: 'not available', reason }
      : { status: 'failed', reason: e instanceof Error && !(e instanceof StatementError) ? (e.stack ?? reason) : reason };
  }
}

async function runTask(task: WorkerTask): Promise<WorkerReply> {
  switch (task.kind) {
    case 'b1': {
      const records = serialisedRecords(task.spec);
      const expected = SLUICE_WORKLOADS.W1.expected(task.spec);
      const runs: RunRecord[] = [];
      for (let r = 0; r < task.runs; r++) runs.push(flatten(runB1(records, expected)));
      return { status: 'ok', runs };
    }
    case 'b2': {
      const expected = expectedCopyDigest(task.spec);
      const runs: RunRecord[] = [];
      for (let r = 0; r < task.runs; r++) runs.push(flatten(await runB2(task.bootstrap, task.spec, `b2_copy_${(task.firstRun ?? 0) + r}`, expected)));
      return { status: 'ok', runs };
    }
    case 'b3': {
      const expected = b3Expected(task.spec);
      const runs: RunRecord[] = [];
      for (let r = 0; r < task.runs; r++) runs.push(flatten(await runB3(task.spec, expected)));
      return { status: 'ok', runs };
    }
    case 'sluice': return runSluice(task);
    case 'multi': return { status: 'multi', replies: await sequential(task.tasks) };
    case 'broker': return runBroker(task);
    case 'server': {
      const runs: RunRecord[] = [];
      for (let r = 0; r < task.runs; r++) {
        const s = await runServerScenario(task.spec, task.sizes, new Set(task.only));
        runs.push({ ...s });
        log(`server scenario run ${r + 1}: start-up ${s.startupMs.toFixed(0)} ms, idle RSS ${(s.idleRssBytes / 2 ** 20).toFixed(1)} MiB, W5 ${s.w5.status}, W6 ${s.w6.status}`);
      }
      return { status: 'ok', runs };
    }
  }
}

function flatten(m: { elapsedMs: number; eventsPerSec: number; digest: { count: number; checksum: number }; extra?: Record<string, number> }): RunRecord {
  return { elapsedMs: m.elapsedMs, eventsPerSec: m.eventsPerSec, count: m.digest.count, checksum: m.digest.checksum, ...(m.extra ?? {}) };
}

async function runSluice(task: Extract<WorkerTask, { kind: 'sluice' }>): Promise<WorkerReply> {
  const w = SLUICE_WORKLOADS[task.workload];
  const expected = w.expected(task.spec);
  const runs: RunRecord[] = [];
  let profile: ProfileSummary | undefined;
  const total = task.runs + (task.profile ? 1 : 0);
  for (let r = 0; r < total; r++) {
    const profiling = task.profile !== undefined && r === task.runs;
    const dir = mkdtempSync(join(tmpdir(), `sluice-bench-${task.workload}-`));
    let target: SluiceTarget | undefined;
    try {
      if (task.mode === 'embedded') {
        target = await embeddedTarget(dir);
        await preload(target.topics, task.spec, w.needsUsers);
      } else {
        target = await kafkaTarget(task.bootstrap!, dir);
      }
      await target.execute(SOURCE_DDL);
      if (w.needsUsers) await target.execute(USERS_DDL);
      const sink = `${task.workload.toLowerCase()}_${task.mode}_${profiling ? 'profile' : `r${(task.firstRun ?? 0) + r}`}`;
      const memory = startMemorySampling();
      const session = profiling ? await startProfiler() : undefined;
      const m = await runWorkload(target, w, task.spec, sink, expected, task.wait);
      if (session) {
        const cpu = await stopProfiler(session);
        writeFileSync(task.profile!, JSON.stringify(cpu));
        profile = summariseProfile(cpu, m.elapsedMs);
        log(`${task.workload} ${task.mode} profile run: ${m.eventsPerSec.toFixed(0)} events/s (profiled, not counted)`);
      }
      const mem = memory.stop();
      if (!profiling) {
        runs.push({ elapsedMs: m.elapsedMs, eventsPerSec: m.eventsPerSec, outputRecords: m.outputRecords, count: m.digest.count, checksum: m.digest.checksum, ...mem });
        log(`${task.workload} ${task.mode} run ${(task.firstRun ?? 0) + r + 1}: ${m.eventsPerSec.toFixed(0)} events/s, ${m.elapsedMs.toFixed(0)} ms, verified ${m.digest.count} rows`);
      }
    } finally {
      await target?.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { status: 'ok', runs, ...(profile ? { profile } : {}) };
}

/**
 * Resident memory while a query runs: the kernel's peak (VmHWM, reset through clear_refs where
 * Linux allows it) and a 20 ms sample of VmRSS, over a baseline taken just before the query starts.
 */
function startMemorySampling(): { stop(): { rssBeforeBytes: number; peakRssBytes: number } } {
  (globalThis as { gc?: () => void }).gc?.();
  let hwmReset = false;
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    hwmReset = true;
  } catch { /* not Linux, or not permitted: sampling only */ }
  const before = process.memoryUsage.rss();
  let peak = before;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 20);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
      if (hwmReset) peak = Math.max(peak, rssOf('self').hwm);
      return { rssBeforeBytes: before, peakRssBytes: peak };
    },
  };
}

async function startProfiler(): Promise<Session> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return session;
}

async function stopProfiler(session: Session): Promise<CpuProfile> {
  const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
  session.disconnect();
  return profile;
}

/** The bench broker: Sluice's embedded log behind its Kafka listener, preloaded, until told to stop. */
async function runBroker(task: Extract<WorkerTask, { kind: 'broker' }>): Promise<WorkerReply> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-broker-'));
  const topics = await EmbeddedTopics.open({ dir });
  const listener = await KafkaListener.start({ topics, host: '127.0.0.1', port: 0 });
  await preload(topics, task.spec, task.users);
  const stop = new Promise<void>((r) => process.on('message', (m) => { if ((m as { stop?: boolean }).stop) r(); }));
  process.send!({ status: 'ready', bootstrap: listener.bootstrap } satisfies WorkerReply);
  await stop;
  await listener.close();
  await topics.close();
  rmSync(dir, { recursive: true, force: true });
  return { status: 'ok', runs: [] };
}
