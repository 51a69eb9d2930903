/**
 * The in-memory test driver (Kafka Streams' TopologyTestDriver for Sluice): topics in memory,
 * persistent queries run as one task per sub-topology fed one record at a time, no network and no wall clock.
 * Every append to any topic (sinks, INSERT VALUES, piped inputs) is recorded in order per topic, so
 * tests read outputs in production order.
 */
import type { SchemaRegistryClient } from '../schema/types.js';
import type { Topics, ConsumedRecord, ProducedRecord, TopicConfig } from '../topics/topics.js';
import type { FunctionRegistry } from '../functions/types.js';
import type { StateBackend, TaskState } from '../state/stores.js';
import { Engine } from '../engine.js';
import type { PersistentQuery, QueryHost } from '../exec/query.js';
import { Task } from '../runtime/task.js';
import { createRepartitionTopics, splitPlan, taskIdFor } from '../runtime/subtopology.js';
import type { ExecutionStep } from '../physical/steps.js';
import { topicPartitionKey } from '../topics/topics.js';
import { MemoryStateBackend } from '../state/memory-backend.js';
import type { ParsedStatement } from '../sql/ast.js';
import type { StatementResult } from '../exec/results.js';

export interface RecordedRecord extends ConsumedRecord {
  /** Global production sequence number. */
  readonly seq: number;
}

/** Wraps a Topics so that every append is also recorded per topic, in order. */
export class RecordingTopics implements Topics {
  readonly produced = new Map<string, RecordedRecord[]>();
  private seq = 0;

  constructor(private readonly inner: Topics) {}

  createTopic(name: string, config: TopicConfig) { return this.inner.createTopic(name, config); }
  deleteTopic(name: string) { return this.inner.deleteTopic(name); }
  describeTopic(name: string) { return this.inner.describeTopic(name); }
  listTopics() { return this.inner.listTopics(); }
  read(topic: string, partition: number, offset: number, max: number, waitMs?: number) { return this.inner.read(topic, partition, offset, max, waitMs); }
  startOffset(topic: string, partition: number) { return this.inner.startOffset(topic, partition); }
  endOffset(topic: string, partition: number) { return this.inner.endOffset(topic, partition); }
  offsetForTime(topic: string, partition: number, ts: number) { return this.inner.offsetForTime(topic, partition, ts); }
  commitOffsets(group: string, offsets: ReadonlyMap<string, number>) { return this.inner.commitOffsets(group, offsets); }
  fetchOffsets(group: string) { return this.inner.fetchOffsets(group); }
  close() { return this.inner.close(); }

  async append(topic: string, partition: number, records: readonly ProducedRecord[]): Promise<number> {
    const base = await this.inner.append(topic, partition, records);
    const list = this.produced.get(topic) ?? [];
    records.forEach((r, i) => list.push({ ...r, topic, partition, offset: base + i, seq: this.seq++ }));
    this.produced.set(topic, list);
    return base;
  }

  recorded(topic: string): readonly RecordedRecord[] {
    return this.produced.get(topic) ?? [];
  }
}

/** One task per sub-topology (TopologyTestDriver runs one task per sub-topology over every partition). */
export interface DriverTask {
  readonly task: Task;
  readonly state?: TaskState;
  /** Topics the task reads. */
  readonly sources: ReadonlySet<string>;
  /** Next offset per topic partition processed by the task (from its committed state on start). */
  readonly offsets: Map<string, number>;
}

interface DriverQuery {
  readonly query: PersistentQuery;
  /** Upstream sub-topologies first. */
  readonly tasks: readonly DriverTask[];
  readonly repartitionTopics: ReadonlySet<string>;
}

export interface TestDriverOptions {
  readonly topics: Topics;
  readonly functions: FunctionRegistry;
  readonly config?: Readonly<Record<string, unknown>>;
  readonly state?: StateBackend;
  readonly clock?: () => number;
  readonly schemaRegistry?: SchemaRegistryClient;
}

export class TestDriver {
  readonly topics: RecordingTopics;
  readonly engine: Engine;
  /** Running queries in the order they were started. */
  readonly running: DriverQuery[] = [];
  private readonly partitionCounts = new Map<string, number>();
  /** The state of every query (in memory unless the options give a backend). */
  readonly state: StateBackend;

  constructor(private readonly options: TestDriverOptions) {
    this.state = options.state ?? new MemoryStateBackend();
    this.topics = new RecordingTopics(options.topics);
    const host: QueryHost = {
      start: (q) => this.startQuery(q),
      stop: async (q) => {
        const i = this.running.findIndex((r) => r.query.id === q.id);
        if (i >= 0) {
          for (const t of this.running[i]!.tasks) {
            t.task.close();
            await t.state?.close();
          }
          this.running.splice(i, 1);
        }
      },
    };
    this.engine = new Engine({
      topics: this.topics, functions: options.functions, host, clock: options.clock ?? (() => 0),
      // like TopologyTestDriver, no processing-log stream unless a test asks for one
      config: { 'ksql.logging.processing.stream.auto.create': false, ...(options.config ?? {}) },
      ...(options.schemaRegistry ? { schemaRegistry: options.schemaRegistry } : {}),
    });
  }

  execute(statement: ParsedStatement): Promise<StatementResult> {
    return this.engine.execute(statement);
  }

  private async startQuery(query: PersistentQuery): Promise<void> {
    for (const t of await this.topics.listTopics()) this.partitionCounts.set(t.name, t.partitions);
    const subtopologies = splitPlan(query.plan.root);
    const internal = new Set(subtopologies.flatMap((s) => s.repartitionTopics));
    const partitions = Math.max(1, ...query.sourceTopics.map((t) => this.partitionCounts.get(t) ?? 1));
    await createRepartitionTopics(this.topics, [...internal], partitions, this.partitionCounts);
    const tasks: DriverTask[] = [];
    for (const sub of subtopologies) {
      const state = await this.state.openTask(query.id, taskIdFor(sub.id, subtopologies.length, 0));
      const task = new Task({
        queryId: query.id, partition: 0, taskId: `${sub.id}_0`, root: sub.root as ExecutionStep, functions: this.options.functions,
        processingLog: this.engine.processingLog, state, properties: query.properties, schemaRegistry: this.engine.schemaRegistry,
        initialStreamTime: Number(state.committedMetadata().streamTime ?? -1),
        topics: { partitions: (t) => this.partitionCounts.get(t) ?? 1 },
      });
      tasks.push({ task, state, sources: new Set(sub.sourceTopics), offsets: new Map(state.committedOffsets()) });
    }
    this.running.push({ query, tasks, repartitionTopics: internal });
  }

  /**
   * Feeds one record to the tasks of a running query that read its topic, then writes what they
   * produced. Records written to the query's repartition topics are processed by the downstream
   * task at once, before the next input record (as TopologyTestDriver does), so outputs keep their order.
   */
  async pipe(queryId: string, record: ConsumedRecord): Promise<void> {
    const q = this.running.find((r) => r.query.id === queryId);
    if (!q) throw new Error(`query ${queryId} is not running`);
    await this.feed(q, record);
  }

  private async feed(q: DriverQuery, record: ConsumedRecord): Promise<void> {
    for (const t of q.tasks) {
      if (!t.sources.has(record.topic)) continue;
      t.task.process(record);
      t.offsets.set(topicPartitionKey(record.topic, record.partition), record.offset + 1);
      t.task.punctuate();
      // TopologyTestDriver commits after every record: write-back caches flush.
      t.state?.flushCaches();
      const internal: ConsumedRecord[] = [];
      for (const out of t.task.drainOutput()) {
        const offset = await this.topics.append(out.topic, out.partition, [out.record]);
        if (q.repartitionTopics.has(out.topic)) internal.push({ ...out.record, topic: out.topic, partition: out.partition, offset });
      }
      for (const r of internal) await this.feed(q, r);
    }
  }
}
