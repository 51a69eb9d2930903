/**
 * The parts of kafkajs 2.2.4 that Kafka mode uses below its public API, typed here and nowhere
 * else. Why internals at all: kafkajs's public consumer is push-based and group-managed (no
 * `assign`, no pull), and its public producer and consumer turn record headers into an object
 * (duplicate keys merged, order lost) and decode only gzip without plugins. Kafka mode needs pull
 * reads at exact offsets and byte-exact record batches, so it uses kafkajs for what it does well
 * — connections, SASL/SSL, version negotiation, metadata, coordinator lookup, admin requests —
 * and sends its own Fetch and Produce bodies (kafka/wire.ts) over kafkajs's connections.
 *
 * kafkajs is in maintenance mode (last release 2.2.4); package.json pins it exactly so that these
 * paths cannot move under us. Everything used is listed in the interfaces below.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface KjsLogger {
  namespace(name: string): KjsLogger;
}

/** `{ request, response }` as kafkajs's `Connection.send` takes it. */
export interface ProtocolRequest<T> {
  readonly request: {
    readonly apiKey: number;
    readonly apiVersion: number;
    readonly apiName: string;
    encode(): Promise<KjsEncoder> | KjsEncoder;
    expectResponse?(): boolean;
  };
  readonly response: {
    decode(payload: Buffer): Promise<T> | T;
    parse(decoded: T): Promise<T> | T;
  };
  readonly requestTimeout?: number;
  readonly logResponseError?: boolean;
}

export interface KjsEncoder {
  writeBuffer(b: Buffer): KjsEncoder;
}

export interface KjsBroker {
  readonly nodeId: number;
  /** apiKey → advertised range, known once connected. */
  readonly versions: Record<number, { minVersion: number; maxVersion: number }> | null;
  readonly connectionPool: { send<T>(req: ProtocolRequest<T>): Promise<T> };
  isConnected(): boolean;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  metadata(topics?: string[]): Promise<KjsMetadata>;
  /** The request builder for `apiKey` at the negotiated version (throws if unsupported). */
  lookupRequest(apiKey: number, definition: unknown): (args: Record<string, unknown>) => ProtocolRequest<unknown>;
  listOffsets(args: {
    replicaId?: number;
    isolationLevel?: number;
    topics: { topic: string; partitions: { partition: number; timestamp: number }[] }[];
  }): Promise<{ responses: { topic: string; partitions: { partition: number; errorCode: number; offset: string }[] }[] }>;
  offsetCommit(args: {
    groupId: string;
    groupGenerationId: number;
    memberId: string;
    retentionTime?: number;
    topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
  }): Promise<unknown>;
  offsetFetch(args: { groupId: string; topics: { topic: string; partitions: { partition: number }[] }[] }): Promise<{
    responses: { topic: string; partitions: { partition: number; offset: string; errorCode: number }[] }[];
  }>;
  createTopics(args: {
    topics: { topic: string; numPartitions: number; replicationFactor: number; configEntries: { name: string; value: string }[] }[];
    timeout?: number;
  }): Promise<unknown>;
  deleteTopics(args: { topics: string[]; timeout?: number }): Promise<unknown>;
  describeConfigs(args: { resources: { type: number; name: string; configNames?: string[] | null }[] }): Promise<{
    resources: { errorCode: number; resourceName: string; configEntries: { configName: string; configValue: string | null }[] }[];
  }>;
}

export interface KjsPartitionMetadata {
  readonly partitionErrorCode: number;
  readonly partitionId: number;
  readonly leader: number;
  readonly replicas: number[];
}

export interface KjsMetadata {
  readonly controllerId?: number;
  readonly brokers: { nodeId: number; host: string; port: number }[];
  readonly topicMetadata: { topicErrorCode: number; topic: string; isInternal?: boolean; partitionMetadata: KjsPartitionMetadata[] }[];
}

export interface KjsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  isConnected(): boolean;
  refreshMetadata(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  findBroker(args: { nodeId: number | string }): Promise<KjsBroker>;
  findControllerBroker(): Promise<KjsBroker>;
  findTopicPartitionMetadata(topic: string): KjsPartitionMetadata[];
  findGroupCoordinator(args: { groupId: string }): Promise<KjsBroker>;
  getNodeIds(): number[];
  readonly brokerPool: { metadata: KjsMetadata | null; withBroker<T>(fn: (a: { broker: KjsBroker }) => Promise<T>): Promise<T> };
  readonly targetTopics: Set<string>;
}

export interface ClusterOptions {
  readonly brokers: string[];
  readonly clientId: string;
  readonly connectionTimeout?: number;
  readonly requestTimeout?: number;
  readonly ssl?: unknown;
  readonly sasl?: unknown;
  readonly logLevel?: number;
  readonly allowAutoTopicCreation?: boolean;
  readonly metadataMaxAge?: number;
}

type ClusterCtor = new (opts: Record<string, unknown>) => KjsCluster;

const Cluster = require('kafkajs/src/cluster') as ClusterCtor;
const { createLogger, LEVELS } = require('kafkajs/src/loggers') as {
  createLogger(o: { level: number; logCreator: unknown }): KjsLogger;
  LEVELS: Record<'NOTHING' | 'ERROR' | 'WARN' | 'INFO' | 'DEBUG', number>;
};
const LoggerConsole = require('kafkajs/src/loggers/console') as unknown;
const defaultSocketFactory = require('kafkajs/src/network/socketFactory') as () => unknown;
const Encoder = require('kafkajs/src/protocol/encoder') as new () => KjsEncoder;

const { requests } = require('kafkajs/src/protocol/requests') as { requests: Record<string, unknown> };

export const LOG_LEVEL = LEVELS;

/**
 * A Metadata request whose per-topic errors are returned rather than thrown (kafkajs's parser
 * throws on the first one). `topics` empty = all topics. `allowAutoTopicCreation` is the v4+ flag;
 * below v4 naming a topic lets the broker auto-create it whatever the flag says.
 */
export function rawMetadata(broker: KjsBroker, topics: string[], allowAutoTopicCreation: boolean): Promise<KjsMetadata> {
  const req = broker.lookupRequest(3, requests['Metadata'])({ topics, allowAutoTopicCreation }) as ProtocolRequest<KjsMetadata>;
  return broker.connectionPool.send({ ...req, response: { decode: req.response.decode, parse: (d: KjsMetadata) => d } });
}

/** A kafkajs Cluster: connections to every broker, metadata, coordinators, version lookup. */
export function createCluster(opts: ClusterOptions): KjsCluster {
  return new Cluster({
    logger: createLogger({ level: opts.logLevel ?? LEVELS.ERROR, logCreator: LoggerConsole }),
    socketFactory: defaultSocketFactory(),
    brokers: opts.brokers,
    ssl: opts.ssl,
    sasl: opts.sasl,
    clientId: opts.clientId,
    connectionTimeout: opts.connectionTimeout ?? 3000,
    requestTimeout: opts.requestTimeout ?? 30000,
    enforceRequestTimeout: true,
    metadataMaxAge: opts.metadataMaxAge ?? 300000,
    retry: { retries: 5, initialRetryTime: 100 },
    allowAutoTopicCreation: opts.allowAutoTopicCreation ?? false,
    maxInFlightRequests: null,
    offsets: new Map(),
  });
}

/** A kafkajs Encoder holding `body` (what `request.encode()` must return). */
export function encoderOf(body: Buffer): KjsEncoder {
  return new Encoder().writeBuffer(body);
}

/** kafkajs errors carry the Kafka error name in `type` (KafkaJSProtocolError) and a class name in `name`. */
export interface KjsError extends Error {
  readonly type?: string;
  readonly code?: number;
  readonly retriable?: boolean;
}

/** kafkajs's consumer protocol codecs (ConsumerProtocol metadata and assignment, as tools read them). */
export const AssignerProtocol = require('kafkajs').AssignerProtocol as {
  MemberMetadata: {
    encode(m: { version: number; topics: string[]; userData?: Buffer }): Buffer;
    decode(b: Buffer): { version: number; topics: string[]; userData: Buffer } | null;
  };
  MemberAssignment: {
    encode(a: { version: number; assignment: Record<string, number[]>; userData?: Buffer }): Buffer;
    decode(b: Buffer): { version: number; assignment: Record<string, number[]>; userData: Buffer } | null;
  };
};

/** The group-membership requests of a kafkajs Broker (JoinGroup, SyncGroup, Heartbeat, LeaveGroup). */
export interface KjsGroupBroker {
  joinGroup(args: {
    groupId: string; sessionTimeout: number; rebalanceTimeout: number; memberId: string; protocolType: string;
    groupProtocols: { name: string; metadata: Buffer }[];
  }): Promise<{ generationId: number; groupProtocol: string; leaderId: string; memberId: string; members: { memberId: string; memberMetadata: Buffer }[] }>;
  syncGroup(args: { groupId: string; generationId: number; memberId: string; groupAssignment: { memberId: string; memberAssignment: Buffer }[] }): Promise<{ memberAssignment: Buffer }>;
  heartbeat(args: { groupId: string; groupGenerationId: number; memberId: string }): Promise<unknown>;
  leaveGroup(args: { groupId: string; memberId: string }): Promise<unknown>;
}
