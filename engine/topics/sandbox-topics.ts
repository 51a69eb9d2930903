/**
 * The topic admin of a sandboxed engine (ksqlDB's SandboxedKafkaTopicClient): creations and
 * deletions are recorded in an overlay instead of reaching the real topics, so a later statement
 * of the same request sees the topic an earlier one would create (or no longer sees one it would
 * delete), and nothing is written. Reads of real topics pass through; appends are dropped.
 */
import { KafkaErrorCode, TopicsError } from './batch-log.js';
import { validateTopicName, withDefaults } from './topic-config.js';
import type { ConsumedRecord, ProducedRecord, TopicConfig, TopicDescription, Topics } from './topics.js';

export class SandboxTopics implements Topics {
  private readonly created = new Map<string, TopicDescription>();
  private readonly deleted = new Set<string>();

  constructor(private readonly real: Topics) {}

  /** Same contract as the logs: succeeds when the topic exists with the same partition count. */
  async createTopic(name: string, config: TopicConfig): Promise<void> {
    validateTopicName(name);
    const existing = await this.describeTopic(name);
    if (existing) {
      if (existing.partitions === config.partitions) return;
      throw new TopicsError(KafkaErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${name}' already exists with ${existing.partitions} partitions`);
    }
    if (!Number.isInteger(config.partitions) || config.partitions < 1) throw new TopicsError(KafkaErrorCode.INVALID_PARTITIONS, `Invalid partition count ${config.partitions}`);
    this.created.set(name, { name, partitions: config.partitions, replicas: config.replicas, configs: withDefaults(config.configs) });
  }

  async deleteTopic(name: string): Promise<void> {
    if (!(await this.describeTopic(name))) throw new TopicsError(KafkaErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Unknown topic '${name}'`);
    this.created.delete(name);
    this.deleted.add(name);
  }

  async describeTopic(name: string): Promise<TopicDescription | undefined> {
    const mine = this.created.get(name);
    if (mine) return mine;
    return this.deleted.has(name) ? undefined : this.real.describeTopic(name);
  }

  async listTopics(): Promise<TopicDescription[]> {
    const real = (await this.real.listTopics()).filter((t) => !this.deleted.has(t.name) && !this.created.has(t.name));
    return [...real, ...this.created.values()];
  }

  /** INSERT VALUES validates (serialises) its row; the record goes nowhere. */
  async append(topic: string, partition: number, _records: readonly ProducedRecord[]): Promise<number> {
    return this.endOffset(topic, partition);
  }

  async read(topic: string, partition: number, offset: number, maxRecords: number, waitMs?: number): Promise<ConsumedRecord[]> {
    return this.isReal(topic) ? this.real.read(topic, partition, offset, maxRecords, waitMs) : [];
  }

  async startOffset(topic: string, partition: number): Promise<number> {
    return this.isReal(topic) ? this.real.startOffset(topic, partition) : 0;
  }

  async endOffset(topic: string, partition: number): Promise<number> {
    return this.isReal(topic) ? this.real.endOffset(topic, partition) : 0;
  }

  async offsetForTime(topic: string, partition: number, timestamp: number): Promise<number> {
    return this.isReal(topic) ? this.real.offsetForTime(topic, partition, timestamp) : 0;
  }

  async commitOffsets(_groupId: string, _offsets: ReadonlyMap<string, number>): Promise<void> {}

  fetchOffsets(groupId: string): Promise<Map<string, number>> {
    return this.real.fetchOffsets(groupId);
  }

  /** The real topics belong to the real engine. */
  async close(): Promise<void> {}

  private isReal(topic: string): boolean {
    return !this.created.has(topic) && !this.deleted.has(topic);
  }
}
