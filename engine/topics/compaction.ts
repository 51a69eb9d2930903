/**
 * Log compaction (cleanup.policy=compact): rewrites closed segments keeping, per key, only the
 * record at the latest offset anywhere in the partition (active segment included). Tombstones that
 * are latest survive until their timestamp is older than delete.retention.ms (Kafka measures that
 * from the cleaning time; record time is the approximation here). Kept batches keep their base
 * offset and lastOffsetDelta, so offsets never move; unchanged batches are copied byte for byte.
 * A segment is swapped by writing `.cleaned`, fsyncing, dropping its indexes and renaming; a crash
 * at any point leaves either the old or the new file, and missing indexes are rebuilt on open.
 */
import * as fs from 'node:fs';
import {
  ATTR_CODEC_MASK,
  ATTR_CONTROL,
  OFF_BASE_TIMESTAMP,
  batchAttributes,
  batchBaseOffset,
  batchLastOffsetDelta,
  batchRecordCount,
  batchRecordsPayload,
  batchSize,
  decodeBatchRecords,
  encodeBatch,
} from './record-batch.js';
import type { PartitionLog } from './partition-log.js';
import { Segment } from './segment.js';
import type { ConsumedRecord } from './topics.js';

async function forEachBatchInSegment(seg: Segment, visit: (buf: Buffer, pos: number) => Promise<void>): Promise<void> {
  let position = 0;
  while (position < seg.size) {
    const buf = seg.readBatches(position, 1 << 20);
    if (buf.length === 0) return;
    let p = 0;
    while (p < buf.length) {
      await visit(buf, p);
      p += batchSize(buf, p);
    }
    position += buf.length;
  }
}

async function decodeAll(buf: Buffer, p: number, log: PartitionLog): Promise<ConsumedRecord[]> {
  const out: ConsumedRecord[] = [];
  decodeBatchRecords(buf, p, await batchRecordsPayload(buf, p), log.topic, log.partition, 0, Number.MAX_SAFE_INTEGER, out);
  return out;
}

/** Compacts every closed segment of `log`. Returns the bytes reclaimed. */
export async function compactPartition(log: PartitionLog, now: number): Promise<number> {
  if (log.segments.length < 2 || log.busy) return 0;
  log.busy = true;
  try {
    const latest = new Map<string, number>();
    for (const seg of [...log.segments]) {
      await forEachBatchInSegment(seg, async (buf, p) => {
        if (batchAttributes(buf, p) & ATTR_CONTROL) return;
        for (const r of await decodeAll(buf, p, log)) if (r.key !== null) latest.set(r.key.toString('latin1'), r.offset);
      });
    }
    const horizon = now - log.settings.deleteRetentionMs;
    let reclaimed = 0;
    const closed = log.segments.length - 1;
    for (let i = 0; i < closed; i++) {
      const seg = log.segments[i]!;
      if (seg.fd < 0) return reclaimed; // the topic was deleted meanwhile
      const parts: Buffer[] = [];
      let changed = false;
      await forEachBatchInSegment(seg, async (buf, p) => {
        const size = batchSize(buf, p);
        const attrs = batchAttributes(buf, p);
        if (attrs & ATTR_CONTROL) {
          parts.push(buf.subarray(p, p + size));
          return;
        }
        const records = await decodeAll(buf, p, log);
        const keep = records.filter((r) => r.key === null || (latest.get(r.key.toString('latin1')) === r.offset && !(r.value === null && r.timestamp < horizon)));
        if (keep.length === batchRecordCount(buf, p)) {
          parts.push(buf.subarray(p, p + size));
          return;
        }
        changed = true;
        if (keep.length === 0) return;
        const base = batchBaseOffset(buf, p);
        const rewritten = await encodeBatch(keep, base, {
          codec: attrs & ATTR_CODEC_MASK,
          offsetDeltas: keep.map((r) => r.offset - base),
          lastOffsetDelta: batchLastOffsetDelta(buf, p),
          baseTimestamp: Number(buf.readBigInt64BE(p + OFF_BASE_TIMESTAMP)),
          attributes: attrs & ~ATTR_CODEC_MASK,
        });
        parts.push(rewritten);
      });
      if (!changed) continue;
      const cleanedPath = `${seg.logPath}.cleaned`;
      const fd = fs.openSync(cleanedPath, 'w');
      let size = 0;
      for (const part of parts) {
        fs.writeSync(fd, part);
        size += part.length;
      }
      fs.fdatasyncSync(fd);
      fs.closeSync(fd);
      reclaimed += seg.size - size;
      const base = seg.baseOffset;
      seg.close();
      seg.index.deleteFiles();
      fs.renameSync(cleanedPath, seg.logPath);
      const fresh = new Segment(log.dir, base, log.settings.indexInterval, false);
      fresh.load(false);
      fresh.createdAt = seg.createdAt;
      log.replaceSegment(i, fresh);
    }
    return reclaimed;
  } finally {
    log.busy = false;
  }
}

