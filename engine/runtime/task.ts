/**
 * A task: the operators of one query for one source partition (Kafka Streams' model). Records are
 * fed synchronously with `process`; sink output accumulates in `drainOutput()` for the owner to
 * write at the batch edge. Stream time is the largest event time seen.
 */
import type { SchemaRegistryClient } from '../schema/types.js';
import type { ExecutionStep } from '../physical/steps.js';
import type { ConsumedRecord, ProducedRecord } from '../topics/topics.js';
import type { FunctionRegistry } from '../functions/types.js';
import type { TaskState } from '../state/stores.js';
import { KsqlException } from '../errors/index.js';
import type { ProcessingLog } from './processing-log.js';
import type { Downstream, Operator, OutputCollector, SourceOperator, TaskContext, TopicPartitionCounts } from './operator.js';
import { operatorBuilder } from './registry.js';
import { createMemoryTaskState } from '../state/memory-backend.js';

export interface OutputRecord {
  readonly topic: string;
  readonly partition: number;
  readonly record: ProducedRecord;
}

export interface TaskOptions {
  readonly queryId: string;
  readonly partition: number;
  /** Kafka Streams' task id within the query (`<subtopology>_<partition>`); default `0_<partition>`. */
  readonly taskId?: string;
  readonly root: ExecutionStep;
  readonly functions: FunctionRegistry;
  readonly processingLog: ProcessingLog;
  readonly topics: TopicPartitionCounts;
  readonly state?: TaskState;
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly schemaRegistry?: SchemaRegistryClient;
  /** Where rows of a transient query's root step go (push queries); sinks use the output buffer. */
  readonly rootDownstream?: Downstream;
  readonly initialStreamTime?: number;
}

export class Task {
  private readonly sources = new Map<string, SourceOperator[]>();
  private readonly lifecycle: Operator[] = [];
  private output: OutputRecord[] = [];
  private time: number;
  readonly taskId: string;

  constructor(options: TaskOptions) {
    this.taskId = options.taskId ?? `0_${options.partition}`;
    this.time = options.initialStreamTime ?? -1;
    const collector: OutputCollector = { emit: (topic, partition, record) => { this.output.push({ topic, partition, record }); } };
    const ctx: TaskContext = {
      queryId: options.queryId,
      taskId: this.taskId,
      partition: options.partition,
      functions: options.functions,
      processingLog: options.processingLog,
      output: collector,
      topics: options.topics,
      // Without a backend (transient queries) stateful operators keep their stores in memory.
      state: options.state ?? createMemoryTaskState(),
      properties: options.properties ?? {},
      ...(options.schemaRegistry ? { schemaRegistry: options.schemaRegistry } : {}),
      streamTime: () => this.time,
      registerSource: (topic, source) => {
        const list = this.sources.get(topic) ?? [];
        list.push(source);
        this.sources.set(topic, list);
      },
      registerLifecycle: (op) => { this.lifecycle.push(op); },
    };
    const build = (step: ExecutionStep | { type: string }, downstream: Downstream): Downstream => {
      const op = operatorBuilder(step.type)(step, ctx, downstream, build);
      if (op.punctuate || op.close) this.lifecycle.push(op);
      return (rec) => op.process(rec);
    };
    build(options.root, options.rootDownstream ?? (() => {}));
  }

  get streamTime(): number {
    return this.time;
  }

  sourceTopics(): string[] {
    return [...this.sources.keys()];
  }

  /** Feeds one record from `record.topic`. */
  process(record: ConsumedRecord): void {
    const sources = this.sources.get(record.topic);
    if (!sources) throw new KsqlException(`Task ${this.taskId} has no source for topic ${record.topic}`);
    for (const s of sources) {
      const ts = s.consume(record);
      if (ts !== undefined && ts > this.time) this.time = ts;
    }
  }

  /** Runs punctuation (window closing, suppression) at a batch edge. */
  punctuate(): void {
    for (const op of this.lifecycle) op.punctuate?.(this.time);
  }

  drainOutput(): OutputRecord[] {
    const out = this.output;
    this.output = [];
    return out;
  }

  close(): void {
    for (const op of this.lifecycle) op.close?.();
  }
}
