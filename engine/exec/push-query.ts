/**
 * Runs a planned transient query over topics: one `Task` per source partition and sub-topology (as
 * a persistent query would; repartition records cross in process), rows delivered through the
 * last sub-topology's root downstream instead of a sink.
 *
 * Unbounded (push): starts at the latest offsets, or the earliest with `auto.offset.reset=earliest`,
 * and long-polls until LIMIT or close. Bounded (pull on a stream): reads from the start offsets to
 * the end offsets taken when it starts, then completes.
 */
import type * as A from '../sql/ast.js';
import type { DataSource } from '../catalog/source.js';
import type { PlannedQuery } from '../planner/query-planner.js';
import type { ConsumedRecord } from '../topics/topics.js';
import { Task } from '../runtime/task.js';
import { splitPlan, taskIdFor } from '../runtime/subtopology.js';
import type { ExecutionStep } from '../physical/steps.js';
import { topicPartitionKey } from '../topics/topics.js';
import { MemoryStateBackend } from '../state/memory-backend.js';
import type { TaskState } from '../state/stores.js';
import { cacheMaxBytes, commitIntervalMs } from '../runtime/plan-info.js';
import { withTransientFilters } from './transient-filter.js';
import type { Rec } from '../runtime/record.js';
import { ExpressionTyper } from '../analyzer/expression-typer.js';
import { ExpressionCompiler, type CompiledExpression } from '../runtime/expr/compiler.js';
import type { RowSchema } from '../analyzer/row-schema.js';
import type { Engine } from '../engine.js';
import type { FunctionRegistry } from '../functions/types.js';
import type { TransientCompletion, TransientRun, TransientSink } from './transient-query.js';

export interface RunOptions {
  readonly queryId: string;
  readonly source: DataSource;
  readonly limit?: number;
  readonly config: Readonly<Record<string, unknown>>;
  readonly bounded: boolean;
  readonly pollMs: number;
}

interface Cursor {
  readonly topic: string;
  readonly partition: number;
  offset: number;
  /** Bounded runs stop at this offset. */
  end: number;
}

export function runPushQuery(engine: Engine, planned: PlannedQuery, options: RunOptions, sink: TransientSink): TransientRun {
  let settle!: (c: TransientCompletion) => void;
  let fail!: (e: unknown) => void;
  const done = new Promise<TransientCompletion>((res, rej) => { settle = res; fail = rej; });
  let finished = false;
  let emitted = 0;
  const limit = options.limit;
  const finish = (c: TransientCompletion) => {
    if (finished) return;
    finished = true;
    settle(c);
  };
  const tombstoneRow = tombstoneProjector(planned, engine.functions);
  const deliver = (rec: Rec) => {
    if (finished) return;
    if (rec.row === null) sink.row(tombstoneRow(rec), true);
    else sink.row(rec.row.slice(), false);
    emitted++;
    if (limit !== undefined && emitted >= limit) finish('LIMIT');
  };
  let markReady!: () => void;
  const ready = new Promise<void>((r) => { markReady = r; });
  if (limit === 0) {
    finish('LIMIT');
    return { ready: Promise.resolve(), done, close: () => {} };
  }

  void (async () => {
    const topics = engine.topics;
    const counts = new Map<string, number>();
    for (const t of await topics.listTopics()) counts.set(t.name, t.partitions);
    const sourceTopics = [...new Set(planned.sources.map((s) => s.topic))];
    const partitions = Math.max(1, ...sourceTopics.map((t) => counts.get(t) ?? 1));
    const earliest = options.bounded || String(options.config['auto.offset.reset'] ?? 'latest').toLowerCase() === 'earliest';
    const tasks: { task: Task; state: TaskState; cursors: Cursor[] }[] = [];
    // Transient aggregations keep their state in memory for the life of the query.
    const state = new MemoryStateBackend();
    // A query that re-keys is split into sub-topologies like a persistent one (subtopology.ts), but
    // a transient query owns no topics: the repartition records go straight, in process, to the
    // downstream task of their partition (murmur2 of the serialised key), as soon as they are made.
    const subtopologies = splitPlan(withTransientFilters(planned.root));
    const internal = new Set(subtopologies.flatMap((s) => s.repartitionTopics));
    for (const t of internal) counts.set(t, partitions);
    const downstream = new Map<string, Task[]>();
    for (const sub of subtopologies) {
      const last = sub.id === subtopologies.length - 1;
      for (let p = 0; p < partitions; p++) {
        const taskState = await state.openTask(options.queryId, taskIdFor(sub.id, subtopologies.length, p));
        const task = new Task({
          state: taskState,
          queryId: options.queryId, partition: p, taskId: `${sub.id}_${p}`, root: sub.root as ExecutionStep, functions: engine.functions,
          processingLog: engine.processingLog, properties: options.config,
          topics: { partitions: (t) => counts.get(t) ?? 1 }, ...(last ? { rootDownstream: deliver } : {}),
        });
        const cursors: Cursor[] = [];
        for (const topic of sub.sourceTopics) {
          if (internal.has(topic)) {
            const k = topicPartitionKey(topic, p);
            downstream.set(k, [...(downstream.get(k) ?? []), task]);
            continue;
          }
          if ((counts.get(topic) ?? 0) <= p) continue;
          const end = await topics.endOffset(topic, p);
          const offset = earliest ? await topics.startOffset(topic, p) : end;
          cursors.push({ topic, partition: p, offset, end });
        }
        tasks.push({ task, state: taskState, cursors });
      }
    }
    const internalOffsets = new Map<string, number>();
    const route = (task: Task): void => {
      for (const o of task.drainOutput()) {
        const k = topicPartitionKey(o.topic, o.partition);
        const offset = internalOffsets.get(k) ?? 0;
        internalOffsets.set(k, offset + 1);
        for (const t of downstream.get(k) ?? []) {
          t.process({ ...o.record, topic: o.topic, partition: o.partition, offset });
          route(t);
        }
      }
    };
    // With a write-back cache (the default cache.max.bytes.buffering), aggregates emit when their
    // cache flushes: at every commit interval, as Kafka Streams commits a transient query's tasks.
    const interval = cacheMaxBytes(options.config) > 0 ? commitIntervalMs(options.config) : 0;
    let lastFlush = Date.now();
    const flush = (): void => {
      for (const { task, state: taskState } of tasks) {
        taskState.flushCaches();
        route(task);
      }
      lastFlush = Date.now();
    };
    markReady();
    const single = tasks.length === 1 && tasks[0]!.cursors.length === 1;
    while (!finished) {
      let got = 0;
      let pending = false;
      for (const { task, cursors } of tasks) {
        for (const c of cursors) {
          if (finished) break;
          if (options.bounded && c.offset >= c.end) continue;
          pending = true;
          const max = options.bounded ? Math.min(500, c.end - c.offset) : 500;
          const wait = options.bounded ? 0 : single ? options.pollMs : 0;
          const records: ConsumedRecord[] = await topics.read(c.topic, c.partition, c.offset, max, wait);
          for (const r of records) {
            if (finished) break;
            if (options.bounded && r.offset >= c.end) break;
            task.process(r);
            route(task);
            c.offset = r.offset + 1;
          }
          if (records.length > 0 && !finished) c.offset = Math.max(c.offset, records[records.length - 1]!.offset + 1);
          got += records.length;
          if (options.bounded && records.length === 0) c.offset = c.end; // compacted or deleted tail
        }
        if (!finished) task.punctuate();
        route(task);
      }
      if (interval > 0 && !finished && (Date.now() - lastFlush >= interval || (options.bounded && !pending))) flush();
      if (options.bounded && !pending) finish('COMPLETE');
      else if (got === 0 && !single && !finished) await sleep(options.pollMs || 20);
    }
    for (const { task } of tasks) task.close();
    await state.close();
  })().catch((e) => {
    markReady();
    if (finished) return;
    finished = true;
    fail(e);
  });

  return { ready, done, close: () => finish('CLOSED') };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Table deletes reach the root as rows of null: ksqlDB shows them projected from the key, window
 * and pseudo columns with every value column null (`{"columns":[10,null],"tombstone":true}`).
 */
function tombstoneProjector(planned: PlannedQuery, functions: FunctionRegistry): (rec: Rec) => unknown[] {
  const root = planned.root as { type: string; source?: { schema: RowSchema }; selectExpressions?: readonly { expression: A.Expression }[] };
  const width = planned.root.schema.columns.length;
  if (!root.selectExpressions || !root.source) return () => new Array(width).fill(null);
  const input = root.source.schema;
  const typer = new ExpressionTyper(input, { functions });
  let compiled: CompiledExpression[] | undefined;
  try {
    compiled = root.selectExpressions.map((s) => new ExpressionCompiler(typer).compile(s.expression, { onError: () => {}, text: '' }));
  } catch {
    compiled = undefined;
  }
  return (rec) => {
    if (!compiled) return new Array(width).fill(null);
    const row: unknown[] = new Array(input.columns.length).fill(null);
    let k = 0;
    input.columns.forEach((c, i) => {
      if (c.role === 'KEY') row[i] = rec.key[k++] ?? null;
      else if (c.role === 'PSEUDO') row[i] = c.name === 'ROWTIME' ? rec.ts : c.name === 'ROWPARTITION' ? rec.partition : rec.offset;
      else if (c.role === 'WINDOW' && rec.window) row[i] = c.name === 'WINDOWSTART' ? rec.window.start : rec.window.end;
    });
    return compiled.map((f) => f(row));
  };
}

