/**
 * Runs one persistent query continuously against a `Topics` (embedded log or Kafka): one task per
 * source partition, each looping read batch → process synchronously → write outputs → commit.
 * Offsets are committed with the task's state when it has any (atomic in embedded mode), and to the
 * query's consumer group otherwise, so a restarted query continues where it stopped.
 */
import type { SchemaRegistryClient } from '../schema/types.js';
import type { PersistentQuery } from '../exec/query.js';
import type { FunctionRegistry } from '../functions/types.js';
import type { StateBackend, TaskState } from '../state/stores.js';
import type { ConsumedRecord, ProducedRecord, Topics } from '../topics/topics.js';
import { topicPartitionKey } from '../topics/topics.js';
import type { ProcessingLog } from './processing-log.js';
import { errorMessage } from './processing-log.js';
import { Task, type OutputRecord } from './task.js';

export interface QueryRunnerOptions {
  readonly topics: Topics;
  readonly functions: FunctionRegistry;
  readonly processingLog: ProcessingLog;
  readonly state?: StateBackend;
  readonly serviceId: string;
  readonly schemaRegistry?: SchemaRegistryClient;
  /** Max records per read. */
  readonly batchSize?: number;
  /** Long-poll wait when a partition has no data. */
  readonly pollMs?: number;
}

interface RunningTask {
  readonly task: Task;
  readonly state?: TaskState;
  readonly offsets: Map<string, number>;
}

export class QueryRunner {
  private stopped = false;
  private readonly loops: Promise<void>[] = [];
  readonly groupId: string;

  constructor(readonly query: PersistentQuery, private readonly options: QueryRunnerOptions) {
    this.groupId = `_confluent-ksql-${options.serviceId}query_${query.id}`;
  }

  async start(): Promise<void> {
    const counts = new Map<string, number>();
    for (const t of await this.options.topics.listTopics()) counts.set(t.name, t.partitions);
    const partitions = Math.max(1, ...this.query.sourceTopics.map((t) => counts.get(t) ?? 1));
    const committed = await this.options.topics.fetchOffsets(this.groupId);
    for (let p = 0; p < partitions; p++) {
      const state = this.options.state ? await this.options.state.openTask(this.query.id, String(p)) : undefined;
      const task = new Task({
        queryId: this.query.id, partition: p, root: this.query.plan.root, functions: this.options.functions,
        processingLog: this.options.processingLog, properties: this.query.properties,
        ...(this.options.schemaRegistry ? { schemaRegistry: this.options.schemaRegistry } : {}),
        topics: { partitions: (t) => counts.get(t) ?? 1 },
        ...(state ? { state, initialStreamTime: Number(state.committedMetadata().streamTime ?? -1) } : {}),
      });
      const offsets = new Map<string, number>();
      for (const topic of new Set(this.query.sourceTopics)) {
        if ((counts.get(topic) ?? 1) <= p) continue;
        const key = topicPartitionKey(topic, p);
        const fromState = state?.committedOffsets().get(key);
        const fromGroup = committed.get(key);
        offsets.set(key, fromState ?? fromGroup ?? (await this.initialOffset(topic, p)));
      }
      this.loops.push(this.loop({ task, ...(state ? { state } : {}), offsets }));
    }
  }

  private async initialOffset(topic: string, partition: number): Promise<number> {
    const reset = String(this.query.properties['auto.offset.reset'] ?? 'latest');
    return reset === 'earliest'
      ? this.options.topics.startOffset(topic, partition)
      : this.options.topics.endOffset(topic, partition);
  }

  private async loop(rt: RunningTask): Promise<void> {
    const { topics } = this.options;
    const batchSize = this.options.batchSize ?? 500;
    while (!this.stopped) {
      let got = 0;
      try {
        for (const [key, offset] of rt.offsets) {
          const sep = key.lastIndexOf(':');
          const topic = key.slice(0, sep);
          const partition = Number(key.slice(sep + 1));
          const wait = rt.offsets.size === 1 ? (this.options.pollMs ?? 200) : 0;
          const records: ConsumedRecord[] = await topics.read(topic, partition, offset, batchSize, wait);
          if (this.stopped) return;
          for (const r of records) rt.task.process(r);
          if (records.length) rt.offsets.set(key, records[records.length - 1]!.offset + 1);
          got += records.length;
        }
        rt.task.punctuate();
        await writeOutputs(topics, rt.task.drainOutput());
        if (got > 0) await this.commit(rt);
        else if (rt.offsets.size !== 1) await sleep(this.options.pollMs ?? 50);
      } catch (e) {
        this.options.processingLog.log({ queryId: this.query.id, type: 'RECORD_PROCESSING_ERROR', message: `query failed: ${errorMessage(e)}` });
        this.query.state = 'ERROR';
        return;
      }
    }
  }

  private async commit(rt: RunningTask): Promise<void> {
    if (rt.state) await rt.state.commit(rt.offsets, { streamTime: rt.task.streamTime });
    else await this.options.topics.commitOffsets(this.groupId, rt.offsets);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled(this.loops);
  }
}

/** Appends a batch edge's outputs, one append per topic partition, keeping their order. */
export async function writeOutputs(topics: Topics, outputs: readonly OutputRecord[]): Promise<void> {
  if (outputs.length === 0) return;
  const groups = new Map<string, { topic: string; partition: number; records: ProducedRecord[] }>();
  for (const o of outputs) {
    const k = topicPartitionKey(o.topic, o.partition);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { topic: o.topic, partition: o.partition, records: [] }));
    g.records.push(o.record);
  }
  for (const g of groups.values()) await topics.append(g.topic, g.partition, g.records);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
