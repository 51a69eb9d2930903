/**
 * Windowed keys in Kafka Streams' layout, so that windowed topics interoperate with ksqlDB:
 *   time windows (TUMBLING, HOPPING):  inner ++ int64BE(start)
 *   session windows:                   inner ++ int64BE(end) ++ int64BE(start)
 * The window end of a time window is not stored; readers derive it as start + window size.
 * A null inner key is written as zero bytes. Returned `inner` buffers alias the input.
 */

export interface WindowedKey {
  readonly inner: Buffer;
  readonly start: number;
  /** Present for session windows, and for time windows when a window size was given. */
  readonly end?: number;
}

function writeLong(b: Buffer, v: number, at: number): void {
  b.writeBigInt64BE(BigInt(v), at);
}

function readLong(b: Buffer, at: number): number {
  return Number(b.readBigInt64BE(at));
}

/** Time-windowed key: inner ++ int64BE(windowStart). */
export function serializeWindowedKey(inner: Buffer | null, windowStart: number): Buffer {
  const n = inner === null ? 0 : inner.length;
  const out = Buffer.allocUnsafe(n + 8);
  if (inner !== null) inner.copy(out, 0);
  writeLong(out, windowStart, n);
  return out;
}

/** Session-windowed key: inner ++ int64BE(windowEnd) ++ int64BE(windowStart). */
export function serializeSessionWindowedKey(inner: Buffer | null, windowStart: number, windowEnd: number): Buffer {
  const n = inner === null ? 0 : inner.length;
  const out = Buffer.allocUnsafe(n + 16);
  if (inner !== null) inner.copy(out, 0);
  writeLong(out, windowEnd, n);
  writeLong(out, windowStart, n + 8);
  return out;
}

/** Reads a time-windowed key; `end` is start + windowSizeMs when the size is given. */
export function deserializeWindowedKey(bytes: Buffer, windowSizeMs?: number): WindowedKey {
  if (bytes.length < 8) throw new RangeError(`Windowed key too short: ${bytes.length} bytes`);
  const n = bytes.length - 8;
  const start = readLong(bytes, n);
  const inner = bytes.subarray(0, n);
  return windowSizeMs === undefined ? { inner, start } : { inner, start, end: start + windowSizeMs };
}

export function deserializeSessionWindowedKey(bytes: Buffer): Required<WindowedKey> {
  if (bytes.length < 16) throw new RangeError(`Session windowed key too short: ${bytes.length} bytes`);
  const n = bytes.length - 16;
  return { inner: bytes.subarray(0, n), end: readLong(bytes, n), start: readLong(bytes, n + 8) };
}
