/**
 * What the Kafka-protocol listener needs beyond `Topics`: raw RecordBatch v2 append and fetch (so
 * producer batches are stored and served byte for byte, any codec), append notifications for
 * long-poll fetches, and synchronous partition lookups. Both `EmbeddedTopics` and `MemoryTopics`
 * implement it.
 */
import { StreamsException } from '../errors/index.js';
import type { Topics } from './topics.js';

/** Kafka protocol error codes the log reports. */
export const KafkaErrorCode = {
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  MESSAGE_TOO_LARGE: 10,
  INVALID_TOPIC_EXCEPTION: 17,
  TOPIC_ALREADY_EXISTS: 36,
  INVALID_PARTITIONS: 37,
  INVALID_REPLICATION_FACTOR: 38,
  INVALID_CONFIG: 40,
  KAFKA_STORAGE_ERROR: 56,
} as const;

/** A topic-log failure carrying the Kafka error code the listener answers with. */
export class TopicsError extends StreamsException {
  readonly kafkaCode: number;
  constructor(kafkaCode: number, message: string) {
    super(message);
    this.kafkaCode = kafkaCode;
  }
}

export interface AppendResult {
  /** Offset given to the first record. */
  readonly baseOffset: number;
  /** Broker time for LogAppendTime topics, else -1. */
  readonly logAppendTime: number;
  readonly logStartOffset: number;
}

export interface FetchResult {
  /** Whole batches (views into storage: do not mutate), starting with the one holding the offset. */
  readonly batches: Buffer[];
  readonly bytes: number;
  readonly highWatermark: number;
  readonly logStartOffset: number;
}

export type AppendListener = (topic: string, partition: number) => void;

export interface BatchLog extends Topics {
  /** Partition count, or undefined if the topic does not exist. */
  partitionCount(topic: string): number | undefined;
  /** Config of an existing topic with defaults filled in (Kafka names). */
  topicConfigs(topic: string): Readonly<Record<string, string>> | undefined;
  /**
   * Appends one or more producer batches as they are (validated: magic 2, CRC). Base offsets are
   * rewritten in place. Throws `TopicsError`.
   */
  appendBatches(topic: string, partition: number, batches: Buffer): Promise<AppendResult>;
  /**
   * Whole batches from the one containing `offset`, up to `maxBytes` but always at least one
   * batch when any exists. `offset == end` gives none; outside [start, end] → OFFSET_OUT_OF_RANGE.
   */
  fetchBatches(topic: string, partition: number, offset: number, maxBytes: number): FetchResult;
  startOffsetSync(topic: string, partition: number): number;
  endOffsetSync(topic: string, partition: number): number;
  /** Called after every append becomes readable. Returns an unsubscribe function. */
  onAppend(listener: AppendListener): () => void;
}
