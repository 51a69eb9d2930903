/**
 * Serialisers for state: a compact tagged binary encoding for arbitrary engine values (rows,
 * aggregate accumulators), and an order-preserving encoding for keys whose byte order matters.
 *
 * Hand-written because no library covers the engine's value set (number-or-bigint longs,
 * scale-keeping `Decimal`, `Map`, Buffer, struct field order) both compactly and synchronously;
 * JSON would lose bigint/Decimal/Map/Buffer and is 2–5× larger for numeric accumulators.
 *
 * Strings are stored as UTF-8, so a string holding a lone UTF-16 surrogate does not round-trip
 * (it decodes with U+FFFD), exactly as with Kafka's string serialiser.
 */
import { Decimal } from '../types/decimal.js';
import { ByteReader, ByteWriter, utf8 } from './bytes.js';
import type { Serializer } from './stores.js';

export { ByteReader, ByteWriter, readOrderedInt64, writeOrderedInt64 } from './bytes.js';

// ---------------------------------------------------------------------------------------------
// Generic value codec
// ---------------------------------------------------------------------------------------------

const enum T {
  Null = 0, Undefined = 1, False = 2, True = 3,
  UInt = 4, NegInt = 5, F64 = 6, BigInt = 7,
  Str = 8, Bytes = 9, Dec = 10, Arr = 11, Map = 12, Obj = 13,
}

const valueWriter = new ByteWriter(1024);

/**
 * Encodes null, undefined, boolean, number, bigint, string, Buffer/Uint8Array (decodes as Buffer),
 * Decimal, arrays, Map and plain objects (own enumerable string keys, order kept), nested freely.
 * Throws TypeError for anything else (class instances, functions, symbols, Set, Date).
 *
 * Layout: one tag byte, then: safe integers as LEB128 varints (negative n as −n−1), other numbers
 * as float64 LE, bigint and Decimal unscaled values as zig-zag varints, strings/bytes as
 * varint length + bytes, containers as varint count + children.
 */
export function encodeValue(value: unknown): Buffer {
  const w = valueWriter.reset();
  writeValue(w, value);
  return w.finish();
}

export function decodeValue(bytes: Buffer): unknown {
  const r = new ByteReader(bytes);
  const v = readValue(r);
  if (r.pos !== bytes.length) throw new RangeError(`Trailing bytes after encoded value (${bytes.length - r.pos})`);
  return v;
}

/** The generic codec as a store serialiser; `T` is trusted, not checked. */
export function valueSerializer<V = unknown>(): Serializer<V> {
  return valueSerializerInstance as Serializer<V>;
}

const valueSerializerInstance: Serializer<unknown> = { serialize: encodeValue, deserialize: decodeValue };

function writeValue(w: ByteWriter, v: unknown): void {
  switch (typeof v) {
    case 'number':
      if (Number.isSafeInteger(v) && !Object.is(v, -0)) {
        if (v >= 0) { w.byte(T.UInt); w.uvarint(v); } else { w.byte(T.NegInt); w.uvarint(-v - 1); }
      } else {
        w.ensure(9);
        w.buf[w.pos++] = T.F64;
        w.buf.writeDoubleLE(v, w.pos);
        w.pos += 8;
      }
      return;
    case 'string': writeString(w, T.Str, v); return;
    case 'boolean': w.byte(v ? T.True : T.False); return;
    case 'bigint': w.byte(T.BigInt); writeZigZagBig(w, v); return;
    case 'undefined': w.byte(T.Undefined); return;
    case 'object': break;
    default: throw new TypeError(`Cannot encode a ${typeof v} in state`);
  }
  if (v === null) { w.byte(T.Null); return; }
  if (Array.isArray(v)) {
    w.byte(T.Arr);
    w.uvarint(v.length);
    for (let i = 0; i < v.length; i++) writeValue(w, v[i]);
    return;
  }
  if (v instanceof Uint8Array) { w.byte(T.Bytes); w.uvarint(v.length); w.bytes(v); return; }
  if (v instanceof Decimal) { w.byte(T.Dec); writeZigZagBig(w, BigInt(v.scale)); writeZigZagBig(w, v.unscaled); return; }
  if (v instanceof Map) {
    w.byte(T.Map);
    w.uvarint(v.size);
    for (const [k, x] of v) { writeValue(w, k); writeValue(w, x); }
    return;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) {
    throw new TypeError(`Cannot encode an instance of ${proto?.constructor?.name ?? 'unknown class'} in state`);
  }
  const keys = Object.keys(v);
  w.byte(T.Obj);
  w.uvarint(keys.length);
  for (const k of keys) { writeString(w, -1, k); writeValue(w, (v as Record<string, unknown>)[k]); }
}

/** Length-prefixed UTF-8 in one pass: reserve the varint for the worst case, shift if shorter. */
function writeString(w: ByteWriter, tag: number, s: string): void {
  if (s.length < 0x80) {
    w.ensure(2);
    if (tag >= 0) w.buf[w.pos++] = tag;
    const at = w.pos++;
    if (w.ascii(s)) { w.buf[at] = s.length; return; }
    w.pos = at - (tag >= 0 ? 1 : 0);
  }
  const max = s.length * 3;
  const reserve = max < 0x80 ? 1 : max < 0x4000 ? 2 : max < 0x20_0000 ? 3 : 5;
  w.ensure(1 + 8 + max); // 8: headroom so uvarint() below never reallocates mid-write
  if (tag >= 0) w.buf[w.pos++] = tag;
  const start = w.pos + reserve;
  const n = w.buf.write(s, start, 'utf8');
  const need = n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x20_0000 ? 3 : 5;
  if (need < reserve) w.buf.copyWithin(w.pos + need, start, start + n);
  w.uvarint(n);
  w.pos += n;
}

function writeZigZagBig(w: ByteWriter, v: bigint): void {
  let z = v >= 0n ? v << 1n : (-v << 1n) - 1n;
  while (z >= 0x80n) {
    w.byte(Number(z & 0x7fn) | 0x80);
    z >>= 7n;
  }
  w.byte(Number(z));
}

function readZigZagBig(r: ByteReader): bigint {
  let z = 0n;
  let shift = 0n;
  for (;;) {
    const b = r.byte();
    z |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) break;
    shift += 7n;
  }
  return (z & 1n) === 0n ? z >> 1n : -((z + 1n) >> 1n);
}

function readString(r: ByteReader): string {
  const n = r.uvarint();
  const end = r.pos + n;
  if (end > r.buf.length) throw new RangeError('Unexpected end of encoded value');
  const s = utf8(r.buf, r.pos, end);
  r.pos = end;
  return s;
}

function readValue(r: ByteReader): unknown {
  const tag = r.byte();
  switch (tag) {
    case T.Null: return null;
    case T.Undefined: return undefined;
    case T.False: return false;
    case T.True: return true;
    case T.UInt: return r.uvarint();
    case T.NegInt: return -r.uvarint() - 1;
    case T.F64: { const v = r.buf.readDoubleLE(r.pos); r.pos += 8; return v; }
    case T.BigInt: return readZigZagBig(r);
    case T.Str: return readString(r);
    case T.Bytes: return Buffer.from(r.take(r.uvarint()));
    case T.Dec: { const scale = Number(readZigZagBig(r)); return new Decimal(readZigZagBig(r), scale); }
    case T.Arr: {
      const n = r.uvarint();
      const out = new Array<unknown>(n);
      for (let i = 0; i < n; i++) out[i] = readValue(r);
      return out;
    }
    case T.Map: {
      const n = r.uvarint();
      const out = new Map<unknown, unknown>();
      for (let i = 0; i < n; i++) { const k = readValue(r); out.set(k, readValue(r)); }
      return out;
    }
    case T.Obj: {
      const n = r.uvarint();
      const out: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const k = readString(r);
        const v = readValue(r);
        // Plain assignment of "__proto__" would replace the prototype instead of adding a field.
        if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
        else out[k] = v;
      }
      return out;
    }
    default: throw new RangeError(`Unknown value tag ${tag} at offset ${r.pos - 1}`);
  }
}

export { encodeOrderedKey, decodeOrderedKey, orderedKeySerializer } from './key-codec.js';
