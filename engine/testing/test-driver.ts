/**
 * The in-memory test driver (Kafka Streams' TopologyTestDriver for Sluice): topics in memory,
 * persistent queries run as single tasks fed one record at a time, no network and no wall clock.
 * Every append to any topic (sinks, INSERT VALUES, piped inputs) is recorded in order per topic, so
 * tests read outputs in production order.
 */
import type { SchemaRegistryClient } from '../schema/types.js';
import type { Topics, ConsumedRecord, ProducedRecord, TopicConfig } from '../topics/topics.js';
import type { FunctionRegistry } from '../functions/types.js';
import type { StateBackend } from '../state/stores.js';
import { ChangelogTaskState } from '../state/changelog.js';
import { changelogLayout } from '../runtime/plan-info.js';
import { Engine } from '../engine.js';
import type { PersistentQuery, QueryHost } from '../exec/query.js';
import { Task } from '../runtime/task.js';
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

interface DriverQuery {
  readonly query: PersistentQuery;
  readonly task: Task;
  readonly state?: ChangelogTaskState;
  readonly offsets: Map<string, number>;
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
          this.running[i]!.task.close();
          await this.running[i]!.state?.close();
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
    // Like TopologyTestDriver, every store has its changelog topic (one task: one partition).
    const serviceId = String(this.engine.config['ksql.service.id'] ?? 'default_');
    const state = await ChangelogTaskState.open(await this.state.openTask(query.id, '0'), {
      topics: this.topics, serviceId, queryId: query.id, partition: 0, partitions: () => 1,
      storeNames: changelogLayout(query.plan.root).storeNames, mode: 'outbox', clock: this.options.clock ?? (() => 0),
    });
    const task = new Task({
      queryId: query.id, partition: 0, root: query.plan.root, functions: this.options.functions,
      processingLog: this.engine.processingLog, state, properties: query.properties, schemaRegistry: this.engine.schemaRegistry,
      ...(state ? { initialStreamTime: Number(state.committedMetadata().streamTime ?? -1) } : {}),
      topics: { partitions: (t) => this.partitionCounts.get(t) ?? 1 },
    });
    this.running.push({ query, task, ...(state ? { state } : {}), offsets: new Map() });
  }

  /** Feeds one record to a running query, then writes what its sinks produced. */
  async pipe(queryId: string, record: ConsumedRecord): Promise<void> {
    const q = this.running.find((r) => r.query.id === queryId);
    if (!q) throw new Error(`query ${queryId} is not running`);
    q.task.process(record);
    q.task.punctuate();
    // TopologyTestDriver commits after every record: write-back caches flush.
    q.state?.flushCaches();
    await this.flush(q);
  }

  /** Writes the sink outputs, then the changelog records of the state they came from. */
  private async flush(q: DriverQuery): Promise<void> {
    const outputs = q.task.drainOutput();
    if (q.state) outputs.push(...(await q.state.drain()));
    for (const out of outputs) {
      await this.topics.append(out.topic, out.partition, [out.record]);
    }
  }
}
