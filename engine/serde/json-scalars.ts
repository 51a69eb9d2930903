/**
 * Scalar coercions of ksqlDB's `KsqlJsonDeserializer` / `JsonSerdeUtils`, and the errors they raise.
 * Inputs are non-null values of a parsed tree: `JSON.parse` output or `parseJsonExact` (JsonNumber).
 */
import { Decimal } from '../types/decimal.js';
import { normalizeLong, type Long } from '../types/long.js';
import { parseJavaBigDecimal, parseJavaInt, parseJavaLong } from '../types/java-format.js';
import { formatSqlType, type DecimalType, type SqlType } from '../types/sql-type.js';
import { JsonNumber, jacksonNumberText, stringifyJsonTree } from './json-number.js';
import { ensureFit } from './util.js';

export type Reader = (v: unknown) => unknown;

/** A coercion failure with the JSON path where it happened (ksqlDB's CoercionException). */
export class CoercionError extends Error {
  constructor(readonly rawMessage: string, readonly path: string) {
    super(`${rawMessage}, path: ${path}`);
  }
}

/**
 * Thrown (not an Error, so no stack is captured) when a reader meets a JS number that is an integer
 * beyond ±(2^53 − 1) in a place where its exact digits matter (BIGINT, INTEGER, STRING). Such a
 * number can only come from `JSON.parse`, which has already rounded it; the JSON serde then parses
 * the document again with `parseJsonExact`. This keeps the common path free of any pre-scan.
 */
export const NEEDS_EXACT: unique symbol = Symbol('json-needs-exact-parse');

export function checkSafe(n: number): void {
  if (!Number.isSafeInteger(n) && Number.isInteger(n)) throw NEEDS_EXACT;
}

export function nodeType(v: unknown): string {
  if (typeof v === 'string') return 'TextNode';
  if (typeof v === 'boolean') return 'BooleanNode';
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return 'DecimalNode';
    return v >= -2147483648 && v <= 2147483647 ? 'IntNode' : 'LongNode';
  }
  if (v instanceof JsonNumber) return v.isIntegral ? 'IntNode' : 'DecimalNode';
  return Array.isArray(v) ? 'ArrayNode' : 'ObjectNode';
}

export function convertError(v: unknown, type: SqlType): CoercionError {
  return new CoercionError(`Can't convert type. sourceType: ${nodeType(v)}, requiredType: ${formatSqlType(type)}`, '');
}

export function coerceStringError(type: SqlType): CoercionError {
  return new CoercionError(`Can't coerce string to type. targetType: ${formatSqlType(type)}`, '');
}

export function withPath(e: unknown, part: string): never {
  if (e === NEEDS_EXACT) throw e;
  if (e instanceof CoercionError) throw new CoercionError(e.rawMessage, part + e.path);
  throw new CoercionError(e instanceof Error ? e.message : String(e), part);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
}

/** `(long) x` for a double: truncate, wrap at 64 bits. */
export function longFromDouble(n: number): Long {
  const t = Math.trunc(n);
  return Number.isSafeInteger(t) ? t : normalizeLong(BigInt(t));
}

export function readLong(v: unknown, type: SqlType): Long {
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) return v;
    checkSafe(v);
    return longFromDouble(v);
  }
  if (v instanceof JsonNumber) return v.toLong();
  if (typeof v === 'string') {
    const l = parseJavaLong(v);
    if (l === undefined) throw coerceStringError(type);
    return l;
  }
  throw convertError(v, type);
}

export function readInt(v: unknown, type: SqlType): number {
  if (typeof v === 'number') {
    if (v > 9007199254740991 || v < -9007199254740991) checkSafe(v);
    return v | 0;
  }
  if (v instanceof JsonNumber) {
    const safe = v.safeInteger;
    return safe !== undefined ? safe | 0 : Number(BigInt.asIntN(32, v.toBigInt()));
  }
  if (typeof v === 'string') {
    const i = parseJavaInt(v);
    if (i === undefined) throw coerceStringError(type);
    return i;
  }
  throw convertError(v, type);
}

export const DAY_MS = 86_400_000;

export function readString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') {
    checkSafe(v);
    return jacksonNumberText(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof JsonNumber) return v.toJacksonText();
  if (Array.isArray(v)) {
    let s = '[';
    for (let i = 0; i < v.length; i++) {
      if (i > 0) s += ',';
      const e = v[i];
      s += e === null || e === undefined ? 'null' : readString(e);
    }
    return s + ']';
  }
  return stringifyJsonTree(v, checkSafe);
}

export function readDecimal(v: unknown, type: DecimalType): Decimal {
  let d: Decimal | undefined;
  if (v instanceof JsonNumber) d = v.toDecimal();
  else if (typeof v === 'number') d = Decimal.fromNumber(v);
  else if (typeof v === 'string') {
    d = parseJavaBigDecimal(v);
    if (d === undefined) throw coerceStringError(type);
  } else throw convertError(v, type);
  return ensureFit(d, type);
}

