/**
 * The one interface queries use to reach topics (DESIGN.md, "Topics"). Two implementations:
 * the embedded log (segment files, read in-process) and Kafka (kafkajs). An in-memory one serves
 * the test driver. Queries cannot tell them apart.
 *
 * Offsets are per partition and start at 0; `endOffset` is the offset the next record will get.
 * Keys and values are raw bytes as they are on the wire (null = absent / tombstone).
 */
export interface RecordHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

export interface ProducedRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Epoch millis (CreateTime). */
  readonly timestamp: number;
  readonly headers: readonly RecordHeader[];
}

export interface ConsumedRecord extends ProducedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

export type CleanupPolicy = 'delete' | 'compact' | 'compact,delete';

export interface TopicConfig {
  readonly partitions: number;
  readonly replicas: number;
  /** Other topic configs by Kafka name (cleanup.policy, retention.ms, retention.bytes, segment.bytes, ...). */
  readonly configs?: Readonly<Record<string, string>>;
}

export interface TopicDescription {
  readonly name: string;
  readonly partitions: number;
  readonly replicas: number;
  readonly configs: Readonly<Record<string, string>>;
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** A member of a consumer group in one generation (what its offset commits carry). */
export interface GroupGeneration {
  readonly generationId: number;
  readonly memberId: string;
}

export interface Topics {
  /** Creates a topic; resolves without error if it already exists with the same partition count. */
  createTopic(name: string, config: TopicConfig): Promise<void>;
  deleteTopic(name: string): Promise<void>;
  describeTopic(name: string): Promise<TopicDescription | undefined>;
  listTopics(): Promise<TopicDescription[]>;

  /** Appends to one partition; resolves with the offset of the first record once it is durable per the fsync policy. */
  append(topic: string, partition: number, records: readonly ProducedRecord[]): Promise<number>;

  /**
   * Reads up to `maxRecords` from `offset` (inclusive). With `waitMs` > 0 it waits that long for data
   * when none is there yet (long poll), and resolves with [] on timeout.
   */
  read(topic: string, partition: number, offset: number, maxRecords: number, waitMs?: number): Promise<ConsumedRecord[]>;

  /** First offset still in the log (after retention / compaction). */
  startOffset(topic: string, partition: number): Promise<number>;
  /** Offset the next appended record will get (the high watermark). */
  endOffset(topic: string, partition: number): Promise<number>;
  /** The earliest offset whose timestamp is ≥ `timestamp`, or the end offset. */
  offsetForTime(topic: string, partition: number, timestamp: number): Promise<number>;

  /**
   * Committed consumer-group offsets (for external consumers and Kafka mode). A member of an active
   * group commits with its `generation` (the group rejects generation-less commits then); without
   * one the commit is a "simple" one, for groups without members. The embedded log ignores it.
   */
  commitOffsets(groupId: string, offsets: ReadonlyMap<string, number>, generation?: GroupGeneration): Promise<void>;
  /** Keys of the map are `${topic}:${partition}`. */
  fetchOffsets(groupId: string): Promise<Map<string, number>>;

  close(): Promise<void>;
}

export function topicPartitionKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}
