/** What request handlers see: the broker's state and config, the request header, the connection. */
import { TopicsError, type BatchLog } from '../../engine/topics/index.js';
import type { Reader, Writer } from './codec.js';
import type { GroupCoordinator } from './group-coordinator.js';
import { ErrorCode } from './protocol.js';

export interface BrokerConfig {
  readonly nodeId: number;
  readonly clusterId: string;
  readonly autoCreateTopics: boolean;
  readonly defaultPartitions: number;
  /** Host and port put in Metadata / FindCoordinator answers. */
  advertisedHost(): string;
  advertisedPort(): number;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface BrokerContext {
  readonly topics: BatchLog;
  readonly config: BrokerConfig;
  readonly groups: GroupCoordinator;
  nextProducerId(): number;
  log(level: LogLevel, message: string): void;
}

export interface RequestHeader {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
}

export interface ConnectionInfo {
  readonly clientHost: string;
  isClosed(): boolean;
}

/** Decodes one request body and answers it; null = send no response (Produce with acks=0). */
export type Handler = (r: Reader, h: RequestHeader, broker: BrokerContext, conn: ConnectionInfo) => Promise<Writer | null> | Writer | null;

/** The Kafka error code for a failure from the topic layer. */
export function errorCodeOf(e: unknown): number {
  return e instanceof TopicsError ? e.kafkaCode : ErrorCode.UNKNOWN_SERVER_ERROR;
}

/**
 * Partition count of `topic`, creating it first when allowed (auto.create.topics.enable and the
 * request's own flag). Throws TopicsError (UNKNOWN_TOPIC_OR_PARTITION / INVALID_TOPIC_EXCEPTION).
 */
export async function ensureTopic(broker: BrokerContext, topic: string, allowCreate: boolean): Promise<number> {
  const n = broker.topics.partitionCount(topic);
  if (n !== undefined) return n;
  if (!allowCreate || !broker.config.autoCreateTopics) throw new TopicsError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Unknown topic '${topic}'`);
  await broker.topics.createTopic(topic, { partitions: broker.config.defaultPartitions, replicas: 1 });
  broker.log('info', `auto-created topic ${topic} with ${broker.config.defaultPartitions} partition(s)`);
  return broker.topics.partitionCount(topic)!;
}
