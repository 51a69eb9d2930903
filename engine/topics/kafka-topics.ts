/**
 * `Topics` over an external Kafka-protocol cluster (DESIGN.md, "Topics"): Kafka mode. Queries use
 * it exactly like the embedded log; the differences stay inside this class.
 *
 * How each part is done (kafkajs 2.2.4 underneath; kafka/kafkajs-internals.ts says why below its
 * public API):
 * - **Connections, metadata, versions**: one kafkajs `Cluster` (the object its producer, consumer
 *   and admin are built on) for everything, so SSL/SASL and version negotiation are kafkajs's.
 * - **Topic admin**: CreateTopics / DeleteTopics / DescribeConfigs to the controller when the
 *   cluster has them. Clusters without CreateTopics (librdkafka's mock cluster) get the topic by
 *   auto-creation through a Metadata request; the cluster then picks the partition count, and
 *   everything above (queries, sinks) uses the real count from metadata. Existence checks never
 *   name a topic in a Metadata request below v4, where that would auto-create it.
 * - **append**: the records become one RecordBatch v2 encoded by the engine (exact headers, the
 *   configured codec), sent as a Produce to the partition leader with acks=-1; the response's
 *   base offset is the result. Leadership and transient errors refresh metadata and retry
 *   (at-least-once: a retry after a lost response can duplicate, as with any non-idempotent producer).
 * - **read**: kafka/fetcher.ts — pull reads at exact offsets with per-broker prefetching fetch
 *   loops (Fetch v4–11, READ_COMMITTED). A read below the log start offset continues from the
 *   start, as the embedded log does.
 * - **offsets**: ListOffsets to the leader (earliest / latest / by timestamp).
 * - **consumer-group offsets**: OffsetCommit / OffsetFetch to the group's coordinator, as a
 *   "simple" (memberless, generation -1) commit. The group of a persistent query is
 *   `_confluent-ksql-<service id>query_<query id>`, ksqlDB's naming, so tools that show lag by
 *   group work. Commits of a group member carry its generation (an active group rejects simple ones).
 * - **group membership**: kafka/group-client.ts (JoinGroup / SyncGroup / Heartbeat / LeaveGroup);
 *   runtime/group-assignment.ts spreads a query's tasks over the instances with it.
 */
import { batchesByBytes, DEFAULT_MAX_BATCH_BYTES } from './batching.js';
import { KafkaErrorCode, TopicsError } from './batch-log.js';
import { codecFromName, type CompressionName } from './compression.js';
import { encodeBatch } from './record-batch.js';
import { validateTopicName } from './topic-config.js';
import type { ConsumedRecord, GroupGeneration, ProducedRecord, TopicConfig, TopicDescription, Topics } from './topics.js';
import { GroupClient } from './kafka/group-client.js';
import { Fetcher, type FetcherOptions } from './kafka/fetcher.js';
import { createCluster, rawMetadata, LOG_LEVEL, type KjsBroker, type KjsCluster, type KjsError, type KjsMetadata } from './kafka/kafkajs-internals.js';
import { CREATE_TOPICS_KEY, DELETE_TOPICS_KEY, DESCRIBE_CONFIGS_KEY, PRODUCE_KEY, negotiate, produceRequest } from './kafka/wire.js';

export interface KafkaTopicsOptions {
  /** bootstrap.servers: `host:port` list (comma-separated string or array). */
  readonly brokers: string | readonly string[];
  readonly clientId?: string;
  /** kafkajs `ssl` / `sasl` options, passed through. */
  readonly ssl?: unknown;
  readonly sasl?: unknown;
  /** Produce acks; default -1 (all in-sync replicas). */
  readonly acks?: number;
  /** Codec of produced batches; default none. */
  readonly compression?: CompressionName;
  /** Upper bound for one produced batch before an append is split; default 512 KiB. */
  readonly maxBatchBytes?: number;
  readonly requestTimeoutMs?: number;
  readonly connectionTimeoutMs?: number;
  readonly fetch?: Omit<FetcherOptions, 'cluster' | 'log'>;
  readonly log?: (message: string) => void;
}

/** Leadership / availability errors after which metadata is refreshed and the request retried. */
const RETRIABLE_TYPES = new Set([
  'UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_FOR_PARTITION', 'NOT_LEADER_OR_FOLLOWER',
  'REQUEST_TIMED_OUT', 'NOT_ENOUGH_REPLICAS', 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', 'NETWORK_EXCEPTION',
  'COORDINATOR_LOAD_IN_PROGRESS', 'COORDINATOR_NOT_AVAILABLE', 'NOT_COORDINATOR_FOR_GROUP', 'NOT_COORDINATOR',
  'FENCED_LEADER_EPOCH', 'UNKNOWN_LEADER_EPOCH', 'KAFKA_STORAGE_ERROR',
]);
const RETRIABLE_CODES = new Set([3, 5, 6, 7, 13, 14, 15, 16, 19, 20, 56, 74, 75]);
const RETRIABLE_NAMES = new Set(['KafkaJSConnectionError', 'KafkaJSConnectionClosedError', 'KafkaJSRequestTimeoutError', 'KafkaJSBrokerNotFound', 'KafkaJSLockTimeout', 'KafkaJSGroupCoordinatorNotFound']);

function isRetriable(e: unknown): boolean {
  if (e instanceof TopicsError) return RETRIABLE_CODES.has(e.kafkaCode);
  const k = e as KjsError;
  return (k.type !== undefined && RETRIABLE_TYPES.has(k.type)) || RETRIABLE_NAMES.has(k.name);
}

function toTopicsError(e: unknown, what: string): Error {
  if (e instanceof TopicsError) return e;
  const k = e as KjsError;
  const code = typeof k.code === 'number' ? k.code : KafkaErrorCode.KAFKA_STORAGE_ERROR;
  return new TopicsError(code, `${what}: ${k.message ?? String(e)}`);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class KafkaTopics implements Topics {
  private readonly fetcher: Fetcher;
  private readonly coordinators = new Map<string, KjsBroker>();
  private readonly codec: number;
  private closed = false;

  private constructor(private readonly cluster: KjsCluster, private readonly opts: KafkaTopicsOptions) {
    this.fetcher = new Fetcher({ ...opts.fetch, cluster, ...(opts.log ? { log: opts.log } : {}) });
    this.codec = codecFromName(opts.compression ?? 'none');
  }

  /** Connects to the cluster (bootstrap and metadata); rejects when no broker answers. */
  static async connect(opts: KafkaTopicsOptions): Promise<KafkaTopics> {
    const brokers = typeof opts.brokers === 'string' ? opts.brokers.split(',').map((s) => s.trim()).filter(Boolean) : [...opts.brokers];
    const cluster = createCluster({
      brokers, clientId: opts.clientId ?? 'sluice', ssl: opts.ssl, sasl: opts.sasl, logLevel: LOG_LEVEL.NOTHING,
      ...(opts.requestTimeoutMs ? { requestTimeout: opts.requestTimeoutMs } : {}),
      ...(opts.connectionTimeoutMs ? { connectionTimeout: opts.connectionTimeoutMs } : {}),
    });
    await cluster.connect();
    return new KafkaTopics(cluster, opts);
  }

  // ---- admin -------------------------------------------------------------------------------

  /** Any connected broker (for requests that any broker answers). */
  private async anyBroker<T>(fn: (b: KjsBroker) => Promise<T>): Promise<T> {
    const ids = this.cluster.getNodeIds();
    const start = Math.floor(Math.random() * ids.length);
    let error: unknown = new TopicsError(KafkaErrorCode.KAFKA_STORAGE_ERROR, 'No Kafka broker known');
    for (let i = 0; i < ids.length; i++) {
      try {
        return await fn(await this.cluster.findBroker({ nodeId: ids[(start + i) % ids.length]! }));
      } catch (e) {
        error = e;
        if (!isRetriable(e)) break;
      }
    }
    throw error;
  }

  private supports(apiKey: number): Promise<boolean> {
    return this.anyBroker(async (b) => b.versions?.[apiKey] !== undefined);
  }

  /** Metadata of the named topics that exist, without auto-creating any. */
  private async metadataOf(names: readonly string[] | undefined): Promise<KjsMetadata['topicMetadata']> {
    return this.retrying('metadata', () => this.anyBroker(async (b) => {
      const named = names !== undefined && (b.versions?.[3]?.maxVersion ?? 0) >= 4;
      const md = await rawMetadata(b, named ? [...names] : [], false);
      const wanted = names && new Set(names);
      return md.topicMetadata.filter((t) => t.topicErrorCode === 0 && (!wanted || wanted.has(t.topic)));
    }));
  }

  async createTopic(name: string, config: TopicConfig): Promise<void> {
    validateTopicName(name);
    const existing = (await this.metadataOf([name]))[0];
    if (existing) return this.checkPartitions(name, existing.partitionMetadata.length, config.partitions);
    if (!Number.isInteger(config.partitions) || config.partitions < 1) throw new TopicsError(KafkaErrorCode.INVALID_PARTITIONS, `Invalid partition count ${config.partitions}`);
    if (await this.supports(CREATE_TOPICS_KEY)) {
      try {
        const controller = await this.cluster.findControllerBroker();
        await controller.createTopics({
          topics: [{
            topic: name, numPartitions: config.partitions, replicationFactor: config.replicas,
            configEntries: Object.entries(config.configs ?? {}).map(([k, v]) => ({ name: k, value: v })),
          }],
          timeout: 10000,
        });
      } catch (e) {
        if ((e as KjsError).type !== 'TOPIC_ALREADY_EXISTS') throw toTopicsError(e, `Cannot create topic ${name}`);
      }
    } else {
      // No CreateTopics (e.g. librdkafka's mock cluster): the cluster auto-creates on Metadata.
      await this.anyBroker((b) => rawMetadata(b, [name], true)).catch(() => undefined);
    }
    const partitions = await this.awaitLeaders(name);
    if (partitions !== config.partitions) {
      if (await this.supports(CREATE_TOPICS_KEY)) return this.checkPartitions(name, partitions, config.partitions);
      this.opts.log?.(`topic ${name} was auto-created with ${partitions} partitions (asked for ${config.partitions}): the cluster has no CreateTopics`);
    }
  }

  private checkPartitions(name: string, has: number, wanted: number): void {
    if (has !== wanted) throw new TopicsError(KafkaErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${name}' already exists with ${has} partitions`);
  }

  /** Waits until every partition of a new topic has a leader; returns the partition count. */
  private async awaitLeaders(name: string): Promise<number> {
    const deadline = Date.now() + 15000;
    for (;;) {
      const t = (await this.metadataOf([name]))[0];
      if (t && t.partitionMetadata.length > 0 && t.partitionMetadata.every((p) => p.leader >= 0 && p.partitionErrorCode === 0)) {
        await this.cluster.addTargetTopic(name);
        return t.partitionMetadata.length;
      }
      if (Date.now() > deadline) throw new TopicsError(KafkaErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${name} did not become available (does the cluster allow creating it?)`);
      await sleep(50);
    }
  }

  async deleteTopic(name: string): Promise<void> {
    if (!(await this.supports(DELETE_TOPICS_KEY))) {
      throw new TopicsError(KafkaErrorCode.INVALID_CONFIG, `Cannot delete topic ${name}: the Kafka cluster does not support DeleteTopics`);
    }
    const controller = await this.cluster.findControllerBroker();
    try {
      await controller.deleteTopics({ topics: [name], timeout: 10000 });
    } catch (e) {
      throw toTopicsError(e, `Cannot delete topic ${name}`);
    }
    this.cluster.targetTopics.delete(name);
    this.fetcher.forget(name);
  }

  async describeTopic(name: string): Promise<TopicDescription | undefined> {
    const t = (await this.metadataOf([name]))[0];
    if (!t) return undefined;
    const configs = (await this.configsOf([name])).get(name) ?? {};
    return { name, partitions: t.partitionMetadata.length, replicas: t.partitionMetadata[0]?.replicas.length ?? 1, configs };
  }

  async listTopics(): Promise<TopicDescription[]> {
    const all = (await this.metadataOf(undefined)).filter((t) => !t.isInternal && !t.topic.startsWith('__'));
    const configs = await this.configsOf(all.map((t) => t.topic));
    return all.map((t) => ({
      name: t.topic, partitions: t.partitionMetadata.length, replicas: t.partitionMetadata[0]?.replicas.length ?? 1,
      configs: configs.get(t.topic) ?? {},
    }));
  }

  /** Topic configs by DescribeConfigs, when the cluster has it (else none are known). */
  private async configsOf(names: readonly string[]): Promise<Map<string, Record<string, string>>> {
    const out = new Map<string, Record<string, string>>();
    if (names.length === 0 || !(await this.supports(DESCRIBE_CONFIGS_KEY))) return out;
    try {
      const res = await this.anyBroker((b) => b.describeConfigs({ resources: names.map((name) => ({ type: 2, name, configNames: [] })) }));
      for (const r of res.resources) {
        if (r.errorCode !== 0) continue;
        const c: Record<string, string> = {};
        for (const e of r.configEntries) if (e.configValue !== null) c[e.configName] = e.configValue;
        out.set(r.resourceName, c);
      }
    } catch (e) {
      this.opts.log?.(`describeConfigs failed: ${(e as Error).message}`);
    }
    return out;
  }

  // ---- data --------------------------------------------------------------------------------

  private async leader(topic: string, partition: number): Promise<KjsBroker> {
    if (!this.cluster.targetTopics.has(topic)) await this.cluster.addTargetTopic(topic);
    let meta = this.cluster.findTopicPartitionMetadata(topic).find((p) => p.partitionId === partition);
    if (!meta || meta.leader < 0) {
      await this.cluster.refreshMetadata();
      meta = this.cluster.findTopicPartitionMetadata(topic).find((p) => p.partitionId === partition);
    }
    if (!meta) throw new TopicsError(KafkaErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Unknown topic or partition ${topic}-${partition}`);
    if (meta.leader < 0) throw new TopicsError(5, `No leader for ${topic}-${partition}`);
    return this.cluster.findBroker({ nodeId: meta.leader });
  }

  /** Runs `fn`, refreshing metadata and retrying on leadership / connection errors. */
  private async retrying<T>(what: string, fn: () => Promise<T>, attempts = 8): Promise<T> {
    let delay = 50;
    for (let i = 1; ; i++) {
      try {
        return await fn();
      } catch (e) {
        if (this.closed || i >= attempts || !isRetriable(e)) throw toTopicsError(e, what);
        await sleep(delay);
        delay = Math.min(delay * 2, 1000);
        await this.cluster.refreshMetadata().catch(() => {});
      }
    }
  }

  async append(topic: string, partition: number, records: readonly ProducedRecord[]): Promise<number> {
    if (records.length === 0) return this.endOffset(topic, partition);
    let first = -1;
    for (const chunk of this.chunks(records)) {
      const batch = await encodeBatch(chunk, 0, { codec: this.codec });
      const base = await this.retrying(`Produce to ${topic}-${partition}`, async () => {
        const broker = await this.leader(topic, partition);
        const version = negotiate(broker, PRODUCE_KEY, 3, 7);
        if (version === undefined) throw new TopicsError(KafkaErrorCode.CORRUPT_MESSAGE, `broker ${broker.nodeId} does not support Produce v3+ (record batch v2)`);
        const res = await broker.connectionPool.send(produceRequest(version, topic, partition, batch, this.opts.acks ?? -1, this.opts.requestTimeoutMs ?? 30000));
        if (res.errorCode !== 0) throw new TopicsError(res.errorCode, `Produce to ${topic}-${partition} failed with Kafka error ${res.errorCode}`);
        return res.baseOffset;
      });
      if (first < 0) first = base;
    }
    return first;
  }

  /** Splits records so that no produced batch grows past maxBatchBytes (Kafka's max.message.bytes is 1 MiB by default). */
  private chunks(records: readonly ProducedRecord[]): Generator<readonly ProducedRecord[]> {
    return batchesByBytes(records, this.opts.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES);
  }

  async read(topic: string, partition: number, offset: number, maxRecords: number, waitMs?: number): Promise<ConsumedRecord[]> {
    try {
      return await this.fetcher.read(topic, partition, offset, maxRecords, waitMs);
    } catch (e) {
      if (e instanceof TopicsError && e.kafkaCode === KafkaErrorCode.OFFSET_OUT_OF_RANGE) {
        const start = await this.startOffset(topic, partition);
        if (offset < start) return this.fetcher.read(topic, partition, start, maxRecords, waitMs);
      }
      throw e;
    }
  }

  private async listOffset(topic: string, partition: number, timestamp: number): Promise<number> {
    return this.retrying(`ListOffsets ${topic}-${partition}`, async () => {
      const broker = await this.leader(topic, partition);
      const res = await broker.listOffsets({ replicaId: -1, isolationLevel: 1, topics: [{ topic, partitions: [{ partition, timestamp }] }] });
      return Number(res.responses[0]!.partitions[0]!.offset);
    });
  }

  startOffset(topic: string, partition: number): Promise<number> {
    return this.listOffset(topic, partition, -2);
  }

  endOffset(topic: string, partition: number): Promise<number> {
    return this.listOffset(topic, partition, -1);
  }

  async offsetForTime(topic: string, partition: number, timestamp: number): Promise<number> {
    const o = await this.listOffset(topic, partition, timestamp);
    return o < 0 ? this.endOffset(topic, partition) : o;
  }

  // ---- consumer groups ---------------------------------------------------------------------

  private async coordinator<T>(groupId: string, what: string, fn: (b: KjsBroker) => Promise<T>): Promise<T> {
    return this.retrying(what, async () => {
      let c = this.coordinators.get(groupId);
      if (!c) this.coordinators.set(groupId, (c = await this.cluster.findGroupCoordinator({ groupId })));
      try {
        return await fn(c);
      } catch (e) {
        this.coordinators.delete(groupId);
        throw e;
      }
    });
  }

  async commitOffsets(groupId: string, offsets: ReadonlyMap<string, number>, generation?: GroupGeneration): Promise<void> {
    if (offsets.size === 0) return;
    const byTopic = new Map<string, { partition: number; offset: string }[]>();
    for (const [key, offset] of offsets) {
      const i = key.lastIndexOf(':');
      const topic = key.slice(0, i);
      const list = byTopic.get(topic) ?? [];
      list.push({ partition: Number(key.slice(i + 1)), offset: String(offset) });
      byTopic.set(topic, list);
    }
    const topics = [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
    await this.coordinator(groupId, `OffsetCommit for group ${groupId}`, (c) =>
      c.offsetCommit({ groupId, groupGenerationId: generation?.generationId ?? -1, memberId: generation?.memberId ?? '', retentionTime: -1, topics }));
  }

  /** A client of the group protocol for one member of `groupId` (runtime/group-assignment.ts). */
  groupClient(groupId: string, timeouts: { sessionTimeoutMs: number; rebalanceTimeoutMs: number }): GroupClient {
    return new GroupClient({ groupId, ...timeouts, coordinator: (what, fn) => this.coordinator(groupId, what, fn) });
  }

  async fetchOffsets(groupId: string): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const collect = (res: Awaited<ReturnType<KjsBroker['offsetFetch']>>) => {
      for (const t of res.responses) {
        for (const p of t.partitions) {
          const o = Number(p.offset);
          if (p.errorCode === 0 && o >= 0) out.set(`${t.topic}:${p.partition}`, o);
        }
      }
    };
    try {
      // OffsetFetch v2+ with no topics answers for every topic the group has offsets for.
      collect(await this.coordinator(groupId, `OffsetFetch for group ${groupId}`, (c) => c.offsetFetch({ groupId, topics: [] })));
    } catch {
      // fall through to naming the topics
    }
    if (out.size > 0) return out;
    // Brokers that need the topics named (OffsetFetch < v2, librdkafka's mock, which answers
    // "all topics" with nothing) are asked for every partition of every topic.
    const topics = (await this.metadataOf(undefined))
      .filter((t) => !t.topic.startsWith('__'))
      .map((t) => ({ topic: t.topic, partitions: t.partitionMetadata.map((p) => ({ partition: p.partitionId })) }));
    if (topics.length > 0) collect(await this.coordinator(groupId, `OffsetFetch for group ${groupId}`, (c) => c.offsetFetch({ groupId, topics })));
    return out;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.fetcher.close();
    await this.cluster.disconnect();
  }
}
