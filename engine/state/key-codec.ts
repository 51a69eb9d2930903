/**
 * Order-preserving key encoding: unsigned byte order of the encoding equals the natural order of
 * the values, and every encoding is prefix-free, so encodings concatenate into tuple keys
 * (the scheme of FoundationDB's tuple layer, extended to the engine's value set).
 *
 * Order, per component:
 *   null < false < true < numbers < decimals < strings < bytes < arrays < structs < maps
 * - numbers (INTEGER/BIGINT/DOUBLE): numeric order, −∞ < … < −0 < +0 < … < +∞ < NaN. A `bigint`
 *   (BIGINT beyond ±(2^53−1), see types/long.ts) sorts by its exact value among numbers; mixing
 *   it with a non-integral DOUBLE of the same float image is not ordered exactly (never happens
 *   within one typed key column). bigints must fit in 64 bits.
 * - Decimal: numeric order among values of the same scale (one DECIMAL column has one scale);
 *   1.0 and 1.00 stay distinct keys, as with Java's BigDecimal.equals.
 * - strings: by UTF-8 bytes (= code point order); bytes: lexicographic.
 * - arrays: lexicographic by element, shorter prefix first; structs/maps by (field, value) pairs
 *   in their own order (only meaningful within one schema).
 */
import { Decimal } from '../types/decimal.js';
import { ByteReader, ByteWriter, utf8 } from './bytes.js';
import type { Serializer } from './stores.js';

const enum K {
  End = 0x00, Null = 0x01, False = 0x02, True = 0x03, Num = 0x04, Dec = 0x05,
  Str = 0x06, Bytes = 0x07, Arr = 0x08, Struct = 0x09, Map = 0x0a, Field = 0x01,
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const SIGN64 = 1n << 63n;

const keyWriter = new ByteWriter(256);
const scratch = Buffer.allocUnsafe(8);

export function encodeOrderedKey(value: unknown): Buffer {
  const w = keyWriter.reset();
  writeKey(w, value);
  return w.finish();
}

export function decodeOrderedKey(bytes: Buffer): unknown {
  const r = new ByteReader(bytes);
  const v = readKey(r);
  if (r.pos !== bytes.length) throw new RangeError('Trailing bytes after ordered key');
  return v;
}

export function orderedKeySerializer<K = unknown>(): Serializer<K> {
  return orderedInstance as Serializer<K>;
}

const orderedInstance: Serializer<unknown> = { serialize: encodeOrderedKey, deserialize: decodeOrderedKey };

function writeOrderedDouble(w: ByteWriter, v: number): void {
  w.ensure(8);
  w.buf.writeDoubleBE(Number.isNaN(v) ? NaN : v, w.pos);
  if (w.buf[w.pos]! & 0x80) {
    for (let i = 0; i < 8; i++) w.buf[w.pos + i] = ~w.buf[w.pos + i]! & 0xff;
  } else {
    w.buf[w.pos] = w.buf[w.pos]! | 0x80;
  }
  w.pos += 8;
}

function readOrderedDouble(r: ByteReader): number {
  const b = r.take(8);
  for (let i = 0; i < 8; i++) scratch[i] = b[i]!;
  if (scratch[0]! & 0x80) scratch[0] = scratch[0]! & 0x7f;
  else for (let i = 0; i < 8; i++) scratch[i] = ~scratch[i]! & 0xff;
  return scratch.readDoubleBE(0);
}

/** 0x00 inside the data is escaped as 00 FF; 00 terminates. Preserves lexicographic order. */
function writeEscaped(w: ByteWriter, data: Uint8Array): void {
  w.ensure(data.length * 2 + 1);
  const b = w.buf;
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    b[w.pos++] = c;
    if (c === 0) b[w.pos++] = 0xff;
  }
  b[w.pos++] = 0;
}

function readEscaped(r: ByteReader): Buffer {
  const src = r.buf;
  let i = r.pos;
  let end = src.indexOf(0, i);
  if (end < 0) throw new RangeError('Unterminated string in ordered key');
  if (src[end + 1] !== 0xff) { r.pos = end + 1; return src.subarray(i, end); }
  const parts: number[] = [];
  for (;;) {
    if (i >= src.length) throw new RangeError('Unterminated string in ordered key');
    const c = src[i++]!;
    if (c !== 0) { parts.push(c); continue; }
    if (src[i] === 0xff) { parts.push(0); i++; continue; }
    break;
  }
  r.pos = i;
  return Buffer.from(parts);
}

/** Sign/length header then magnitude: 0x80 is zero, 0x80+n positive, 0x80−n negative (bytes complemented). */
function writeOrderedBigInt(w: ByteWriter, v: bigint): void {
  const neg = v < 0n;
  let mag = neg ? -v : v;
  const bytes: number[] = [];
  while (mag > 0n) { bytes.push(Number(mag & 0xffn)); mag >>= 8n; }
  if (bytes.length > 127) throw new RangeError('Decimal too large for an ordered key');
  w.byte(neg ? 0x80 - bytes.length : 0x80 + bytes.length);
  for (let i = bytes.length - 1; i >= 0; i--) w.byte(neg ? 0xff - bytes[i]! : bytes[i]!);
}

function readOrderedBigInt(r: ByteReader): bigint {
  const h = r.byte();
  const neg = h < 0x80;
  const n = neg ? 0x80 - h : h - 0x80;
  let mag = 0n;
  for (let i = 0; i < n; i++) mag = (mag << 8n) | BigInt(neg ? 0xff - r.byte() : r.byte());
  return neg ? -mag : mag;
}

function writeKey(w: ByteWriter, v: unknown): void {
  switch (typeof v) {
    case 'number':
      w.byte(K.Num); writeOrderedDouble(w, v); w.byte(0);
      return;
    case 'bigint':
      if (v < INT64_MIN || v > INT64_MAX) throw new RangeError('bigint key outside 64 bits');
      w.byte(K.Num); writeOrderedDouble(w, Number(v)); w.byte(1);
      w.ensure(8); w.buf.writeBigUInt64BE(BigInt.asUintN(64, v) ^ SIGN64, w.pos); w.pos += 8;
      return;
    case 'string':
      w.byte(K.Str);
      // ASCII without NUL needs no escaping: write it in place (the common case for keys).
      if (v.length < 64 && v.indexOf('\0') < 0 && w.ascii(v)) { w.byte(0); return; }
      writeEscaped(w, Buffer.from(v, 'utf8'));
      return;
    case 'boolean': w.byte(v ? K.True : K.False); return;
    case 'object': break;
    default: throw new TypeError(`Cannot encode a ${typeof v} in an ordered key`);
  }
  if (v === null) { w.byte(K.Null); return; }
  if (Array.isArray(v)) {
    w.byte(K.Arr);
    for (const x of v) writeKey(w, x);
    w.byte(K.End);
    return;
  }
  if (v instanceof Uint8Array) { w.byte(K.Bytes); writeEscaped(w, v); return; }
  if (v instanceof Decimal) {
    w.byte(K.Dec); writeOrderedBigInt(w, v.unscaled);
    w.uint32BE((v.scale ^ 0x8000_0000) >>> 0);
    return;
  }
  if (v instanceof Map) {
    w.byte(K.Map);
    for (const [k, x] of v) { w.byte(K.Field); writeKey(w, k); writeKey(w, x); }
    w.byte(K.End);
    return;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) throw new TypeError('Cannot encode a class instance in an ordered key');
  w.byte(K.Struct);
  for (const k of Object.keys(v)) {
    w.byte(K.Field); writeEscaped(w, Buffer.from(k, 'utf8')); writeKey(w, (v as Record<string, unknown>)[k]);
  }
  w.byte(K.End);
}

function readKey(r: ByteReader): unknown {
  const tag = r.byte();
  switch (tag) {
    case K.Null: return null;
    case K.False: return false;
    case K.True: return true;
    case K.Num: {
      const d = readOrderedDouble(r);
      if (r.byte() === 0) return d;
      return BigInt.asIntN(64, r.take(8).readBigUInt64BE(0) ^ SIGN64);
    }
    case K.Dec: {
      const unscaled = readOrderedBigInt(r);
      const scale = (r.take(4).readUInt32BE(0) ^ 0x8000_0000) | 0;
      return new Decimal(unscaled, scale);
    }
    case K.Str: {
      const end = r.buf.indexOf(0, r.pos);
      if (end >= 0 && r.buf[end + 1] !== 0xff) { const s = utf8(r.buf, r.pos, end); r.pos = end + 1; return s; }
      return readEscaped(r).toString('utf8');
    }
    case K.Bytes: return Buffer.from(readEscaped(r));
    case K.Arr: {
      const out: unknown[] = [];
      while (r.buf[r.pos] !== K.End) out.push(readKey(r));
      r.pos++;
      return out;
    }
    case K.Struct: {
      const out: Record<string, unknown> = {};
      while (r.byte() === K.Field) {
        const name = readEscaped(r).toString('utf8');
        const v = readKey(r);
        if (name === '__proto__') Object.defineProperty(out, name, { value: v, enumerable: true, writable: true, configurable: true });
        else out[name] = v;
      }
      return out;
    }
    case K.Map: {
      const out = new Map<unknown, unknown>();
      while (r.byte() === K.Field) { const k = readKey(r); out.set(k, readKey(r)); }
      return out;
    }
    default: throw new RangeError(`Unknown ordered key tag ${tag} at offset ${r.pos - 1}`);
  }
}
