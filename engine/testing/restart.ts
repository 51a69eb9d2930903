/**
 * Restart check for QTT cases: run the case's statements, pipe the first half of its inputs,
 * commit every query's state with its offsets and stop; start a fresh engine on the same topics
 * and state directory (re-executing the statements, which gives the same query ids), pipe the
 * rest; then compare the final value per key of every output topic with an uninterrupted run.
 *
 * Queries run one after another as in the QTT runner; a query reading a topic written by an
 * earlier query resumes from the offset committed with its state.
 */
import { parseScript } from '../sql/index.js';
import type * as A from '../sql/ast.js';
import type { FunctionRegistry } from '../functions/types.js';
import type { StateBackend } from '../state/stores.js';
import type { ConsumedRecord, Topics } from '../topics/topics.js';
import { topicPartitionKey } from '../topics/topics.js';
import { specToPlain, type QttCase } from './qtt-case.js';
import { BASE_CONFIG, createTopics, inputRecord } from './qtt-runner.js';
import { TestDriver } from './test-driver.js';
import { caseSchemaRegistry, registerCaseSchemas } from './qtt-schemas.js';
import type { SchemaRegistryClient } from '../schema/types.js';

export interface RestartDeps {
  readonly functions: () => FunctionRegistry;
  readonly topics: () => Topics;
  /** A state backend over `dir`; called once per engine start (the same dir for both halves). */
  readonly state: (dir: string) => StateBackend;
}

/** topic → (key bytes + window) → last value (base64; null = deleted). */
export type FinalTables = Map<string, Map<string, string | null>>;

export interface RestartResult {
  readonly uninterrupted: FinalTables;
  readonly restarted: FinalTables;
  /** Differences, empty when the restarted run ended in the same tables. */
  readonly problems: string[];
}

function caseConfig(c: QttCase): Record<string, unknown> {
  const config: Record<string, unknown> = { ...BASE_CONFIG };
  for (const [k, v] of Object.entries(c.properties)) config[k] = specToPlain(v);
  return config;
}

async function startEngine(
  c: QttCase, statements: readonly A.ParsedStatement[], topics: Topics, state: StateBackend, deps: RestartDeps, restart: boolean,
  schemaRegistry: SchemaRegistryClient,
): Promise<TestDriver> {
  // One schema registry per run, shared by both engines, as an external registry would be.
  const driver = new TestDriver({ topics, functions: deps.functions(), config: caseConfig(c), state, schemaRegistry });
  for (const s of statements) {
    // INSERT VALUES wrote its rows into the topics the first time.
    if (restart && s.statement.kind === 'InsertValues') continue;
    await driver.execute(s);
  }
  return driver;
}

/** Pipes `records` (and unread records of topics written by earlier queries) query by query. */
async function pipe(driver: TestDriver, records: readonly ConsumedRecord[], inputTopics: ReadonlySet<string>): Promise<void> {
  for (const q of [...driver.running]) {
    const sources = new Set(q.query.sourceTopics);
    const offsets = new Map<string, number>();
    for (const t of q.tasks) for (const [k, v] of t.offsets) offsets.set(k, v);
    for (const rec of records) {
      if (!sources.has(rec.topic)) continue;
      await driver.pipe(q.query.id, rec);
    }
    for (const topic of sources) {
      if (inputTopics.has(topic)) continue;
      const key = topicPartitionKey(topic, 0);
      let from = offsets.get(key) ?? 0;
      for (;;) {
        const batch = await driver.topics.read(topic, 0, from, 500);
        if (batch.length === 0) break;
        for (const rec of batch) await driver.pipe(q.query.id, rec);
        from = batch[batch.length - 1]!.offset + 1;
      }
    }
    for (const t of q.tasks) {
      if (!t.state) continue;
      t.state.flushCaches();
      await t.state.commit(t.offsets, { streamTime: t.task.streamTime });
    }
  }
}

async function stop(driver: TestDriver): Promise<void> {
  for (const q of driver.running) {
    for (const t of q.tasks) {
      t.task.close();
      await t.state?.close();
    }
  }
}

async function finalTables(topics: Topics, names: readonly string[]): Promise<FinalTables> {
  const out: FinalTables = new Map();
  for (const name of names) {
    const table = new Map<string, string | null>();
    const d = await topics.describeTopic(name);
    for (let p = 0; p < (d?.partitions ?? 0); p++) {
      for (let from = await topics.startOffset(name, p); ;) {
        const batch = await topics.read(name, p, from, 1000);
        if (batch.length === 0) break;
        for (const r of batch) table.set(r.key?.toString('base64') ?? '<null>', r.value === null ? null : r.value.toString('base64'));
        from = batch[batch.length - 1]!.offset + 1;
      }
    }
    out.set(name, table);
  }
  return out;
}

function compare(a: FinalTables, b: FinalTables): string[] {
  const problems: string[] = [];
  for (const [topic, ta] of a) {
    const tb = b.get(topic) ?? new Map<string, string | null>();
    for (const key of new Set([...ta.keys(), ...tb.keys()])) {
      const va = ta.get(key) ?? null;
      const vb = tb.get(key) ?? null;
      if (va !== vb) problems.push(`${topic} key ${key}: uninterrupted ${va} restarted ${vb}`);
    }
  }
  return problems;
}

export async function runWithRestart(c: QttCase, deps: RestartDeps, dirs: { uninterrupted: string; restarted: string }): Promise<RestartResult> {
  const statements = parseScript(c.statements.join('\n'));
  const outputTopics = [...new Set(c.outputs.map((o) => o.topic))];
  const inputTopics = new Set(c.inputs.map((r) => r.topic));

  const run = async (dir: string, split: number | undefined): Promise<FinalTables> => {
    const topics = deps.topics();
    await createTopics(c, statements, topics);
    const schemaRegistry = caseSchemaRegistry();
    registerCaseSchemas(c, statements, schemaRegistry);
    let state = deps.state(dir);
    let driver = await startEngine(c, statements, topics, state, deps, false, schemaRegistry);
    const offsets = new Map<string, number>();
    const records = c.inputs.map((r) => {
      const off = offsets.get(r.topic) ?? 0;
      offsets.set(r.topic, off + 1);
      return inputRecord(r, driver, off);
    });
    const first = split === undefined ? records : records.slice(0, split);
    await pipe(driver, first, inputTopics);
    if (split !== undefined) {
      await stop(driver);
      await state.close();
      state = deps.state(dir);
      driver = await startEngine(c, statements, topics, state, deps, true, schemaRegistry);
      await pipe(driver, records.slice(split), inputTopics);
    }
    await stop(driver);
    await state.close();
    return finalTables(topics, outputTopics);
  };

  const uninterrupted = await run(dirs.uninterrupted, undefined);
  const restarted = await run(dirs.restarted, Math.floor(c.inputs.length / 2));
  return { uninterrupted, restarted, problems: compare(uninterrupted, restarted) };
}
