/**
 * Kafka RecordBatch v2 (magic 2): encode from `ProducedRecord`s, inspect headers in place, decode
 * records. Layout per the reference (§8); header fields are read straight from the buffer so the
 * log never materialises a batch object on the append or fetch paths.
 */
import { crc32c } from './crc32c.js';
import { compress, decompress, Codec } from './compression.js';
import type { ConsumedRecord, ProducedRecord, RecordHeader } from './topics.js';
import { readVarint, varintSize, writeVarint, type Cursor } from './varint.js';

export const BATCH_HEADER_SIZE = 61;
/** Bytes needed to know a batch's offset and total size. */
export const BATCH_PREFIX_SIZE = 12;

export const OFF_BASE_OFFSET = 0;
export const OFF_LENGTH = 8;
export const OFF_LEADER_EPOCH = 12;
export const OFF_MAGIC = 16;
export const OFF_CRC = 17;
export const OFF_ATTRIBUTES = 21;
export const OFF_LAST_OFFSET_DELTA = 23;
export const OFF_BASE_TIMESTAMP = 27;
export const OFF_MAX_TIMESTAMP = 35;
export const OFF_PRODUCER_ID = 43;
export const OFF_RECORDS_COUNT = 57;

export const ATTR_CODEC_MASK = 0x07;
export const ATTR_LOG_APPEND_TIME = 0x08;
export const ATTR_TRANSACTIONAL = 0x10;
export const ATTR_CONTROL = 0x20;

export function batchBaseOffset(buf: Buffer, pos: number): number {
  return Number(buf.readBigInt64BE(pos));
}
export function setBatchBaseOffset(buf: Buffer, pos: number, offset: number): void {
  buf.writeBigInt64BE(BigInt(offset), pos);
}
/** Total size of the batch at `pos` (batchLength + 12). */
export function batchSize(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos + OFF_LENGTH) + BATCH_PREFIX_SIZE;
}
export function batchLastOffsetDelta(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos + OFF_LAST_OFFSET_DELTA);
}
export function batchMaxTimestamp(buf: Buffer, pos: number): number {
  return Number(buf.readBigInt64BE(pos + OFF_MAX_TIMESTAMP));
}
export function batchAttributes(buf: Buffer, pos: number): number {
  return buf.readInt16BE(pos + OFF_ATTRIBUTES);
}
export function batchRecordCount(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos + OFF_RECORDS_COUNT);
}

/** Why a batch is unacceptable, or undefined if it is well-formed (size, magic and CRC checked). */
export function validateBatch(buf: Buffer, pos: number, end: number): string | undefined {
  if (end - pos < BATCH_HEADER_SIZE) return 'batch shorter than its header';
  const size = batchSize(buf, pos);
  if (size < BATCH_HEADER_SIZE) return 'batch length too small';
  if (pos + size > end) return 'batch truncated';
  if (buf[pos + OFF_MAGIC] !== 2) return `unsupported magic ${buf[pos + OFF_MAGIC]}`;
  if (batchLastOffsetDelta(buf, pos) < 0) return 'negative lastOffsetDelta';
  if (buf.readUInt32BE(pos + OFF_CRC) !== crc32c(buf, pos + OFF_ATTRIBUTES, pos + size)) return 'CRC mismatch';
  return undefined;
}

function recordBodySize(r: ProducedRecord, tsDelta: number, offsetDelta: number): number {
  let n = 1 + varintSize(tsDelta) + varintSize(offsetDelta);
  n += r.key === null ? 1 : varintSize(r.key.length) + r.key.length;
  n += r.value === null ? 1 : varintSize(r.value.length) + r.value.length;
  n += varintSize(r.headers.length);
  for (const h of r.headers) {
    const kl = Buffer.byteLength(h.key);
    n += varintSize(kl) + kl + (h.value === null ? 1 : varintSize(h.value.length) + h.value.length);
  }
  return n;
}

function writeRecord(buf: Buffer, pos: number, r: ProducedRecord, bodySize: number, tsDelta: number, offsetDelta: number): number {
  pos = writeVarint(buf, pos, bodySize);
  buf[pos++] = 0;
  pos = writeVarint(buf, pos, tsDelta);
  pos = writeVarint(buf, pos, offsetDelta);
  if (r.key === null) pos = writeVarint(buf, pos, -1);
  else {
    pos = writeVarint(buf, pos, r.key.length);
    pos += r.key.copy(buf, pos);
  }
  if (r.value === null) pos = writeVarint(buf, pos, -1);
  else {
    pos = writeVarint(buf, pos, r.value.length);
    pos += r.value.copy(buf, pos);
  }
  pos = writeVarint(buf, pos, r.headers.length);
  for (const h of r.headers) {
    pos = writeVarint(buf, pos, Buffer.byteLength(h.key));
    pos += buf.write(h.key, pos);
    if (h.value === null) pos = writeVarint(buf, pos, -1);
    else {
      pos = writeVarint(buf, pos, h.value.length);
      pos += h.value.copy(buf, pos);
    }
  }
  return pos;
}

export interface EncodeOptions {
  readonly codec?: number;
  /** Offset deltas per record (compaction keeps original offsets); default 0..n-1. */
  readonly offsetDeltas?: readonly number[];
  /** Preserved lastOffsetDelta (compaction); default the last offset delta. */
  readonly lastOffsetDelta?: number;
  readonly baseTimestamp?: number;
  readonly producerId?: number;
  readonly producerEpoch?: number;
  readonly baseSequence?: number;
  readonly attributes?: number;
}

/** Encodes records as one batch with the given base offset. Async only for zstd. */
export function encodeBatch(records: readonly ProducedRecord[], baseOffset: number, opts: EncodeOptions = {}): Buffer | Promise<Buffer> {
  const codec = opts.codec ?? Codec.None;
  let baseTs = opts.baseTimestamp ?? (records.length > 0 ? records[0]!.timestamp : Date.now());
  let maxTs = -1;
  for (const r of records) {
    if (opts.baseTimestamp === undefined && r.timestamp < baseTs) baseTs = r.timestamp;
    if (r.timestamp > maxTs) maxTs = r.timestamp;
  }
  if (records.length === 0) maxTs = baseTs;
  const bodySizes = new Array<number>(records.length);
  let recordsSize = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const od = opts.offsetDeltas ? opts.offsetDeltas[i]! : i;
    const s = recordBodySize(r, r.timestamp - baseTs, od);
    bodySizes[i] = s;
    recordsSize += varintSize(s) + s;
  }
  const lastOffsetDelta = opts.lastOffsetDelta ?? (opts.offsetDeltas ? opts.offsetDeltas[records.length - 1] ?? 0 : Math.max(0, records.length - 1));
  const finish = (payload: Buffer, into?: Buffer): Buffer => {
    const buf = into ?? Buffer.allocUnsafe(BATCH_HEADER_SIZE + payload.length);
    if (!into) payload.copy(buf, BATCH_HEADER_SIZE);
    buf.writeBigInt64BE(BigInt(baseOffset), OFF_BASE_OFFSET);
    buf.writeInt32BE(buf.length - BATCH_PREFIX_SIZE, OFF_LENGTH);
    buf.writeInt32BE(-1, OFF_LEADER_EPOCH);
    buf[OFF_MAGIC] = 2;
    buf.writeInt16BE(((opts.attributes ?? 0) & ~ATTR_CODEC_MASK) | codec, OFF_ATTRIBUTES);
    buf.writeInt32BE(lastOffsetDelta, OFF_LAST_OFFSET_DELTA);
    buf.writeBigInt64BE(BigInt(baseTs), OFF_BASE_TIMESTAMP);
    buf.writeBigInt64BE(BigInt(maxTs), OFF_MAX_TIMESTAMP);
    buf.writeBigInt64BE(BigInt(opts.producerId ?? -1), OFF_PRODUCER_ID);
    buf.writeInt16BE(opts.producerEpoch ?? -1, 51);
    buf.writeInt32BE(opts.baseSequence ?? -1, 53);
    buf.writeInt32BE(records.length, OFF_RECORDS_COUNT);
    buf.writeUInt32BE(crc32c(buf, OFF_ATTRIBUTES), OFF_CRC);
    return buf;
  };
  const writeAll = (buf: Buffer, start: number): void => {
    let pos = start;
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      pos = writeRecord(buf, pos, r, bodySizes[i]!, r.timestamp - baseTs, opts.offsetDeltas ? opts.offsetDeltas[i]! : i);
    }
  };
  if (codec === Codec.None) {
    const buf = Buffer.allocUnsafe(BATCH_HEADER_SIZE + recordsSize);
    writeAll(buf, BATCH_HEADER_SIZE);
    return finish(buf, buf);
  }
  const raw = Buffer.allocUnsafe(recordsSize);
  writeAll(raw, 0);
  const packed = compress(codec, raw);
  return packed instanceof Promise ? packed.then((p) => finish(p)) : finish(packed);
}

/** The record section of the batch at `pos`, decompressed. */
export function batchRecordsPayload(buf: Buffer, pos: number): Buffer | Promise<Buffer> {
  const end = pos + batchSize(buf, pos);
  return decompress(batchAttributes(buf, pos) & ATTR_CODEC_MASK, buf.subarray(pos + BATCH_HEADER_SIZE, end));
}

const NO_HEADERS: readonly RecordHeader[] = Object.freeze([]);

/**
 * Decodes the records of one batch whose offset is ≥ `fromOffset` into `out`, at most `max` of
 * them. Control batches yield nothing. Returns the number added. `payload` comes from
 * `batchRecordsPayload`. `visit`, when given, is called instead of pushing (compaction, time lookups).
 */
export function decodeBatchRecords(
  buf: Buffer,
  pos: number,
  payload: Buffer,
  topic: string,
  partition: number,
  fromOffset: number,
  max: number,
  out: ConsumedRecord[],
): number {
  const attrs = batchAttributes(buf, pos);
  if (attrs & ATTR_CONTROL) return 0;
  const baseOffset = batchBaseOffset(buf, pos);
  const baseTs = Number(buf.readBigInt64BE(pos + OFF_BASE_TIMESTAMP));
  const logAppend = (attrs & ATTR_LOG_APPEND_TIME) !== 0;
  const maxTs = logAppend ? batchMaxTimestamp(buf, pos) : 0;
  const count = batchRecordCount(buf, pos);
  const c: Cursor = { pos: 0 };
  let added = 0;
  for (let i = 0; i < count && added < max; i++) {
    const len = readVarint(payload, c);
    const next = c.pos + len;
    if (next > payload.length) throw new RangeError('record past end of batch');
    c.pos++; // attributes
    const tsDelta = readVarint(payload, c);
    const offset = baseOffset + readVarint(payload, c);
    if (offset < fromOffset) {
      c.pos = next;
      continue;
    }
    const keyLen = readVarint(payload, c);
    const key = keyLen < 0 ? null : payload.subarray(c.pos, (c.pos += keyLen));
    const valueLen = readVarint(payload, c);
    const value = valueLen < 0 ? null : payload.subarray(c.pos, (c.pos += valueLen));
    const hc = readVarint(payload, c);
    let headers = NO_HEADERS;
    if (hc > 0) {
      const hs: RecordHeader[] = [];
      for (let h = 0; h < hc; h++) {
        const kl = readVarint(payload, c);
        const hk = payload.toString('utf8', c.pos, (c.pos += kl));
        const vl = readVarint(payload, c);
        hs.push({ key: hk, value: vl < 0 ? null : payload.subarray(c.pos, (c.pos += vl)) });
      }
      headers = hs;
    }
    c.pos = next;
    out.push({ topic, partition, offset, timestamp: logAppend ? maxTs : baseTs + tsDelta, key, value, headers });
    added++;
  }
  return added;
}

/** Decodes every record of a batch (any codec). */
export async function decodeBatch(buf: Buffer, pos: number, topic: string, partition: number, fromOffset = 0): Promise<ConsumedRecord[]> {
  const out: ConsumedRecord[] = [];
  decodeBatchRecords(buf, pos, await batchRecordsPayload(buf, pos), topic, partition, fromOffset, Number.MAX_SAFE_INTEGER, out);
  return out;
}
