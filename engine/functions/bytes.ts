/**
 * BYTES ↔ STRING conversions (TO_BYTES, FROM_BYTES, ENCODE) and the numeric readers
 * (INT_FROM_BYTES, BIGINT_FROM_BYTES, DOUBLE_FROM_BYTES), with Java's charset behaviour:
 * US-ASCII encodes non-ASCII characters as '?', decodes bytes ≥ 0x80 as U+FFFD; UTF-8 encodes lone
 * surrogates as '?'; base64 decoding is strict (java.util.Base64.getDecoder()).
 * Node's 'ascii' and 'base64' codecs are lenient in different ways, hence the helpers below.
 */
import { KsqlException } from '../errors/index.js';
import { type Long, normalizeLong } from '../types/long.js';

export type BytesEncoding = 'hex' | 'utf8' | 'ascii' | 'base64';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `s.getBytes(UTF_8)`: lone surrogates become '?'. */
export function javaUtf8Bytes(s: string): Buffer {
  return Buffer.from(s.replace(LONE_SURROGATE, '?'), 'utf8');
}

/** `s.getBytes(US_ASCII)`: each non-ASCII code point (a surrogate pair counts once) becomes '?'. */
export function javaAsciiBytes(s: string): Buffer {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    out.push(c < 0x80 ? c : 0x3f);
  }
  return Buffer.from(out);
}

/** `new String(bytes, US_ASCII)`: bytes ≥ 0x80 become U+FFFD. */
export function javaAsciiString(b: Buffer): string {
  let out = '';
  for (const x of b) out += x < 0x80 ? String.fromCharCode(x) : '\ufffd';
  return out;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

/** `Base64.getDecoder().decode(s)`: the basic alphabet, padding optional but correct if present. */
export function javaBase64Decode(s: string): Buffer {
  if (!BASE64.test(s)) throw new KsqlException(`Illegal base64 input: '${s}'`);
  return Buffer.from(s, 'base64');
}

/** Guava `BaseEncoding.base16().decode`: even length; (lower-case digits are accepted too). */
function hexDecode(s: string): Buffer {
  if (s.length % 2 !== 0) throw new KsqlException(`Invalid input length ${s.length}`);
  if (!/^[0-9a-fA-F]*$/.test(s)) throw new KsqlException(`Unrecognized character in hex input: '${s}'`);
  return Buffer.from(s, 'hex');
}

function parseEncoding(encoding: string): BytesEncoding {
  const e = encoding.toLowerCase();
  if (e === 'hex' || e === 'utf8' || e === 'ascii' || e === 'base64') return e;
  throw new KsqlException(`Unknown encoding: '${encoding}'. Supported encodings are 'hex', 'utf8', 'ascii', and 'base64'.`);
}

/** TO_BYTES(string, encoding). */
export function toBytes(value: string, encoding: string): Buffer {
  switch (parseEncoding(encoding)) {
    case 'hex': return hexDecode(value);
    case 'utf8': return javaUtf8Bytes(value);
    case 'ascii': return javaAsciiBytes(value);
    case 'base64': return javaBase64Decode(value);
  }
}

/** FROM_BYTES(bytes, encoding); hex comes out upper-case (Guava base16). */
export function fromBytes(value: Buffer, encoding: string): string {
  switch (parseEncoding(encoding)) {
    case 'hex': return value.toString('hex').toUpperCase();
    case 'utf8': return value.toString('utf8');
    case 'ascii': return javaAsciiString(value);
    case 'base64': return value.toString('base64');
  }
}

/**
 * ENCODE's hex input: plain hex of even length, `X'…'` / `x'…'` (even length), or `0x…` (an odd
 * number of digits gets a leading zero). Anything else is an error.
 */
function encodeHexInput(s: string): Buffer {
  let hex = s;
  if (s.startsWith('0x')) {
    hex = s.slice(2);
    if (hex.length % 2 === 1) hex = '0' + hex;
  } else if (s.startsWith("X'") || s.startsWith("x'")) {
    if (s.length < 3 || !s.endsWith("'")) throw new KsqlException(`Invalid hex string: ${s}`);
    hex = s.slice(2, -1);
  }
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new KsqlException(`Invalid hex string: ${s}`);
  return Buffer.from(hex, 'hex');
}

function encodeInput(s: string, enc: BytesEncoding): Buffer {
  switch (enc) {
    case 'hex': return encodeHexInput(s);
    case 'utf8': return javaUtf8Bytes(s);
    case 'ascii': return javaAsciiBytes(s);
    case 'base64': return javaBase64Decode(s);
  }
}

function encodeOutput(b: Buffer, enc: BytesEncoding): string {
  switch (enc) {
    case 'hex': return b.toString('hex');
    case 'utf8': return b.toString('utf8');
    case 'ascii': return javaAsciiString(b);
    case 'base64': return b.toString('base64');
  }
}

/**
 * ENCODE(str, inputEncoding, outputEncoding): re-encodes text between hex, utf8, ascii and base64
 * (hex output lower-case). Unknown encodings, and converting an encoding to itself, throw.
 */
export function encode(str: string, inputEncoding: string, outputEncoding: string): string {
  const from = inputEncoding.toLowerCase();
  const to = outputEncoding.toLowerCase();
  const known = (e: string): e is BytesEncoding => e === 'hex' || e === 'utf8' || e === 'ascii' || e === 'base64';
  if (!known(from) || !known(to) || from === to) {
    throw new KsqlException('Supported input and output encodings are: hex, utf8, ascii and base64');
  }
  return encodeOutput(encodeInput(str, from), to);
}

function byteOrder(order: string): 'BE' | 'LE' {
  const o = order.toUpperCase();
  if (o === 'BIG_ENDIAN') return 'BE';
  if (o === 'LITTLE_ENDIAN') return 'LE';
  throw new KsqlException(`Byte order must be BIG_ENDIAN or LITTLE_ENDIAN. Unknown byte order '${order}'.`);
}

function checkSize(b: Buffer, size: number): void {
  if (b.length !== size) throw new KsqlException(`Number of bytes must be equal to ${size}, but found ${b.length}`);
}

/** INT_FROM_BYTES(bytes[, byteOrder]): exactly 4 bytes, big-endian by default. */
export function intFromBytes(b: Buffer, order = 'BIG_ENDIAN'): number {
  const o = byteOrder(order);
  checkSize(b, 4);
  return o === 'BE' ? b.readInt32BE(0) : b.readInt32LE(0);
}

/** BIGINT_FROM_BYTES(bytes[, byteOrder]): exactly 8 bytes. */
export function bigintFromBytes(b: Buffer, order = 'BIG_ENDIAN'): Long {
  const o = byteOrder(order);
  checkSize(b, 8);
  return normalizeLong(o === 'BE' ? b.readBigInt64BE(0) : b.readBigInt64LE(0));
}

/** DOUBLE_FROM_BYTES(bytes[, byteOrder]): exactly 8 bytes. */
export function doubleFromBytes(b: Buffer, order = 'BIG_ENDIAN'): number {
  const o = byteOrder(order);
  checkSize(b, 8);
  return o === 'BE' ? b.readDoubleBE(0) : b.readDoubleLE(0);
}
