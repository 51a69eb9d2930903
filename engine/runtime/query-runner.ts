/**
 * Runs one persistent query continuously against a `Topics` (embedded log or Kafka): one task per
 * partition of each sub-topology (subtopology.ts; a query that re-keys writes the re-keyed records to
 * a repartition topic that the next sub-topology's tasks read), each looping read batch
 * → process synchronously → commit → write outputs. With a state backend, offsets, state and the
 * outputs to write are committed in one atomic write (embedded mode: a crash loses nothing and
 * repeats nothing); without one, offsets go to the query's consumer group.
 * Which tasks run here is the `assignment`'s call (task-assignment.ts): all of them in embedded
 * mode, this instance's share of the query's consumer group in Kafka mode; the hooks below start,
 * suspend, resume and close tasks as it says.
 */
import type { SchemaRegistryClient } from '../schema/types.js';
import type { PersistentQuery } from '../exec/query.js';
import type { FunctionRegistry } from '../functions/types.js';
import type { StateBackend, TaskState } from '../state/stores.js';
import type { ConsumedRecord, Topics } from '../topics/topics.js';
import { topicPartitionKey } from '../topics/topics.js';
import type { ProcessingLog } from './processing-log.js';
import { errorMessage } from './processing-log.js';
import { Task, type OutputRecord } from './task.js';
import { cacheMaxBytes, changelogLayout, commitIntervalMs } from './plan-info.js';
import { ChangelogTaskState } from '../state/changelog.js';
import { createRepartitionTopics, splitPlan, taskIdFor } from './subtopology.js';
import type { ExecutionStep } from '../physical/steps.js';
import { PartitionGroup } from './partition-group.js';
import { appendInBatches } from '../topics/batching.js';
import { groupByPartition, TaskOutputs } from './task-outputs.js';
import { ownEverything, TaskMigratedError, type AssignmentListener, type TaskAssignment, type TaskAssignmentFactory, type TaskSpec } from './task-assignment.js';
import type { SubTopology } from './subtopology.js';

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
  /** Which tasks this instance runs (task-assignment.ts); default all of them (embedded mode). */
  readonly assignment?: TaskAssignmentFactory;
  /**
   * Back every store with a changelog topic named as ksqlDB names it (engine/state/changelog.ts):
   * 'outbox' writes them through the task's exactly-once outbox (embedded mode), 'direct' appends
   * them before the local commit (Kafka mode, at-least-once). Needs `state`.
   */
  readonly changelog?: 'outbox' | 'direct';
}

interface RunningTask {
  /** The task id (`<partition>`, or `<subtopology>_<partition>` with several sub-topologies). */
  readonly id: string;
  readonly task: Task;
  /** Buffers the task's source partitions and orders their records by event time. */
  readonly input: PartitionGroup;
  readonly state?: TaskState;
  /** With state: output writes tracked for crash-idempotence (task-outputs.ts). */
  readonly outputs?: TaskOutputs;
  /** Outbox changelogs: their records join the outputs at each commit. */
  readonly changelog?: ChangelogTaskState;
  readonly offsets: Map<string, number>;
  lastCommit: number;
  /** Records were processed since the last commit. */
  uncommitted: boolean;
  /** The task's loop, while it runs (undefined when suspended by a rebalance). */
  running?: Promise<void>;
  /** Asks the loop to end; `dirty`: without its final commit (the task was lost). */
  halt: boolean;
  dirty: boolean;
  /** A commit found the task owned elsewhere: it is closed, never resumed. */
  migrated: boolean;
}

/** Where a task id comes from: its sub-topology and partition (of `partitions` tasks in it). */
interface TaskPlace {
  readonly sub: SubTopology;
  readonly partition: number;
  readonly partitions: number;
}

/** ksqlDB's default commit interval (its override of Kafka Streams' 30 s). */
/** Commit early when the uncommitted write buffer grows past this. */
const MAX_PENDING_BYTES = 64 * 1024 * 1024;

export class QueryRunner {
  private stopped = false;
  private readonly tasks: RunningTask[] = [];
  readonly groupId: string;
  private readonly assignment: TaskAssignment;
  private counts = new Map<string, number>();
  private internal = new Set<string>();
  private readonly places = new Map<string, TaskPlace>();
  /** ksqlDB store names and the source-table topics replayed to rebuild stores without a changelog. */
  private changelogs: ReturnType<typeof changelogLayout> = { storeNames: new Map(), replayTopics: new Set() };
  /** Assignment callbacks and stop run one at a time. */
  private serial: Promise<unknown> = Promise.resolve();

  constructor(readonly query: PersistentQuery, private readonly options: QueryRunnerOptions) {
    this.groupId = `_confluent-ksql-${options.serviceId}query_${query.id}`;
    this.assignment = (options.assignment ?? ownEverything)(this.groupId, options.topics);
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
    this.counts = counts;
    this.internal = internal;
    this.changelogs = changelogLayout(this.query.plan.root);
    const specs: TaskSpec[] = [];
    for (const sub of subtopologies) {
      const subPartitions = Math.max(1, ...sub.sourceTopics.map((t) => counts.get(t) ?? 1));
      for (let p = 0; p < subPartitions; p++) {
        const id = taskIdFor(sub.id, subtopologies.length, p);
        this.places.set(id, { sub, partition: p, partitions: subPartitions });
        specs.push({ id, partitions: sub.sourceTopics.filter((t) => (counts.get(t) ?? 1) > p).map((topic) => ({ topic, partition: p })) });
      }
    }
    const listener: AssignmentListener = {
      assigned: (ids) => this.serially(() => this.onAssigned(ids)),
      revoked: () => this.serially(() => this.onRevoked()),
      lost: () => this.serially(() => this.onLost()),
    };
    await this.assignment.start(specs, listener);
  }

  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.serial.then(fn);
    this.serial = next.catch(() => undefined);
    return next;
  }

  // ---- assignment hooks (task-assignment.ts): which tasks this instance runs ----------------

  /** Runs exactly `ids`: closes suspended tasks not listed, resumes the others, starts new ones. */
  private async onAssigned(ids: readonly string[]): Promise<void> {
    if (this.stopped) return;
    const wanted = new Set(ids);
    for (const rt of [...this.tasks]) {
      if (!wanted.has(rt.id) || rt.migrated) await this.closeTask(rt, rt.migrated);
      else if (!rt.running) this.resumeTask(rt);
    }
    for (const id of ids) {
      if (!this.tasks.some((rt) => rt.id === id)) await this.startTask(id);
    }
  }

  /** A rebalance begins: every task stops after committing what it processed (kept open). */
  private async onRevoked(): Promise<void> {
    await Promise.all(this.tasks.map((rt) => this.haltTask(rt, false)));
  }

  /** The tasks may run elsewhere already: close them all without committing. */
  private async onLost(): Promise<void> {
    for (const rt of [...this.tasks]) await this.closeTask(rt, true);
  }

  private async haltTask(rt: RunningTask, dirty: boolean): Promise<void> {
    rt.halt = true;
    rt.dirty ||= dirty;
    await rt.running;
    rt.running = undefined;
  }

  private resumeTask(rt: RunningTask): void {
    rt.halt = false;
    rt.running = this.loop(rt);
  }

  /** Closes a task; `dirty`: uncommitted work is dropped (the next owner redoes it). */
  private async closeTask(rt: RunningTask, dirty: boolean): Promise<void> {
    await this.haltTask(rt, dirty);
    this.tasks.splice(this.tasks.indexOf(rt), 1);
    rt.task.close();
    await rt.state?.close();
  }

  /** Opens a task (its state, from the changelog on an instance without it) and starts its loop. */
  private async startTask(taskId: string): Promise<void> {
    const { topics } = this.options;
    const { counts, internal } = this;
    const { sub, partition: p, partitions: subPartitions } = this.places.get(taskId)!;
    const committed = await topics.fetchOffsets(this.groupId);
    const opened = this.options.state ? await this.options.state.openTask(this.query.id, taskId) : undefined;
    // no local state: stores backed by a source table's topic are rebuilt by re-reading it
    const fresh = opened !== undefined && opened.committedOffsets().size === 0;
    const state = opened && this.options.changelog ? await this.withChangelogs(opened, p, subPartitions) : opened;
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
      // Local state is behind the group when another instance ran the task meanwhile (its
      // changes came back through the changelog): the later of the two positions counts.
      const fromState = state?.committedOffsets().get(key);
      const fromGroup = fresh && this.changelogs.replayTopics.has(topic) && committed.has(key) ? await topics.startOffset(topic, p) : committed.get(key);
      const known = fromState === undefined ? fromGroup : fromGroup === undefined ? fromState : Math.max(fromState, fromGroup);
      // repartition topics are read from their start (Kafka Streams resets internal topics to earliest)
      offsets.set(key, known ?? (internal.has(topic) ? await topics.startOffset(topic, p) : await this.initialOffset(topic, p)));
    }
    let outputs: TaskOutputs | undefined;
    if (state) {
      const written = [...sub.repartitionTopics, ...(this.query.sinkTopic ? [this.query.sinkTopic] : [])].map((topic) => ({ topic, partitions: counts.get(topic) ?? 1 }));
      if (state instanceof ChangelogTaskState) for (const topic of state.knownTopics()) written.push({ topic, partitions: subPartitions });
      outputs = await TaskOutputs.restore(topics, state.committedMetadata(), written);
    }
    const rt: RunningTask = {
      id: taskId, task, input: new PartitionGroup(offsets), ...(state ? { state } : {}), ...(outputs ? { outputs } : {}),
      ...(state instanceof ChangelogTaskState && this.options.changelog === 'outbox' ? { changelog: state } : {}),
      offsets, lastCommit: Date.now(), uncommitted: false, halt: false, dirty: false, migrated: false,
    };
    this.tasks.push(rt);
    rt.running = this.loop(rt);
  }
  /** Wraps a task's local state so that its stores are backed by changelogs (the runner commits group offsets itself). */
  private async withChangelogs(inner: TaskState, partition: number, tasks: number): Promise<TaskState> {
    try {
      return await ChangelogTaskState.open(inner, {
        topics: this.options.topics, serviceId: this.options.serviceId, queryId: this.query.id, partition,
        partitions: () => tasks, storeNames: this.changelogs.storeNames, mode: this.options.changelog!, commitGroupOffsets: false,
      });
    } catch (e) {
      await inner.close();
      throw e;
    }
  }


  /** Tasks per sub-topology (status, tests): the ones this instance owns. */
  taskIds(): string[] {
    return this.tasks.map((rt) => rt.task.taskId);
  }

  /** Ids of the tasks this instance runs now (suspended ones during a rebalance excluded). */
  get runningTasks(): string[] {
    return this.tasks.filter((rt) => rt.running && !rt.halt).map((rt) => rt.id).sort();
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
    while (!this.stopped && !rt.halt) {
      let got = 0;
      try {
        // fetch what each empty partition buffer needs, then process in event-time order
        const fetches = rt.input.needingFetch();
        const wait = rt.input.size === 1 ? (this.options.pollMs ?? 200) : 0;
        for (const { key, offset } of fetches) {
          const sep = key.lastIndexOf(':');
          const records: ConsumedRecord[] = await topics.read(key.slice(0, sep), Number(key.slice(sep + 1)), offset, batchSize, wait);
          if (this.stopped || rt.halt) break;
          rt.input.add(key, records, batchSize);
        }
        if (this.stopped || rt.halt) break;
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
        if (e instanceof TaskMigratedError) {
          // not an error of the query: the group moved the task on; the assignment rejoins
          rt.migrated = true;
          return;
        }
        this.options.processingLog.log({ queryId: this.query.id, type: 'RECORD_PROCESSING_ERROR', message: `query failed: ${errorMessage(e)}` });
        this.query.state = 'ERROR';
        return;
      }
    }
    // Stopped: what was processed is flushed, committed and written, so a restart repeats nothing.
    if (rt.uncommitted && !rt.dirty) {
      try {
        rt.task.punctuate();
        await this.commitAndWrite(rt);
      } catch (e) {
        if (e instanceof TaskMigratedError) rt.migrated = true;
        else this.options.processingLog.log({ queryId: this.query.id, type: 'RECORD_PROCESSING_ERROR', message: `final commit failed: ${errorMessage(e)}` });
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
    await this.assignment.commitOffsets(rt.offsets);
    rt.uncommitted = false;
    rt.lastCommit = Date.now();
  }

  /** Commits and closes the tasks, then leaves the assignment (the group's others take over). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.serially(async () => {
      await Promise.allSettled(this.tasks.map((rt) => rt.running));
      for (const rt of this.tasks.splice(0)) {
        rt.task.close();
        await rt.state?.close();
      }
    });
    await this.assignment.stop();
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
  for (const g of groupByPartition(outputs).values()) await appendInBatches(topics, g.topic, g.partition, g.records);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
