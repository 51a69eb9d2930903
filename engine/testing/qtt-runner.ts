/**
 * Runs one expanded QTT case the way ksqlDB's TestExecutor does (reference §4.3): create topics,
 * execute statements in order, pipe inputs query by query, compare outputs per topic in order,
 * then check post-conditions; a negative case must fail on its last statement (or in processing)
 * with an exception matching `expectedException`.
 */
import { parseScript } from '../sql/index.js';
import type * as A from '../sql/ast.js';
import { isInstanceOfJavaClass, KsqlException, StreamsException } from '../errors/index.js';
import type { FunctionRegistry } from '../functions/types.js';
import type { StateBackend } from '../state/stores.js';
import type { Topics, ConsumedRecord } from '../topics/topics.js';
import type { DataSource } from '../catalog/source.js';
import { keyColumns, serializedValueColumns } from '../catalog/schema.js';
import { decodeWindowedKey, encodeWindowedKey } from '../runtime/windowing.js';
import { WithProperties } from '../planner/with-properties.js';
import { TestDriver, type RecordedRecord } from './test-driver.js';
import { specToPlain, type QttCase, type RecordSpec } from './qtt-case.js';
import { specToBytes, bytesToActual } from './spec-serde.js';
import { describeSpec, matchesExpected, type CompareOptions } from './record-compare.js';
import { checkPostConditions } from './qtt-post.js';

export interface CaseResult {
  readonly id: string;
  readonly passed: boolean;
  readonly reason?: string;
}

export interface RunnerDeps {
  /** A fresh registry per case (test-only UDFs registered). */
  readonly functions: () => FunctionRegistry;
  readonly topics: () => Topics;
  readonly state?: () => StateBackend;
}

export const BASE_CONFIG: Readonly<Record<string, unknown>> = {
  'ksql.service.id': 'some.ksql.service.id',
  'auto.offset.reset': 'earliest',
  'cache.max.bytes.buffering': 0,
  'ksql.headers.columns.enabled': true,
  // ksqlDB's test runner has no processing-log stream
  'ksql.logging.processing.stream.auto.create': false,
};

class CaseFailure extends Error {}

export async function runQttCase(c: QttCase, deps: RunnerDeps): Promise<CaseResult> {
  try {
    await execute(c, deps);
    return { id: c.id, passed: true };
  } catch (e) {
    return { id: c.id, passed: false, reason: e instanceof CaseFailure ? e.message : `unexpected error: ${(e as Error)?.stack ?? String(e)}` };
  }
}

async function execute(c: QttCase, deps: RunnerDeps): Promise<void> {
  const config: Record<string, unknown> = { ...BASE_CONFIG };
  for (const [k, v] of Object.entries(c.properties)) config[k] = specToPlain(v);
  const expected = c.expectedException;
  const options: CompareOptions = { exactNumeric: String(config['use.exact.numeric.comparison'] ?? 'true') !== 'false' };

  let statements: A.ParsedStatement[];
  try {
    statements = parseScript(c.statements.join('\n'));
  } catch (e) {
    return expectFailure(e, expected);
  }
  const topics = deps.topics();
  await createTopics(c, statements, topics);
  const driver = new TestDriver({ topics, functions: deps.functions(), config, ...(deps.state ? { state: deps.state() } : {}) });

  for (let i = 0; i < statements.length; i++) {
    try {
      await driver.execute(statements[i]!);
    } catch (e) {
      if (!expected) throw new CaseFailure(`statement ${i + 1} failed: ${(e as Error).message}`);
      if (i !== statements.length - 1) throw new CaseFailure(`Only the last statement in a negative test should fail; statement ${i + 1} failed: ${(e as Error).message}`);
      return expectFailure(e, expected);
    }
  }

  try {
    await pipeInputs(c, driver);
  } catch (e) {
    if (expected) return expectFailure(e, expected);
    throw e;
  }
  if (expected) {
    throw new CaseFailure(`Expected test to throw ${expected.type ?? ''}: ${expected.message ?? ''}`);
  }
  compareOutputs(c, driver, options);
  const failure = await checkPostConditions(c, driver);
  if (failure) throw new CaseFailure(failure);
}

function expectFailure(e: unknown, expected: QttCase['expectedException']): void {
  if (!expected) throw new CaseFailure(`statement failed: ${(e as Error)?.message ?? String(e)}`);
  if (!(e instanceof StreamsException)) throw new CaseFailure(`unexpected error: ${(e as Error)?.stack ?? String(e)}`);
  if (expected.type && !isInstanceOfJavaClass(e, expected.type)) {
    throw new CaseFailure(`expected ${expected.type} but got ${e.javaClass}: ${e.message}`);
  }
  const unlogged = (e as { unloggedMessage?: string }).unloggedMessage;
  if (expected.message && !e.message.includes(expected.message) && !(unlogged ?? '').includes(expected.message)) {
    throw new CaseFailure(`expected message containing ${JSON.stringify(expected.message)} but got ${JSON.stringify(e.message)}`);
  }
}

export async function createTopics(c: QttCase, statements: readonly A.ParsedStatement[], topics: Topics): Promise<void> {
  const wanted = new Map<string, number>();
  for (const t of c.topics) wanted.set(t.name, Number(specToPlain(t.partitions ?? 1)));
  for (const s of statements) {
    const st = s.statement;
    if (st.kind !== 'CreateSource' || st.elements.length === 0) continue;
    try {
      const props = new WithProperties(st.properties);
      const topic = props.string('KAFKA_TOPIC');
      if (topic && !wanted.has(topic)) wanted.set(topic, props.integer('PARTITIONS') ?? 1);
    } catch {
      // invalid WITH clauses fail later, when the statement runs
    }
  }
  for (const r of [...c.inputs, ...c.outputs]) if (!wanted.has(r.topic)) wanted.set(r.topic, 1);
  for (const [name, partitions] of wanted) await topics.createTopic(name, { partitions, replicas: 1 });
}

function sourceForTopic(driver: TestDriver, topic: string): DataSource | undefined {
  return driver.engine.metaStore.allSources().find((s) => s.topic === topic);
}

export function inputRecord(r: RecordSpec, driver: TestDriver, offset: number): ConsumedRecord {
  const source = sourceForTopic(driver, r.topic);
  if (!source) throw new KsqlException(`No information found for topic '${r.topic}'`);
  let key = specToBytes(r.key, keyColumns(source.schema), source.keyFormat, 'key');
  if (r.window && source.window) {
    const start = Number(specToPlain(r.window.start));
    const end = Number(specToPlain(r.window.end));
    key = encodeWindowedKey(key, { start, end }, source.window.type);
  }
  const value = specToBytes(r.value, serializedValueColumns(source.schema), source.valueFormat, 'value');
  const headers = (r.headers ?? []).map((h) => ({ key: h.KEY, value: h.VALUE === null ? null : Buffer.from(h.VALUE, 'base64') }));
  const timestamp = r.timestamp === undefined ? 0 : Number(specToPlain(r.timestamp));
  return { topic: r.topic, partition: 0, offset, key, value, timestamp, headers };
}

async function pipeInputs(c: QttCase, driver: TestDriver): Promise<void> {
  const inputTopics = new Set(c.inputs.map((r) => r.topic));
  const offsets = new Map<string, number>();
  const records = c.inputs.map((r) => {
    const off = offsets.get(r.topic) ?? 0;
    offsets.set(r.topic, off + 1);
    return inputRecord(r, driver, off);
  });
  for (const rec of records) driver.topics.produced.set(rec.topic, [...driver.topics.recorded(rec.topic), { ...rec, seq: -1 }]);
  for (const q of [...driver.running]) {
    const sources = new Set(q.query.sourceTopics);
    for (const rec of records) if (sources.has(rec.topic)) await driver.pipe(q.query.id, rec);
    for (const topic of sources) {
      if (inputTopics.has(topic)) continue;
      for (const rec of [...driver.topics.recorded(topic)]) await driver.pipe(q.query.id, rec);
    }
  }
}

function compareOutputs(c: QttCase, driver: TestDriver, options: CompareOptions): void {
  const byTopic = new Map<string, RecordSpec[]>();
  for (const o of c.outputs) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), o]);
  const insertOnly = c.inputs.length === 0;
  for (const [topic, expected] of byTopic) {
    const actual = driver.topics.recorded(topic);
    if (actual.length !== expected.length) {
      throw new CaseFailure(`topic ${topic}: expected ${expected.length} records but got ${actual.length}: ${actual.map((a) => describeActual(a, driver)).join(' | ')}`);
    }
    expected.forEach((e, i) => {
      const problem = recordProblem(e, actual[i]!, driver, options, insertOnly);
      if (problem) throw new CaseFailure(`topic ${topic} record ${i}: ${problem}`);
    });
  }
}

function decodeActual(a: RecordedRecord, driver: TestDriver): { key: unknown; value: unknown; window?: { start: number; end: number; type: string } } {
  const source = sourceForTopic(driver, a.topic);
  if (!source) return { key: a.key?.toString('utf8') ?? null, value: a.value?.toString('utf8') ?? null };
  let keyBytes = a.key;
  let window: { start: number; end: number; type: string } | undefined;
  if (source.window && keyBytes) {
    const w = decodeWindowedKey(keyBytes, source.window.type, source.window.sizeMs);
    keyBytes = w.inner;
    window = { start: w.start, end: w.end, type: source.window.type === 'SESSION' ? 'SESSION' : 'TIME' };
  }
  const key = bytesToActual(keyBytes, keyColumns(source.schema), source.keyFormat, 'key');
  const value = bytesToActual(a.value, serializedValueColumns(source.schema), source.valueFormat, 'value');
  return { key, value, ...(window ? { window } : {}) };
}

function describeActual(a: RecordedRecord, driver: TestDriver): string {
  try {
    const d = decodeActual(a, driver);
    return `key=${describeSpec(d.key)} value=${describeSpec(d.value)} ts=${a.timestamp}${d.window ? ` window=${d.window.start}-${d.window.end}` : ''}`;
  } catch (e) {
    return `<undecodable: ${(e as Error).message}>`;
  }
}

function recordProblem(e: RecordSpec, a: RecordedRecord, driver: TestDriver, options: CompareOptions, insertOnly: boolean): string | undefined {
  const d = decodeActual(a, driver);
  const mismatch = () => `expected key=${describeSpec(e.key ?? null)} value=${describeSpec(e.value)}${e.timestamp !== undefined ? ` ts=${describeSpec(e.timestamp)}` : ''} but got ${describeActual(a, driver)}`;
  if (!matchesExpected(e.key ?? null, d.key, options)) return mismatch();
  if (!matchesExpected(e.value, d.value, options)) return mismatch();
  if (e.window) {
    const type = String(e.window.type).toUpperCase();
    const start = Number(specToPlain(e.window.start));
    const end = Number(specToPlain(e.window.end));
    if (!d.window || d.window.start !== start || d.window.end !== end || d.window.type !== type) return `window mismatch: ${mismatch()}`;
  }
  if (e.timestamp !== undefined) {
    const ts = Number(specToPlain(e.timestamp));
    if (!(insertOnly && ts === 0) && ts !== a.timestamp) return `timestamp ${a.timestamp} != ${ts}: ${mismatch()}`;
  }
  const eh = e.headers ?? [];
  if (eh.length !== a.headers.length
    || eh.some((h, i) => h.KEY !== a.headers[i]!.key || (h.VALUE ?? null) !== (a.headers[i]!.value?.toString('base64') ?? null))) {
    return `headers mismatch: expected ${JSON.stringify(eh)} got ${JSON.stringify(a.headers.map((h) => ({ KEY: h.key, VALUE: h.value?.toString('base64') ?? null })))}`;
  }
  return undefined;
}
