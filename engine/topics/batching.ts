/**
 * Splitting produced records into appends that stay under Kafka's `max.message.bytes` (1 MiB by
 * default, checked per batch by both the embedded log and a broker). Writers that accumulate
 * output (a commit interval's worth of a task's output) must not hand a topic one huge batch.
 */
import type { ProducedRecord, Topics } from './topics.js';

/** Default batch budget: half of Kafka's default max.message.bytes, leaving room for framing. */
export const DEFAULT_MAX_BATCH_BYTES = 512 * 1024;

/** Consecutive slices of `records` whose estimated encoded size stays within `limit` (a single larger record gets its own slice). */
export function* batchesByBytes(records: readonly ProducedRecord[], limit = DEFAULT_MAX_BATCH_BYTES): Generator<readonly ProducedRecord[]> {
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    let size = 24 + (r.key?.length ?? 0) + (r.value?.length ?? 0);
    for (const h of r.headers) size += 8 + h.key.length * 3 + (h.value?.length ?? 0);
    if (i > start && bytes + size > limit) {
      yield records.slice(start, i);
      start = i;
      bytes = 0;
    }
    bytes += size;
  }
  if (records.length > 0) yield start === 0 ? records : records.slice(start);
}

/** Appends `records` in order as one or more batches; returns the offset of the first record. */
export async function appendInBatches(topics: Topics, topic: string, partition: number, records: readonly ProducedRecord[]): Promise<number> {
  if (records.length === 0) return topics.append(topic, partition, records);
  let first = -1;
  for (const batch of batchesByBytes(records)) {
    const base = await topics.append(topic, partition, batch);
    if (first < 0) first = base;
  }
  return first;
}
