/**
 * Byte-level helpers shared by the codecs and the key layouts: a growable writer, varints and an
 * order-preserving 64-bit integer encoding.
 */

/**
 * A growable output buffer. `finish()` returns a fresh copy, so one writer can be reused across
 * serialisations (the codecs keep one module-level writer each; serialisation never re-enters).
 */
export class ByteWriter {
  buf: Buffer;
  pos = 0;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  reset(): this {
    this.pos = 0;
    return this;
  }

  ensure(extra: number): void {
    const need = this.pos + extra;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  bytes(src: Uint8Array): void {
    this.ensure(src.length);
    this.buf.set(src, this.pos);
    this.pos += src.length;
  }

  /** Unsigned varint (LEB128) of a non-negative safe integer. */
  uvarint(v: number): void {
    this.ensure(8);
    const b = this.buf;
    while (v >= 0x80) {
      b[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    b[this.pos++] = v;
  }

  uint32BE(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32BE(v, this.pos);
    this.pos += 4;
  }

  /** 8 bytes whose unsigned byte order equals the numeric order of the safe integer `v`. */
  orderedInt64(v: number): void {
    this.ensure(8);
    writeOrderedInt64(this.buf, this.pos, v);
    this.pos += 8;
  }

  /** ASCII fast path for short strings; returns false (writing nothing) at the first non-ASCII char. */
  ascii(s: string): boolean {
    const n = s.length;
    this.ensure(n);
    const b = this.buf;
    const start = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) return false;
      b[start + i] = c;
    }
    this.pos = start + n;
    return true;
  }

  finish(): Buffer {
    const n = this.pos;
    const out = Buffer.allocUnsafe(n);
    if (n <= 48) {
      // Byte loop beats Buffer#copy's native call for the short keys and values that dominate.
      const b = this.buf;
      for (let i = 0; i < n; i++) out[i] = b[i]!;
    } else {
      this.buf.copy(out, 0, 0, n);
    }
    return out;
  }
}

/** Cursor over a buffer for decoding. */
export class ByteReader {
  pos: number;
  constructor(readonly buf: Buffer, start = 0) {
    this.pos = start;
  }

  byte(): number {
    if (this.pos >= this.buf.length) throw new RangeError('Unexpected end of encoded value');
    return this.buf[this.pos++]!;
  }

  uvarint(): number {
    let result = 0;
    let mul = 1;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 0x80;
    }
  }

  take(n: number): Buffer {
    const end = this.pos + n;
    if (end > this.buf.length) throw new RangeError('Unexpected end of encoded value');
    const out = this.buf.subarray(this.pos, end);
    this.pos = end;
    return out;
  }
}

const TWO_32 = 0x1_0000_0000;

/**
 * Two's complement big-endian with the sign bit flipped, so that unsigned byte comparison orders
 * numerically (negative < positive). Accepts any safe integer (epoch millis, window starts).
 */
export function writeOrderedInt64(buf: Buffer, offset: number, v: number): void {
  const hi = Math.floor(v / TWO_32);
  const lo = v - hi * TWO_32;
  buf.writeUInt32BE(((hi | 0) ^ 0x8000_0000) >>> 0, offset);
  buf.writeUInt32BE(lo, offset + 4);
}

export function readOrderedInt64(buf: Buffer, offset: number): number {
  const hi = (buf.readUInt32BE(offset) ^ 0x8000_0000) | 0;
  return hi * TWO_32 + buf.readUInt32BE(offset + 4);
}

/** Lowest and highest safe integers, the bounds for open-ended time ranges. */
export const MIN_TIME = Number.MIN_SAFE_INTEGER;
export const MAX_TIME = Number.MAX_SAFE_INTEGER;

/** Clamps a time bound (possibly ±Infinity) into the encodable range. */
export function clampTime(t: number): number {
  return t < MIN_TIME ? MIN_TIME : t > MAX_TIME ? MAX_TIME : Math.floor(t);
}

interface BufferInternals { latin1Slice(start: number, end: number): string; utf8Slice(start: number, end: number): string }

/**
 * `buf.toString('latin1', start, end)` without its argument handling (it is the same native call);
 * measurable on the per-record path where every key becomes a Map id.
 */
export function latin1(buf: Buffer, start = 0, end = buf.length): string {
  return (buf as unknown as BufferInternals).latin1Slice(start, end);
}

export function utf8(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as BufferInternals).utf8Slice(start, end);
}
