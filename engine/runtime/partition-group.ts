/**
 * The input side of a task with several source partitions (a join's two topics, or a re-keying
 * query's partitions): records are buffered per partition and handed out in event-time order,
 * like Kafka Streams' PartitionGroup. Without it a task reading a stream and a table would process
 * whichever batch it fetched first, and a stream record could miss a table row with an earlier
 * timestamp that simply sat in the other partition's next batch.
 *
 * A partition whose buffer is empty blocks processing only while more data may be waiting for it
 * (its last fetch was full); one that is caught up does not (Kafka Streams' `max.task.idle.ms` = 0).
 */
import type { ConsumedRecord } from '../topics/topics.js';

interface PartitionBuffer {
  readonly key: string;
  records: ConsumedRecord[];
  pos: number;
  /** Next offset to fetch (past what is buffered). */
  fetchOffset: number;
  /** The last fetch returned a full batch: more may be waiting. */
  mayHaveMore: boolean;
}

export class PartitionGroup {
  private readonly buffers: PartitionBuffer[] = [];

  constructor(offsets: ReadonlyMap<string, number>) {
    for (const [key, offset] of offsets) this.buffers.push({ key, records: [], pos: 0, fetchOffset: offset, mayHaveMore: true });
  }

  /** Partitions whose buffer is empty and that should be fetched, with the offset to fetch from. */
  needingFetch(): { key: string; offset: number }[] {
    return this.buffers.filter((b) => b.pos >= b.records.length).map((b) => ({ key: b.key, offset: b.fetchOffset }));
  }

  /** Adds a fetched batch (possibly empty) for a partition. */
  add(key: string, records: ConsumedRecord[], batchSize: number): void {
    const b = this.buffers.find((x) => x.key === key)!;
    b.records = records;
    b.pos = 0;
    b.mayHaveMore = records.length >= batchSize;
    if (records.length) b.fetchOffset = records[records.length - 1]!.offset + 1;
  }

  /**
   * The buffered record with the smallest timestamp, or undefined when none may be processed yet
   * (nothing buffered, or an empty partition may still have earlier data). Ties go to the partition
   * listed first, so a task's order is deterministic.
   */
  next(): { key: string; record: ConsumedRecord } | undefined {
    let best: PartitionBuffer | undefined;
    for (const b of this.buffers) {
      if (b.pos >= b.records.length) {
        if (b.mayHaveMore) return undefined;
        continue;
      }
      if (!best || b.records[b.pos]!.timestamp < best.records[best.pos]!.timestamp) best = b;
    }
    if (!best) return undefined;
    return { key: best.key, record: best.records[best.pos++]! };
  }

  get size(): number {
    return this.buffers.length;
  }
}
