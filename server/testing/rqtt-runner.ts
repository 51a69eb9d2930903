/**
 * Runs RQTT cases against a real Sluice server started in-process on loopback, one fresh server
 * (and data dir) per case, the way ksqlDB's `RestTestExecutor` runs them (reference §4.4): create
 * topics, send the admin statements as one `/ksql` request, produce the inputs, wait for the
 * persistent queries to catch up, send each SELECT to `/query` with `Accept: application/json`,
 * and match the responses.
 */
import { mkdtempSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  parseScript, type Engine, type ParsedStatement, type Topics,
} from '../../engine/index.js';
import {
  loadRqttFile, matchQueryResponse, matchesSubset, parseStreamedRows, plain, show, substituteStatement, type RqttCase,
} from '../../engine/testing/rqtt-case.js';
import { parseJsonExact } from '../../engine/serde/json-exact.js';
import { specToBytes } from '../../engine/testing/spec-serde.js';
import { registerCaseSchemas } from '../../engine/testing/qtt-schemas.js';
import { InMemorySchemaRegistry } from '../../engine/schema/memory-registry.js';
import { specToPlain, type RecordSpec } from '../../engine/testing/qtt-case.js';
import { keyColumns, serializedValueColumns } from '../../engine/catalog/schema.js';
import { encodeWindowedKey } from '../../engine/runtime/windowing.js';
import { partitionForKey } from '../../engine/topics/partitioner.js';
import { WithProperties } from '../../engine/planner/with-properties.js';
import { startServer, type RunningServer } from '../app.js';

export interface RqttResult {
  readonly id: string;
  readonly file: string;
  readonly passed: boolean;
  readonly reason?: string;
}

class Failure extends Error {}

const SERVER_CONFIG = {
  'ksql.service.id': 'some.ksql.service.id',
  'ksql.streams.auto.offset.reset': 'earliest',
  'cache.max.bytes.buffering': 0,
  'ksql.headers.columns.enabled': true,
  'ksql.query.push.v2.enabled': true,
};

export function listRqttFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => join(dir, f));
}

export async function runRqttDir(
  dir: string, options: { filter?: RegExp; onFile?: (file: string, passed: number, failed: number) => void; onCase?: (r: RqttResult) => void } = {},
): Promise<RqttResult[]> {
  const results: RqttResult[] = [];
  for (const path of listRqttFiles(dir)) {
    let cases: RqttCase[];
    const file = path.split('/').pop()!.replace(/\.json$/, '');
    try {
      cases = loadRqttFile(path);
    } catch (e) {
      results.push({ id: `${file} - <file>`, file, passed: false, reason: `cannot load: ${(e as Error).message}` });
      continue;
    }
    if (options.filter) cases = cases.filter((c) => options.filter!.test(c.id));
    if (cases.length === 0) continue;
    let p = 0, f = 0;
    for (const c of cases) {
      const r = await runRqttCase(c);
      r.passed ? p++ : f++;
      results.push(r);
      options.onCase?.(r);
    }
    options.onFile?.(file, p, f);
  }
  return results;
}

export async function runRqttCase(c: RqttCase): Promise<RqttResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-rqtt-'));
  let server: RunningServer | undefined;
  try {
    server = await startServer({ listeners: 'http://127.0.0.1:0', dataDir, config: SERVER_CONFIG, log: () => {} });
    await withTimeout(execute(c, server), 30_000, 'case timed out');
    return { id: c.id, file: c.file, passed: true };
  } catch (e) {
    return { id: c.id, file: c.file, passed: false, reason: e instanceof Failure ? e.message : `unexpected error: ${(e as Error)?.stack ?? String(e)}` };
  } finally {
    // A stop that hangs must not hold up the remaining cases.
    if (server) await Promise.race([server.stop().catch(() => {}), new Promise((r) => setTimeout(r, 5000).unref())]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, rej) => { t = setTimeout(() => rej(new Failure(what)), ms); })]).finally(() => clearTimeout(t));
}

interface ErrorResponse { status: number; body: Record<string, unknown> }
type Actual = { admin: unknown } | { query: unknown[] } | { error: ErrorResponse };

async function execute(c: RqttCase, server: RunningServer): Promise<void> {
  const queries = c.statements.filter((s) => s.startsWith('SELECT '));
  const admin = c.statements.filter((s) => !s.startsWith('SELECT '));
  await createTopics(c, server.topics);
  // topic schemas (with their ids) and the schemas implied by CREATE statements, as the QTT runner registers them
  const registry = server.engine.schemaRegistry;
  if (registry instanceof InMemorySchemaRegistry) {
    let parsed: ParsedStatement[] = [];
    try {
      parsed = parseScript(admin.join('\n'), { allowMissingTerminator: true });
    } catch {
      // a statement that does not parse fails in the /ksql request, where the case expects it
    }
    registerCaseSchemas(c, parsed, registry);
  }
  const actual: Actual[] = [];
  const lastStatement = c.statements[c.statements.length - 1] ?? '';
  const fail = (err: ErrorResponse): void => {
    const e = c.expectedError;
    if (!e) throw new Failure(`request failed: ${err.status} ${show(err.body)}`);
    if (e.status !== undefined && Number(plain(e.status)) !== err.status) throw new Failure(`expected status ${show(e.status)}, got ${err.status}: ${show(err.body)}`);
    if (e.message !== undefined && !String(err.body.message ?? '').includes(e.message)) {
      throw new Failure(`expected message containing ${JSON.stringify(e.message)}, got ${JSON.stringify(err.body.message)}`);
    }
    if (e.type?.endsWith('KsqlStatementErrorMessage')) {
      if (err.body['@type'] !== 'statement_error') throw new Failure(`expected a statement error, got ${show(err.body)}`);
      if (!String(err.body.statementText ?? '').includes(lastStatement.trim())) {
        throw new Failure(`statementText ${JSON.stringify(err.body.statementText)} does not contain the last statement`);
      }
    }
  };

  if (admin.length) {
    const res = await post(server, '/ksql', { ksql: admin.join('\n'), streamsProperties: c.properties });
    if (res.status !== 200) return fail({ status: res.status, body: JSON.parse(res.body) });
    for (const entity of parseJsonExact(res.body) as unknown[]) actual.push({ admin: entity });
  }

  if (c.waitForActivePushQuery && queries.length === 1) {
    const pending = streamQuery(server, queries[0]!, c.properties);
    await pending.headerSeen;
    await produceInputs(c, server);
    const r = await pending.done;
    if (r.status !== 200) return fail({ status: r.status, body: JSON.parse(r.body) });
    actual.push({ query: parseStreamedRows(r.body) });
  } else {
    await produceInputs(c, server);
    await waitForQueries(server);
    for (const q of queries) {
      const r = await streamQuery(server, q, c.properties).done;
      if (r.status !== 200) return fail({ status: r.status, body: JSON.parse(r.body) });
      actual.push({ query: parseStreamedRows(r.body) });
    }
  }
  if (c.expectedError) throw new Failure(`expected error ${show(c.expectedError)} but every request succeeded`);

  const expected = c.responses.filter((r) => !('queryProto' in r));
  if (actual.length < expected.length) throw new Failure(`expected ${expected.length} responses, got ${actual.length}: ${show(actual)}`);
  expected.forEach((e, i) => {
    const a = actual[i]!;
    const statement = c.statements[i] ?? '';
    const exp = substituteStatement(e, statement) as Record<string, unknown>;
    if ('admin' in exp) {
      if (!('admin' in a)) throw new Failure(`response ${i}: expected admin, got ${show(a)}`);
      const p = matchesSubset(exp.admin, a.admin);
      if (p) throw new Failure(`response ${i} (admin): ${p}`);
    } else if ('query' in exp) {
      if (!('query' in a)) throw new Failure(`response ${i}: expected query, got ${show(a)}`);
      const p = matchQueryResponse(exp.query as unknown[], a.query, c.verifyOrder);
      if (p) throw new Failure(`response ${i} (${statement}): ${p}`);
    }
  });
}

async function post(server: RunningServer, path: string, body: unknown): Promise<{ status: number; body: string }> {
  const res = await fetch(server.restUrl + path, {
    method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.text() };
}

/** Sends a query to /query; `headerSeen` resolves when the first line has arrived. */
function streamQuery(server: RunningServer, sql: string, props: Readonly<Record<string, unknown>>) {
  let headerSeen!: () => void;
  const header = new Promise<void>((r) => { headerSeen = r; });
  const done = (async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 5_000);
    try {
      const res = await fetch(server.restUrl + '/query', {
        method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ ksql: sql, streamsProperties: props }), signal: controller.signal,
      });
      let text = '';
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) break;
        text += decoder.decode(value, { stream: true });
        headerSeen();
      }
      headerSeen();
      return { status: res.status, body: text };
    } catch (e) {
      headerSeen();
      throw new Failure(`query ${sql} did not complete: ${(e as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  })();
  done.catch(() => {}); // awaited by the caller; never an unhandled rejection
  return { headerSeen: header, done };
}

async function createTopics(c: RqttCase, topics: Topics): Promise<void> {
  const wanted = new Map<string, number>();
  for (const t of c.topics) wanted.set(t.name, Number(specToPlain(t.partitions ?? 1)));
  for (const text of c.statements) {
    let statements;
    try { statements = parseScript(text); } catch { continue; }
    for (const s of statements) {
      const st = s.statement;
      if (st.kind !== 'CreateSource') continue;
      try {
        const props = new WithProperties(st.properties);
        const topic = props.string('KAFKA_TOPIC');
        if (topic && !wanted.has(topic)) wanted.set(topic, props.integer('PARTITIONS') ?? 1);
      } catch {
        // the statement fails later, as it should
      }
    }
  }
  for (const r of [...c.inputs]) if (!wanted.has(r.topic)) wanted.set(r.topic, 1);
  for (const [name, partitions] of wanted) await topics.createTopic(name, { partitions, replicas: 1 });
}

async function produceInputs(c: RqttCase, server: RunningServer): Promise<void> {
  const engine = server.engine;
  for (const r of c.inputs) {
    const rec = serialize(r, engine);
    const desc = await server.topics.describeTopic(r.topic);
    const partition = partitionForKey(rec.partitionKey, desc?.partitions ?? 1);
    await server.topics.append(r.topic, partition, [{ key: rec.key, value: rec.value, timestamp: rec.timestamp, headers: rec.headers }]);
  }
}

function serialize(r: RecordSpec, engine: Engine) {
  const source = engine.metaStore.allSources().find((s) => s.topic === r.topic);
  if (!source) throw new Failure(`No information found for topic '${r.topic}'`);
  const sr = { registry: engine.schemaRegistry, topic: r.topic };
  const inner = specToBytes(r.key, keyColumns(source.schema), source.keyFormat, 'key', sr);
  let key = inner;
  if (r.window && source.window) {
    key = encodeWindowedKey(inner, { start: Number(specToPlain(r.window.start)), end: Number(specToPlain(r.window.end)) }, source.window.type);
  }
  const value = specToBytes(r.value, serializedValueColumns(source.schema), source.valueFormat, 'value', sr);
  const headers = (r.headers ?? []).map((h) => ({ key: h.KEY, value: h.VALUE === null ? null : Buffer.from(h.VALUE, 'base64') }));
  return { key, partitionKey: inner, value, timestamp: r.timestamp === undefined ? 0 : Number(specToPlain(r.timestamp)), headers };
}

/** Waits until every persistent query has committed the end offsets of its source topics, then 100 ms. */
async function waitForQueries(server: RunningServer): Promise<void> {
  const deadline = Date.now() + 5_000;
  const serviceId = String(server.engine.config['ksql.service.id']);
  for (;;) {
    let behind = false;
    for (const q of server.engine.queries.values()) {
      if (q.state !== 'RUNNING') continue;
      const committed = await server.topics.fetchOffsets(`_confluent-ksql-${serviceId}query_${q.id}`);
      for (const topic of new Set(q.sourceTopics)) {
        const desc = await server.topics.describeTopic(topic);
        for (let p = 0; p < (desc?.partitions ?? 0); p++) {
          const end = await server.topics.endOffset(topic, p);
          const start = await server.topics.startOffset(topic, p);
          const at = committed.get(`${topic}:${p}`) ?? start;
          if (at < end) behind = true;
        }
      }
    }
    if (!behind || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 100));
}
