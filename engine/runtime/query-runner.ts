/**
 * Runs one persistent query continuously against a `Topics` (embedded log or Kafka): one task per
 * partition of each sub-topology (subtopology.ts; a query that re-keys writes the re-keyed records to
 * a repartition topic that the next sub-topology's tasks read), each looping read batch
 * → process synchronously → commit → write outputs. With a state backend, offsets, state and the
 * outputs to write are committed in one atomic write (embedded mode: a crash loses nothing and
 * repeats nothing); without one, offsets go to the query's consumer group.
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
import { cacheMaxBytes, changelogLayout, commitIntervalMs } from './plan-info.js';
import { createRepartitionTopics, splitPlan, taskIdFor } from './subtopology.js';
import type { ExecutionStep } from '../physical/steps.js';
import { ChangelogTaskState } from '../state/changelog.js';
import { PartitionGroup } from './partition-group.js';
import { appendInBatches } from '../topics/batching.js';
import { TaskOutputs } from './task-outputs.js';

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
  /**
   * Back every store with a changelog topic named as ksqlDB names it (engine/state/changelog.ts):
   * 'outbox' writes them through the task's exactly-once outbox (embedded mode), 'direct' appends
   * them before the local commit (Kafka mode, at-least-once). Needs `state`.
   */
  readonly changelog?: 'outbox' | 'direct';
}

interface RunningTask {
  readonly task: Task;
  /** Buffers the task's source partitions and orders their records by event time. */
  readonly input: PartitionGroup;
  readonly state?: TaskState;
  /** `state` itself when it writes changelogs through the outbox. */
  readonly changelog?: ChangelogTaskState;
  /** With state: output writes tracked for crash-idempotence (task-outputs.ts). */
  readonly outputs?: TaskOutputs;
  readonly offsets: Map<string, number>;
  lastCommit: number;
  /** Records were processed since the last commit. */
  uncommitted: boolean;
}

/** Commit early when the uncommitted write buffer grows past this. */
const MAX_PENDING_BYTES = 64 * 1024 * 1024;

export class QueryRunner {
  private stopped = false;
  private readonly loops: Promise<void>[] = [];
  private readonly tasks: RunningTask[] = [];
  readonly groupId: string;

  constructor(readonly query: PersistentQuery, private readonly options: QueryRunnerOptions) {
    this.groupId = `_confluent-ksql-${options.serviceId}query_${query.id}`;
  }

  async start(): Promise<void> {
    const { topics } = this.options;
    const counts = new Map<string, number>();
    for (const t of await topics.listTopics()) counts.set(t.name, t.partitions);
    const partitions = Math.max(1, ...this.query.sourceTopics.map((t) => counts.get(t) ?? 1));
    // Re-keying steps split the plan into sub-topologies joined by repartition topics (Kafka
    // Streams' model); each sub-topology runs one task per partition.
    const subtopologies = splitPlan(this.query.plan.root);
    const internal = new Set(subtopologies.flatMap((s) => s.repartitionTopics));
    await createRepartitionTopics(topics, [...internal], partitions, counts);
    const committed = await topics.fetchOffsets(this.groupId);
    const changelogs = changelogLayout(this.query.plan.root);
    for (const sub of subtopologies) {
      const subPartitions = Math.max(1, ...sub.sourceTopics.map((t) => counts.get(t) ?? 1));
      for (let p = 0; p < subPartitions; p++) {
        const taskId = taskIdFor(sub.id, subtopologies.length, p);
        const opened = this.options.state ? await this.options.state.openTask(this.query.id, taskId) : undefined;
        // no local state: stores backed by a source table's topic are rebuilt by re-reading it
        const fresh = opened !== undefined && opened.committedOffsets().size === 0;
        const state = opened && this.options.changelog ? await this.withChangelogs(opened, p, subPartitions, changelogs.storeNames) : opened;
        const task = new Task({
          queryId: this.query.id, partition: p, taskId: `${sub.id}_${p}`, root: sub.root as ExecutionStep, functions: this.options.functions,
          processingLog: this.options.processingLog, properties: this.query.properties,
          ...(this.options.schemaRegistry ? { schemaRegistry: this.options.schemaRegistry } : {}),
          topics: { partitions: (t) => counts.get(t) ?? 1 },
          ...(state ? { state, initialStreamTime: Number(state.committedMetadata().streamTime ?? -1) } : {}),
        });
        const offsets = new Map<string, number>();
        for (const topic of sub.sourceTopics) {
          if ((counts.get(topic) ?? 1) <= p) continue;
          const key = topicPartitionKey(topic, p);
          const fromState = state?.committedOffsets().get(key);
          const fromGroup = fresh && changelogs.replayTopics.has(topic) && committed.has(key)
            ? await topics.startOffset(topic, p) : committed.get(key);
          // repartition topics are read from their start (Kafka Streams resets internal topics to earliest)
          offsets.set(key, fromState ?? fromGroup ?? (internal.has(topic) ? await topics.startOffset(topic, p) : await this.initialOffset(topic, p)));
        }
        let outputs: TaskOutputs | undefined;
        if (state) {
          const written = [...sub.repartitionTopics, ...(this.query.sinkTopic ? [this.query.sinkTopic] : [])].map((topic) => ({ topic, partitions: counts.get(topic) ?? 1 }));
          if (state instanceof ChangelogTaskState) for (const topic of state.knownTopics()) written.push({ topic, partitions: subPartitions });
          outputs = await TaskOutputs.restore(topics, state.committedMetadata(), written);
        }
        const rt: RunningTask = {
          task, input: new PartitionGroup(offsets), ...(state ? { state } : {}), ...(outputs ? { outputs } : {}),
          ...(state instanceof ChangelogTaskState && this.options.changelog === 'outbox' ? { changelog: state } : {}),
          offsets, lastCommit: Date.now(), uncommitted: false,
        };
        this.tasks.push(rt);
        this.loops.push(this.loop(rt));
      }
    }
  }

  /** Tasks per sub-topology (status, tests). */
  taskIds(): string[] {
    return this.tasks.map((rt) => rt.task.taskId);
  }

  private async withChangelogs(inner: TaskState, partition: number, tasks: number, storeNames: ReadonlyMap<string, string | null>): Promise<TaskState> {
    try {
      return await ChangelogTaskState.open(inner, {
        topics: this.options.topics, serviceId: this.options.serviceId, queryId: this.query.id, partition,
        partitions: () => tasks, storeNames, mode: this.options.changelog!,
      });
    } catch (e) {
      await inner.close();
      throw e;
    }
  }

  private async initialOffset(topic: string, partition: number): Promise<number> {
    const reset = String(this.query.properties['auto.offset.reset'] ?? 'latest');
    return reset === 'earliest'
      ? this.options.topics.startOffset(topic, partition)
      : this.options.topics.endOffset(topic, partition);
  }

  /**
   * read batch → process → punctuate → at a commit: flush caches → commit → write outputs.
   * With `cache.max.bytes.buffering` = 0 every batch is committed; with a cache, commits (and so
   * cache flushes, which emit the coalesced updates) happen every `commit.interval.ms`.
   * Tasks with state write their outputs only after committing them with the state (outbox, see
   * task-outputs.ts), so a crash neither loses nor repeats output; stateless tasks write as they go.
   */
  private async loop(rt: RunningTask): Promise<void> {
    const { topics } = this.options;
    const batchSize = this.options.batchSize ?? 500;
    const cached = cacheMaxBytes(this.query.properties) > 0;
    const interval = cached ? commitIntervalMs(this.query.properties) : 0;
    while (!this.stopped) {
      let got = 0;
      try {
        // fetch what each empty partition buffer needs, then process in event-time order
        const fetches = rt.input.needingFetch();
        const wait = rt.input.size === 1 ? (this.options.pollMs ?? 200) : 0;
        for (const { key, offset } of fetches) {
          const sep = key.lastIndexOf(':');
          const records: ConsumedRecord[] = await topics.read(key.slice(0, sep), Number(key.slice(sep + 1)), offset, batchSize, wait);
          if (this.stopped) break;
          rt.input.add(key, records, batchSize);
        }
        if (this.stopped) break;
        for (let n = rt.input.next(); n; n = rt.input.next()) {
          rt.task.process(n.record);
          rt.offsets.set(n.key, n.record.offset + 1);
          got++;
        }
        rt.task.punctuate();
        if (got > 0) rt.uncommitted = true;
        const due = rt.uncommitted && (Date.now() - rt.lastCommit >= interval || (rt.state?.pendingBytes() ?? 0) > MAX_PENDING_BYTES || got === 0);
        if (due) {
          await this.commitAndWrite(rt);
        } else {
          if (!rt.outputs) await writeOutputs(topics, rt.task.drainOutput());
          if (got === 0 && rt.offsets.size !== 1) await sleep(this.options.pollMs ?? 50);
        }
      } catch (e) {
        this.options.processingLog.log({ queryId: this.query.id, type: 'RECORD_PROCESSING_ERROR', message: `query failed: ${errorMessage(e)}` });
        this.query.state = 'ERROR';
        return;
      }
    }
    // Stopped: what was processed is flushed, committed and written, so a restart repeats nothing.
    if (rt.uncommitted) {
      try {
        rt.task.punctuate();
        await this.commitAndWrite(rt);
      } catch (e) {
        this.options.processingLog.log({ queryId: this.query.id, type: 'RECORD_PROCESSING_ERROR', message: `final commit failed: ${errorMessage(e)}` });
      }
    }
  }

  /**
   * Flushes the write-back caches (their updates join the task's outputs), commits state, source
   * offsets and those outputs in one atomic write, then appends the outputs to their topics.
   * The group offsets are committed too: they are what lag reporting and the REST test runner read
   * (the state's own offsets stay authoritative on restart).
   */
  private async commitAndWrite(rt: RunningTask): Promise<void> {
    rt.state?.flushCaches();
    const out = rt.task.drainOutput();
    if (rt.changelog) out.push(...(await rt.changelog.drain()));
    if (rt.state && rt.outputs) {
      await rt.state.commit(rt.offsets, { streamTime: rt.task.streamTime, ...rt.outputs.stage(out) });
      await rt.outputs.write();
    } else {
      await writeOutputs(this.options.topics, out);
    }
    await this.options.topics.commitOffsets(this.groupId, rt.offsets);
    rt.uncommitted = false;
    rt.lastCommit = Date.now();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled(this.loops);
    for (const rt of this.tasks.splice(0)) {
      rt.task.close();
      await rt.state?.close();
    }
  }

  /** Records in the source partitions not processed yet (0 when caught up). */
  async lag(): Promise<number> {
    let lag = 0;
    for (const rt of this.tasks) {
      for (const [key, offset] of rt.offsets) {
        const sep = key.lastIndexOf(':');
        lag += Math.max(0, (await this.options.topics.endOffset(key.slice(0, sep), Number(key.slice(sep + 1)))) - offset);
      }
      if (rt.uncommitted) lag++;
    }
    return lag;
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
  for (const g of groups.values()) await appendInBatches(topics, g.topic, g.partition, g.records);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
