/**
 * A task's writes to its output topics, exactly once across crashes in embedded mode
 * (a transactional outbox):
 *
 * 1. at a commit, the outputs of everything processed since the previous commit are staged and
 *    committed atomically with the state and the source offsets (`outbox` in the commit metadata),
 *    together with where each output partition ended after this task's last write (`produced`);
 * 2. then they are appended to the topics.
 *
 * A crash before (1) loses the batch's state and outputs together: it is processed again. A crash
 * between (1) and (2), or during (2), leaves committed outputs that may be missing from the topics:
 * on restart, the log past `produced` is matched in order against the outbox (records of other
 * writers to the same partition are skipped over) and the outbox records not found are appended.
 * So a crash neither loses nor repeats an output, whatever the cache made of the updates.
 */
import type { ConsumedRecord, ProducedRecord, RecordHeader, Topics } from '../topics/topics.js';
import { topicPartitionKey } from '../topics/topics.js';
import type { OutputRecord } from './task.js';
import { appendInBatches } from '../topics/batching.js';

/** [topic, partition, key, value, timestamp, headers as [key, value] pairs] */
type StoredOutput = [string, number, Buffer | null, Buffer | null, number, [string, Buffer | null][]];

function sameBytes(a: Buffer | null, b: Buffer | null): boolean {
  if (a === null || b === null) return a === b;
  return a.equals(b);
}

function sameRecord(r: ConsumedRecord, p: ProducedRecord): boolean {
  return r.timestamp === p.timestamp && sameBytes(r.key, p.key) && sameBytes(r.value, p.value);
}

function toStored(o: OutputRecord): StoredOutput {
  return [o.topic, o.partition, o.record.key, o.record.value, o.record.timestamp, o.record.headers.map((h) => [h.key, h.value])];
}

function fromStored(s: StoredOutput): OutputRecord {
  const headers: RecordHeader[] = s[5].map(([key, value]) => ({ key, value }));
  return { topic: s[0], partition: s[1], record: { key: s[2], value: s[3], timestamp: s[4], headers } };
}

/** Outputs per topic partition, in order (one append each). */
export function groupByPartition(outputs: readonly OutputRecord[]): Map<string, { topic: string; partition: number; records: ProducedRecord[] }> {
  const groups = new Map<string, { topic: string; partition: number; records: ProducedRecord[] }>();
  for (const o of outputs) {
    const k = topicPartitionKey(o.topic, o.partition);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { topic: o.topic, partition: o.partition, records: [] }));
    g.records.push(o.record);
  }
  return groups;
}

export class TaskOutputs {
  private staged: OutputRecord[] = [];

  private constructor(private readonly topics: Topics, private readonly produced: Map<string, number>) {}

  /**
   * Restores from the last commit's metadata (absent on a first start) and completes its outbox.
   * `sinks` are the output topics; their current ends become the baseline of untracked partitions.
   */
  static async restore(
    topics: Topics, committed: Readonly<Record<string, unknown>>, sinks: readonly { topic: string; partitions: number }[],
  ): Promise<TaskOutputs> {
    const produced = new Map<string, number>();
    const p = committed['produced'];
    if (p && typeof p === 'object') for (const [k, v] of Object.entries(p as Record<string, unknown>)) if (typeof v === 'number') produced.set(k, v);
    const outputs = new TaskOutputs(topics, produced);
    const outbox = Array.isArray(committed['outbox']) ? (committed['outbox'] as StoredOutput[]).map(fromStored) : [];
    for (const [k, g] of groupByPartition(outbox)) {
      if (!produced.has(k)) produced.set(k, await topics.endOffset(g.topic, g.partition));
      const missing = await outputs.notYetWritten(g.topic, g.partition, produced.get(k)!, g.records);
      if (missing.length > 0) await outputs.append(k, g.topic, g.partition, missing);
      else produced.set(k, await topics.endOffset(g.topic, g.partition));
    }
    for (const { topic, partitions } of sinks) {
      for (let i = 0; i < partitions; i++) {
        const k = topicPartitionKey(topic, i);
        if (!produced.has(k)) produced.set(k, await topics.endOffset(topic, i));
      }
    }
    return outputs;
  }

  /** Stages a commit's outputs; the returned metadata goes into the same atomic commit. */
  stage(outputs: readonly OutputRecord[]): Record<string, unknown> {
    this.staged = this.staged.concat(outputs);
    return { produced: Object.fromEntries(this.produced), outbox: this.staged.map(toStored) };
  }

  /** Metadata once the staged outputs are written (empty outbox). */
  metadata(): Record<string, unknown> {
    return { produced: Object.fromEntries(this.produced), outbox: [] };
  }

  /** Appends the staged outputs, one append per topic partition, in order. */
  async write(): Promise<void> {
    const staged = this.staged;
    if (staged.length === 0) return;
    for (const [k, g] of groupByPartition(staged)) await this.append(k, g.topic, g.partition, g.records);
    this.staged = [];
  }

  private async append(key: string, topic: string, partition: number, records: readonly ProducedRecord[]): Promise<void> {
    const base = await appendInBatches(this.topics, topic, partition, records);
    this.produced.set(key, base + records.length);
  }

  /** The suffix of `records` not found, in order, in the log from `from` on. */
  private async notYetWritten(topic: string, partition: number, from: number, records: readonly ProducedRecord[]): Promise<ProducedRecord[]> {
    let matched = 0;
    let offset = from;
    const end = await this.topics.endOffset(topic, partition);
    while (matched < records.length && offset < end) {
      const batch = await this.topics.read(topic, partition, offset, 500, 2000); // records up to `end` exist: wait for the fetch
      if (batch.length === 0) break;
      for (const r of batch) {
        if (r.offset >= end || matched >= records.length) break;
        if (sameRecord(r, records[matched]!)) matched++;
      }
      offset = batch[batch.length - 1]!.offset + 1;
    }
    return records.slice(matched);
  }
}
