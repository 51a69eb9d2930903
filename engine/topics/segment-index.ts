/**
 * Sparse offset and time indexes of one segment, kept in memory (typed arrays grown by doubling)
 * and mirrored to `.index` (int32 relativeOffset, int32 position) and `.timeindex` (int64
 * timestamp, int32 relativeOffset) files, Kafka's layouts. Time entries hold the largest
 * timestamp of all records *before* their offset, so "largest entry with ts < T" is a safe scan start.
 */
import * as fs from 'node:fs';

export class SegmentIndex {
  count = 0;
  private rel = new Int32Array(64);
  private pos = new Int32Array(64);
  private ts = new Float64Array(64);
  private indexFd = -1;
  private timeFd = -1;

  constructor(
    readonly indexPath: string,
    readonly timeIndexPath: string,
  ) {}

  /** Opens the files for appending (truncating them when `fresh`). */
  openForAppend(fresh: boolean): void {
    this.indexFd = fs.openSync(this.indexPath, fresh ? 'w' : 'a');
    this.timeFd = fs.openSync(this.timeIndexPath, fresh ? 'w' : 'a');
  }

  closeFiles(): void {
    if (this.indexFd >= 0) fs.closeSync(this.indexFd);
    if (this.timeFd >= 0) fs.closeSync(this.timeFd);
    this.indexFd = this.timeFd = -1;
  }

  add(relOffset: number, position: number, maxTsBefore: number): void {
    if (this.count === this.rel.length) this.grow();
    const i = this.count++;
    this.rel[i] = relOffset;
    this.pos[i] = position;
    this.ts[i] = maxTsBefore;
    if (this.indexFd >= 0) {
      const b = Buffer.allocUnsafe(20);
      b.writeInt32BE(relOffset, 0);
      b.writeInt32BE(position, 4);
      b.writeBigInt64BE(BigInt(maxTsBefore), 8);
      b.writeInt32BE(relOffset, 16);
      fs.writeSync(this.indexFd, b, 0, 8);
      fs.writeSync(this.timeFd, b, 8, 12);
    }
  }

  private grow(): void {
    const n = this.rel.length * 2;
    const rel = new Int32Array(n);
    rel.set(this.rel);
    const pos = new Int32Array(n);
    pos.set(this.pos);
    const ts = new Float64Array(n);
    ts.set(this.ts);
    this.rel = rel;
    this.pos = pos;
    this.ts = ts;
  }

  /** Loads both files; false if missing or inconsistent (caller rebuilds). */
  load(segmentSize: number): boolean {
    let ib: Buffer;
    let tb: Buffer;
    try {
      ib = fs.readFileSync(this.indexPath);
      tb = fs.readFileSync(this.timeIndexPath);
    } catch {
      return false;
    }
    if (ib.length % 8 !== 0 || tb.length % 12 !== 0 || ib.length / 8 !== tb.length / 12) return false;
    this.count = 0;
    let lastRel = -1;
    let lastPos = -1;
    for (let o = 0, t = 0; o < ib.length; o += 8, t += 12) {
      const rel = ib.readInt32BE(o);
      const pos = ib.readInt32BE(o + 4);
      if (rel <= lastRel || pos <= lastPos || pos >= segmentSize || tb.readInt32BE(t + 8) !== rel) return false;
      if (this.count === this.rel.length) this.grow();
      this.rel[this.count] = rel;
      this.pos[this.count] = pos;
      this.ts[this.count] = Number(tb.readBigInt64BE(t));
      this.count++;
      lastRel = rel;
      lastPos = pos;
    }
    return true;
  }

  /** Drops entries at or beyond `position` (after a truncation) and rewrites the files. */
  truncateToPosition(position: number): void {
    let n = this.count;
    while (n > 0 && this.pos[n - 1]! >= position) n--;
    if (n === this.count) return;
    this.count = n;
    this.rewriteFiles();
  }

  rewriteFiles(): void {
    const reopen = this.indexFd >= 0;
    this.closeFiles();
    const ib = Buffer.allocUnsafe(this.count * 8);
    const tb = Buffer.allocUnsafe(this.count * 12);
    for (let i = 0; i < this.count; i++) {
      ib.writeInt32BE(this.rel[i]!, i * 8);
      ib.writeInt32BE(this.pos[i]!, i * 8 + 4);
      tb.writeBigInt64BE(BigInt(this.ts[i]!), i * 12);
      tb.writeInt32BE(this.rel[i]!, i * 12 + 8);
    }
    fs.writeFileSync(this.indexPath, ib);
    fs.writeFileSync(this.timeIndexPath, tb);
    if (reopen) this.openForAppend(false);
  }

  reset(): void {
    this.count = 0;
  }

  /** Index of the last entry with relOffset ≤ rel, or -1. */
  floorOffset(rel: number): number {
    let lo = 0;
    let hi = this.count - 1;
    let ans = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.rel[mid]! <= rel) {
        ans = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return ans;
  }

  /** Index of the last entry whose max-timestamp-before is < ts, or -1. */
  floorTime(ts: number): number {
    let lo = 0;
    let hi = this.count - 1;
    let ans = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ts[mid]! < ts) {
        ans = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return ans;
  }

  relAt(i: number): number {
    return this.rel[i]!;
  }
  positionAt(i: number): number {
    return this.pos[i]!;
  }
  timeAt(i: number): number {
    return this.ts[i]!;
  }

  deleteFiles(): void {
    this.closeFiles();
    fs.rmSync(this.indexPath, { force: true });
    fs.rmSync(this.timeIndexPath, { force: true });
  }
}
