/**
 * Runs a QTT case end to end in Kafka mode: the case's statements execute on an `Engine` whose
 * topics are a `KafkaTopics` connected to a real Kafka-protocol cluster, its persistent queries run
 * continuously as `QueryRunner`s (the server's host), the inputs are produced to the cluster, and
 * the outputs are consumed back from the cluster and compared with the case's expectations by the
 * same comparator as the in-memory runner (record-compare.ts via qtt-runner's `recordProblem`).
 *
 * Differences from the in-memory driver, all forced by running for real:
 * - Completion: the run waits until every query's committed group offsets have reached the end of
 *   each of its source partitions (outputs are written before offsets are committed), twice in a
 *   row, with a timeout.
 * - Inputs go to partition 0 of their topic, in case order, like the in-memory driver's.
 * - Output order: Kafka orders records only within a partition. When an output topic has one
 *   partition the order must match exactly. When it has several (clusters without CreateTopics
 *   auto-create topics with their own partition count), records are put in production order (the
 *   base offsets `append` returned identify each consumed record) and must match with the order
 *   kept per key, which is all Kafka guarantees.
 */
import type { ConsumedRecord, Topics } from '../../engine/topics/topics.js';
import { Engine } from '../../engine/engine.js';
import { qttDepsWithExtensions } from '../../engine/testing/deps.js';
import type { RunnerDeps } from '../../engine/testing/qtt-runner.js';
import { ProcessingLog } from '../../engine/runtime/processing-log.js';
import { RunnerQueryHost } from '../../engine/runtime/embedded-host.js';
import { repartitionTopics } from '../../engine/runtime/subtopology.js';
import { parseScript } from '../../engine/sql/index.js';
import { RecordingTopics } from '../../engine/testing/test-driver.js';
import { BASE_CONFIG, createTopics, decodeActual, describeActual, inputRecord, recordProblem, type CaseResult } from '../../engine/testing/qtt-runner.js';
import { specToPlain, type QttCase, type RecordSpec } from '../../engine/testing/qtt-case.js';
import { checkPostConditions } from '../../engine/testing/qtt-post.js';
import { matchesExpected } from '../../engine/testing/record-compare.js';

/** Where topics live for one case: a fresh cluster (or log) per case. */
export interface Backend {
  readonly name: string;
  /** Topics for one case; `close` releases them and whatever cluster they need. */
  open(): Promise<{ topics: Topics; close(): Promise<void> }>;
  /** Whether the backend creates topics with the partition count asked for. */
  readonly exactPartitions: boolean;
}

export interface KafkaRunOptions {
  /** Give up waiting for the queries to catch up after this long; default 20 s. */
  readonly timeoutMs?: number;
  /** QueryRunner long-poll; default 50 ms. */
  readonly pollMs?: number;
}

class CaseFailure extends Error {}

let depsPromise: Promise<RunnerDeps> | undefined;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function runQttCaseInKafkaMode(c: QttCase, backend: Backend, options: KafkaRunOptions = {}): Promise<CaseResult> {
  let opened: { topics: Topics; close(): Promise<void> } | undefined;
  let host: RunnerQueryHost | undefined;
  try {
    opened = await backend.open();
    const topics = new RecordingTopics(opened.topics);
    const config: Record<string, unknown> = { ...BASE_CONFIG };
    for (const [k, v] of Object.entries(c.properties)) config[k] = specToPlain(v);
    const exactNumeric = String(config['use.exact.numeric.comparison'] ?? 'true') !== 'false';
    const statements = parseScript(c.statements.join('\n'));
    await createTopics(c, statements, topics);

    // the same functions (built-ins and the test-only UDFs) and in-memory state as the embedded runner
    const deps = await (depsPromise ??= qttDepsWithExtensions());
    const functions = deps.functions();
    const processingLog = new ProcessingLog();
    const serviceId = String(config['ksql.service.id']);
    host = new RunnerQueryHost({ topics, functions, processingLog, serviceId, pollMs: options.pollMs ?? 50, state: deps.state!() });
    const engine = new Engine({ topics, functions, host, config, processingLog, clock: () => 0 });
    for (let i = 0; i < statements.length; i++) {
      try {
        await engine.execute(statements[i]!);
      } catch (e) {
        throw new CaseFailure(`statement ${i + 1} failed: ${(e as Error).message}`);
      }
    }
    const driver = { engine };

    for (const r of c.inputs) {
      const rec = inputRecord(r, driver, 0);
      await topics.append(rec.topic, 0, [{ key: rec.key, value: rec.value, timestamp: rec.timestamp, headers: rec.headers }]);
    }
    await awaitQuiescence(engine, topics, serviceId, options.timeoutMs ?? 20000);
    const failed = [...engine.queries.values()].find((q) => q.state === 'ERROR');
    if (failed) throw new CaseFailure(`query ${failed.id} failed`);

    // Production order of every record the engine appended, by where the cluster put it.
    const seq = new Map<string, number>();
    for (const list of topics.produced.values()) for (const r of list) seq.set(`${r.topic}:${r.partition}:${r.offset}`, r.seq);

    const byTopic = new Map<string, RecordSpec[]>();
    for (const o of c.outputs) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), o]);
    const insertOnly = c.inputs.length === 0;
    for (const [topic, expected] of byTopic) {
      const consumed = await consumeAll(opened.topics, topic);
      consumed.sort((a, b) => (seq.get(`${a.topic}:${a.partition}:${a.offset}`) ?? Infinity) - (seq.get(`${b.topic}:${b.partition}:${b.offset}`) ?? Infinity));
      if (consumed.length !== expected.length) {
        throw new CaseFailure(`topic ${topic}: expected ${expected.length} records but consumed ${consumed.length}: ${consumed.map((a) => describeActual(a, driver)).join(' | ')}`);
      }
      const partitions = new Set(consumed.map((r) => r.partition)).size;
      const problem = partitions <= 1
        ? inOrder(expected, consumed, (e, a) => recordProblem(e, a, driver, { exactNumeric }, insertOnly))
        : perKeyOrder(expected, consumed, (e, a) => recordProblem(e, a, driver, { exactNumeric }, insertOnly),
          (e, a) => matchesExpected(e.key ?? null, decodeActual(a, driver).key, { exactNumeric }));
      if (problem) throw new CaseFailure(`topic ${topic}: ${problem}`);
    }
    const post = await checkPostConditions(c, { engine, topics });
    if (post && !(backend.exactPartitions === false && /partitions, expected/.test(post))) throw new CaseFailure(post);
    return { id: c.id, passed: true };
  } catch (e) {
    return { id: c.id, passed: false, reason: e instanceof CaseFailure ? e.message : `unexpected error: ${(e as Error)?.stack ?? String(e)}` };
  } finally {
    await host?.stopAll().catch(() => {});
    await opened?.close().catch(() => {});
  }
}

function inOrder(expected: readonly RecordSpec[], actual: readonly ConsumedRecord[], problem: (e: RecordSpec, a: ConsumedRecord) => string | undefined): string | undefined {
  for (let i = 0; i < expected.length; i++) {
    const p = problem(expected[i]!, actual[i]!);
    if (p) return `record ${i}: ${p}`;
  }
  return undefined;
}

/**
 * Matches consumed records (in production order) to expected ones so that records with equal keys
 * keep their expected relative order: each consumed record takes the first unmatched expected
 * record it equals, provided no earlier unmatched expected record has its key.
 */
function perKeyOrder(
  expected: readonly RecordSpec[],
  actual: readonly ConsumedRecord[],
  problem: (e: RecordSpec, a: ConsumedRecord) => string | undefined,
  sameKey: (e: RecordSpec, a: ConsumedRecord) => boolean,
): string | undefined {
  const used = new Array<boolean>(expected.length).fill(false);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    let matched = false;
    for (let j = 0; j < expected.length; j++) {
      if (used[j] || !sameKey(expected[j]!, a)) continue;
      // The first unmatched expected record with this key must be the one.
      const p = problem(expected[j]!, a);
      if (p) return `record ${i} (partition ${a.partition} offset ${a.offset}) out of per-key order or unexpected: ${p}`;
      used[j] = true;
      matched = true;
      break;
    }
    if (!matched) return `record ${i} (partition ${a.partition} offset ${a.offset}) matches no expected record with its key`;
  }
  return undefined;
}

/** Every record of every partition of `topic`, read back from the cluster. */
async function consumeAll(topics: Topics, topic: string): Promise<ConsumedRecord[]> {
  const desc = await topics.describeTopic(topic);
  const out: ConsumedRecord[] = [];
  for (let p = 0; p < (desc?.partitions ?? 0); p++) {
    const end = await topics.endOffset(topic, p);
    let offset = await topics.startOffset(topic, p);
    while (offset < end) {
      const batch = await topics.read(topic, p, offset, 1000, 1000);
      if (batch.length === 0) throw new CaseFailure(`could not read ${topic}-${p} at ${offset} (end ${end})`);
      out.push(...batch);
      offset = batch[batch.length - 1]!.offset + 1;
    }
  }
  return out;
}

/**
 * Waits until each query's committed offsets have reached the end of its source partitions and of
 * its repartition topics (read by its downstream sub-topologies), twice in a row.
 */
async function awaitQuiescence(engine: Engine, topics: Topics, serviceId: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let streak = 0;
  let lag = '';
  while (streak < 2) {
    if (Date.now() > deadline) throw new CaseFailure(`queries did not catch up within ${timeoutMs} ms: ${lag}`);
    await sleep(streak === 0 ? 100 : 150);
    lag = '';
    for (const q of engine.queries.values()) {
      if (q.state === 'ERROR') return;
      const committed = await topics.fetchOffsets(`_confluent-ksql-${serviceId}query_${q.id}`);
      for (const t of new Set([...q.sourceTopics, ...repartitionTopics(q.plan.root)])) {
        const desc = await topics.describeTopic(t);
        for (let p = 0; p < (desc?.partitions ?? 0); p++) {
          const end = await topics.endOffset(t, p);
          const at = committed.get(`${t}:${p}`) ?? (await topics.startOffset(t, p));
          if (at < end) lag += `${q.id} ${t}-${p} at ${at} of ${end}; `;
        }
      }
    }
    streak = lag === '' ? streak + 1 : 0;
  }
}

