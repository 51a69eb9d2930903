/**
 * Kafka wire primitives (reference §7): big-endian ints, int16-length strings, int32-length bytes
 * and arrays, and the flexible-version compact forms (unsigned varint N+1) with tagged fields.
 * Hand-written: no npm package offers server-direction codecs for Node 20 (reference §14).
 * The reader throws `ProtocolError` on any underrun so a malformed frame never escapes as garbage.
 */
export class ProtocolError extends Error {}

export class Reader {
  pos: number;
  constructor(
    readonly buf: Buffer,
    pos = 0,
    readonly end = buf.length,
  ) {
    this.pos = pos;
  }

  private need(n: number): number {
    const p = this.pos;
    if (n < 0 || p + n > this.end) throw new ProtocolError(`frame truncated: need ${n} bytes at ${p}, have ${this.end - p}`);
    this.pos = p + n;
    return p;
  }
  remaining(): number {
    return this.end - this.pos;
  }
  int8(): number {
    return this.buf.readInt8(this.need(1));
  }
  bool(): boolean {
    return this.buf[this.need(1)] !== 0;
  }
  int16(): number {
    return this.buf.readInt16BE(this.need(2));
  }
  int32(): number {
    return this.buf.readInt32BE(this.need(4));
  }
  int64(): number {
    return Number(this.buf.readBigInt64BE(this.need(8)));
  }
  uvarint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 5; i++) {
      const b = this.buf[this.need(1)]!;
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result;
      mul *= 128;
    }
    throw new ProtocolError('unsigned varint too long');
  }
  nullableString(): string | null {
    const n = this.int16();
    if (n < 0) return null;
    const p = this.need(n);
    return this.buf.toString('utf8', p, p + n);
  }
  string(): string {
    const s = this.nullableString();
    if (s === null) throw new ProtocolError('null string where one is required');
    return s;
  }
  nullableBytes(): Buffer | null {
    const n = this.int32();
    if (n < 0) return null;
    const p = this.need(n);
    return this.buf.subarray(p, p + n);
  }
  bytes(): Buffer {
    return this.nullableBytes() ?? Buffer.alloc(0);
  }
  /** int32-count array; null (-1) gives null. */
  nullableArray<T>(item: (r: Reader) => T): T[] | null {
    const n = this.int32();
    if (n < 0) return null;
    if (n > this.remaining()) throw new ProtocolError(`array count ${n} exceeds frame`);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item(this));
    return out;
  }
  array<T>(item: (r: Reader) => T): T[] {
    return this.nullableArray(item) ?? [];
  }
  compactNullableString(): string | null {
    const n = this.uvarint() - 1;
    if (n < 0) return null;
    const p = this.need(n);
    return this.buf.toString('utf8', p, p + n);
  }
  compactString(): string {
    return this.compactNullableString() ?? '';
  }
  compactArray<T>(item: (r: Reader) => T): T[] | null {
    const n = this.uvarint() - 1;
    if (n < 0) return null;
    if (n > this.remaining()) throw new ProtocolError(`array count ${n} exceeds frame`);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item(this));
    return out;
  }
  /** Skips a tagged-field buffer (unknown tags are ignored, KIP-482). */
  skipTags(): void {
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      this.uvarint();
      this.need(this.uvarint());
    }
  }
}

/**
 * Growable response writer. Large payloads (record batches) are attached by reference with `raw`
 * and written to the socket without copying.
 */
export class Writer {
  private buf: Buffer;
  private pos = 0;
  private readonly chunks: Buffer[] = [];
  private flushedBytes = 0;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
  int8(v: number): this {
    this.ensure(1);
    this.buf.writeInt8(v, this.pos);
    this.pos += 1;
    return this;
  }
  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }
  int16(v: number): this {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }
  int32(v: number): this {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }
  int64(v: number): this {
    this.ensure(8);
    this.buf.writeBigInt64BE(BigInt(v), this.pos);
    this.pos += 8;
    return this;
  }
  uvarint(v: number): this {
    this.ensure(5);
    while (v >= 0x80) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
    return this;
  }
  nullableString(s: string | null): this {
    if (s === null) return this.int16(-1);
    const n = Buffer.byteLength(s);
    this.int16(n);
    this.ensure(n);
    this.pos += this.buf.write(s, this.pos);
    return this;
  }
  string(s: string): this {
    return this.nullableString(s);
  }
  compactNullableString(s: string | null): this {
    if (s === null) return this.uvarint(0);
    const n = Buffer.byteLength(s);
    this.uvarint(n + 1);
    this.ensure(n);
    this.pos += this.buf.write(s, this.pos);
    return this;
  }
  nullableBytes(b: Buffer | null): this {
    if (b === null) return this.int32(-1);
    this.int32(b.length);
    this.ensure(b.length);
    this.pos += b.copy(this.buf, this.pos);
    return this;
  }
  bytes(b: Buffer): this {
    return this.nullableBytes(b);
  }
  array<T>(items: readonly T[], item: (w: Writer, v: T) => void): this {
    this.int32(items.length);
    for (const v of items) item(this, v);
    return this;
  }
  int32Array(items: readonly number[]): this {
    return this.array(items, (w, v) => w.int32(v));
  }
  compactArray<T>(items: readonly T[] | null, item: (w: Writer, v: T) => void): this {
    if (items === null) return this.uvarint(0);
    this.uvarint(items.length + 1);
    for (const v of items) item(this, v);
    return this;
  }
  emptyTags(): this {
    return this.uvarint(0);
  }
  /** Appends `b` by reference (no copy). */
  raw(b: Buffer): this {
    if (b.length === 0) return this;
    if (this.pos > 0) {
      this.chunks.push(this.buf.subarray(0, this.pos));
      this.flushedBytes += this.pos;
      this.buf = Buffer.allocUnsafe(Math.max(256, this.buf.length - this.pos));
      this.pos = 0;
    }
    this.chunks.push(b);
    this.flushedBytes += b.length;
    return this;
  }
  get length(): number {
    return this.flushedBytes + this.pos;
  }
  /** The encoded bytes as a list of buffers (no copy of raw parts). */
  buffers(): Buffer[] {
    return this.pos > 0 ? [...this.chunks, this.buf.subarray(0, this.pos)] : [...this.chunks];
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.buffers());
  }
}
