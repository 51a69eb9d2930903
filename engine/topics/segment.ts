/**
 * One segment: `<baseOffset>.log` holding RecordBatch v2 bytes back to back, plus its sparse
 * indexes. Appends and reads are synchronous file calls (page-cache speed, no promise per call);
 * fsync is the caller's business (see `PartitionLog`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  BATCH_HEADER_SIZE,
  BATCH_PREFIX_SIZE,
  OFF_LAST_OFFSET_DELTA,
  OFF_LENGTH,
  OFF_MAX_TIMESTAMP,
  batchBaseOffset,
  validateBatch,
} from './record-batch.js';
import { SegmentIndex } from './segment-index.js';

export function segmentFileName(baseOffset: number, ext: string): string {
  return `${String(baseOffset).padStart(20, '0')}${ext}`;
}

/** Reads a chunk of a file; fewer bytes at end of file. */
export function readChunk(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const n = fs.readSync(fd, buf, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got === length ? buf : buf.subarray(0, got);
}

export class Segment {
  readonly logPath: string;
  readonly index: SegmentIndex;
  fd: number;
  size = 0;
  /** Offset after the last batch in this segment. */
  nextOffset: number;
  maxTimestamp = -1;
  /** Wall time when the segment was created (for segment.ms rolls). */
  createdAt = Date.now();
  private bytesSinceIndex = 0;

  constructor(
    readonly dir: string,
    readonly baseOffset: number,
    private readonly indexInterval: number,
    fresh: boolean,
  ) {
    this.logPath = path.join(dir, segmentFileName(baseOffset, '.log'));
    this.index = new SegmentIndex(path.join(dir, segmentFileName(baseOffset, '.index')), path.join(dir, segmentFileName(baseOffset, '.timeindex')));
    this.fd = fs.openSync(this.logPath, fresh ? 'w+' : 'r+');
    this.nextOffset = baseOffset;
    if (fresh) this.index.openForAppend(true);
    else this.createdAt = fs.fstatSync(this.fd).mtimeMs;
  }

  /**
   * Opens an existing segment. Closed segments trust their index files (checked for shape and the
   * last entry) and scan only past the last entry; the active one (`recover`) is scanned whole
   * with CRC checks and cut at the first torn or corrupt batch. Returns the bytes truncated.
   */
  load(recover: boolean): number {
    const fileSize = fs.fstatSync(this.fd).size;
    this.size = fileSize;
    let scanFrom = 0;
    let rebuild = true;
    if (!recover && this.index.load(fileSize) && this.index.count > 0) {
      const last = this.index.count - 1;
      const pos = this.index.positionAt(last);
      const head = readChunk(this.fd, pos, BATCH_PREFIX_SIZE);
      if (head.length === BATCH_PREFIX_SIZE && batchBaseOffset(head, 0) === this.baseOffset + this.index.relAt(last)) {
        scanFrom = pos;
        this.maxTimestamp = this.index.timeAt(last);
        this.nextOffset = this.baseOffset + this.index.relAt(last);
        rebuild = false;
      }
    }
    if (rebuild) this.index.reset();
    const validEnd = this.scan(scanFrom, fileSize, recover);
    if (rebuild) this.index.rewriteFiles();
    if (validEnd < fileSize) {
      fs.ftruncateSync(this.fd, validEnd);
      this.size = validEnd;
    }
    return fileSize - validEnd;
  }

  /** Walks batches in [from, end) adding index entries; returns the end of the last valid batch. */
  private scan(from: number, end: number, checkCrc: boolean): number {
    const CHUNK = 1 << 20;
    let pos = from;
    let buf: Buffer = Buffer.alloc(0);
    let bufStart = pos;
    while (pos < end) {
      let off = pos - bufStart;
      if (off + BATCH_PREFIX_SIZE > buf.length) {
        buf = readChunk(this.fd, pos, Math.min(CHUNK, end - pos));
        bufStart = pos;
        off = 0;
        if (buf.length < BATCH_PREFIX_SIZE) return pos;
      }
      const size = buf.readInt32BE(off + OFF_LENGTH) + BATCH_PREFIX_SIZE;
      if (size < BATCH_HEADER_SIZE || pos + size > end) return pos;
      if (off + size > buf.length) {
        buf = readChunk(this.fd, pos, Math.max(size, Math.min(CHUNK, end - pos)));
        bufStart = pos;
        off = 0;
        if (buf.length < size) return pos;
      }
      if (checkCrc ? validateBatch(buf, off, off + size) !== undefined : buf[off + 16] !== 2) return pos;
      const base = batchBaseOffset(buf, off);
      if (base < this.nextOffset) return pos;
      this.maybeIndex(base, pos, size);
      this.nextOffset = base + buf.readInt32BE(off + OFF_LAST_OFFSET_DELTA) + 1;
      const ts = Number(buf.readBigInt64BE(off + OFF_MAX_TIMESTAMP));
      if (ts > this.maxTimestamp) this.maxTimestamp = ts;
      pos += size;
    }
    return pos;
  }

  private maybeIndex(batchBase: number, position: number, size: number): void {
    if (position === 0) {
      this.bytesSinceIndex += size;
      return;
    }
    if (this.bytesSinceIndex >= this.indexInterval) {
      this.index.add(batchBase - this.baseOffset, position, this.maxTimestamp);
      this.bytesSinceIndex = 0;
    }
    this.bytesSinceIndex += size;
  }

  /** Appends whole batches (base offsets already assigned). */
  append(data: Buffer, firstBase: number, nextOffset: number, maxTimestamp: number, batchStarts?: readonly number[]): void {
    const position = this.size;
    let written = 0;
    while (written < data.length) written += fs.writeSync(this.fd, data, written, data.length - written, position + written);
    if (batchStarts && batchStarts.length > 1) {
      for (let i = 0; i < batchStarts.length; i++) {
        const s = batchStarts[i]!;
        const e = i + 1 < batchStarts.length ? batchStarts[i + 1]! : data.length;
        this.maybeIndex(batchBaseOffset(data, s), position + s, e - s);
        const ts = Number(data.readBigInt64BE(s + OFF_MAX_TIMESTAMP));
        if (ts > this.maxTimestamp) this.maxTimestamp = ts;
      }
    } else {
      this.maybeIndex(firstBase, position, data.length);
      if (maxTimestamp > this.maxTimestamp) this.maxTimestamp = maxTimestamp;
    }
    this.size += data.length;
    this.nextOffset = nextOffset;
  }

  /** Position of the batch containing `offset` (≥ baseOffset, < nextOffset), or -1. */
  positionOf(offset: number): number {
    const i = this.index.floorOffset(offset - this.baseOffset);
    let pos = i < 0 ? 0 : this.index.positionAt(i);
    const CHUNK = 64 * 1024;
    while (pos < this.size) {
      const buf = readChunk(this.fd, pos, Math.min(CHUNK, this.size - pos));
      let p = 0;
      while (p + 27 <= buf.length) {
        const last = batchBaseOffset(buf, p) + buf.readInt32BE(p + OFF_LAST_OFFSET_DELTA);
        if (last >= offset) return pos + p;
        p += buf.readInt32BE(p + OFF_LENGTH) + BATCH_PREFIX_SIZE;
      }
      if (p === 0) return -1;
      pos += p;
    }
    return -1;
  }

  /** Position to start a timestamp search from (all records before it are older than `ts`). */
  positionForTime(ts: number): number {
    const i = this.index.floorTime(ts);
    return i < 0 ? 0 : this.index.positionAt(i);
  }

  /** Whole batches from `position`, about `maxBytes` but at least one batch. */
  readBatches(position: number, maxBytes: number): Buffer {
    if (position >= this.size) return Buffer.alloc(0);
    const want = Math.max(BATCH_HEADER_SIZE, Math.min(maxBytes, this.size - position));
    let buf = readChunk(this.fd, position, want);
    if (buf.length < BATCH_PREFIX_SIZE) return Buffer.alloc(0);
    const first = buf.readInt32BE(OFF_LENGTH) + BATCH_PREFIX_SIZE;
    if (first > buf.length) return readChunk(this.fd, position, Math.min(first, this.size - position));
    let p = 0;
    while (p + BATCH_PREFIX_SIZE <= buf.length) {
      const s = buf.readInt32BE(p + OFF_LENGTH) + BATCH_PREFIX_SIZE;
      if (p + s > buf.length) break;
      p += s;
    }
    if (p < buf.length) buf = buf.subarray(0, p);
    return buf;
  }

  truncateTo(position: number, nextOffset: number): void {
    fs.ftruncateSync(this.fd, position);
    this.size = position;
    this.nextOffset = nextOffset;
    this.index.truncateToPosition(position);
  }

  /** Stops appending: keeps the fd for reads, closes index files. */
  seal(): void {
    this.index.closeFiles();
  }

  openForAppend(): void {
    this.index.openForAppend(false);
  }

  close(): void {
    this.index.closeFiles();
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }

  delete(): void {
    this.close();
    fs.rmSync(this.logPath, { force: true });
    this.index.deleteFiles();
  }
}
