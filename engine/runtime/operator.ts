/**
 * The operator lifecycle (DESIGN.md, style 7): one operator per step kind, created by a builder
 * from one registry keyed by step type. `process` is synchronous and forwards through the
 * downstream function it was built with; `punctuate` runs at batch edges with the task's stream time.
 */
import type { FunctionRegistry } from '../functions/types.js';
import type { TaskState } from '../state/stores.js';
import type { ProcessingLog } from './processing-log.js';
import type { Rec } from './record.js';
import type { ProducedRecord } from '../topics/topics.js';
import type { SchemaRegistryClient } from '../schema/types.js';

export type Downstream = (rec: Rec) => void;

export interface Operator {
  process(rec: Rec): void;
  /** Called after each input batch (and, in tests, after each record) with the current stream time. */
  punctuate?(streamTime: number): void;
  close?(): void;
}

/** Where sinks put serialised output; the task owner moves it to topics at the batch edge. */
export interface OutputCollector {
  emit(topic: string, partition: number, record: ProducedRecord): void;
}

export interface TopicPartitionCounts {
  partitions(topic: string): number;
}

export interface TaskContext {
  readonly queryId: string;
  readonly taskId: string;
  /** The source partition this task owns. */
  readonly partition: number;
  readonly functions: FunctionRegistry;
  readonly processingLog: ProcessingLog;
  readonly output: OutputCollector;
  readonly topics: TopicPartitionCounts;
  /** Present when the query has state (aggregations, joins, materialised tables). */
  readonly state?: TaskState;
  /** Query-level properties (ksqlDB config overrides). */
  readonly properties: Readonly<Record<string, unknown>>;
  /** Schema registry for the AVRO, JSON_SR and PROTOBUF serdes. */
  readonly schemaRegistry?: SchemaRegistryClient;
  streamTime(): number;
  /** Source operators register themselves here, by topic. */
  registerSource(topic: string, source: SourceOperator): void;
  /** Operators that need `punctuate` or `close` register here. */
  registerLifecycle(op: Operator): void;
}

export interface SourceOperator {
  /** Feeds one consumed record; returns the record's event time (for stream time), or undefined if dropped. */
  consume(record: import('../topics/topics.js').ConsumedRecord): number | undefined;
}

export type OperatorBuilder<S> = (step: S, ctx: TaskContext, downstream: Downstream, build: BuildFn) => Operator;

/** Builds the operator chain for a parent step; returns the function that feeds it. */
export type BuildFn = (step: import('../physical/steps.js').ExecutionStep | { type: string }, downstream: Downstream) => Downstream;
