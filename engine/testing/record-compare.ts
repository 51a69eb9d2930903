/**
 * ksqlDB's ExpectedRecordComparator: matches an expected spec value (from the test file, numbers
 * exact) against an actual value in "spec form" (see `ActualDouble` / JsonNumber), driven by the
 * type of the expected node.
 */
import { JsonNumber, isJsonNumber } from '../serde/json-exact.js';
import { Decimal } from '../types/decimal.js';
import { stripTrailingZeros } from '../types/java-format.js';

/** A DOUBLE read back from a typed format (compared with a 1e-6 tolerance). */
export class ActualDouble {
  constructor(readonly value: number) {}
}

export interface CompareOptions {
  /** `use.exact.numeric.comparison` (default true): JSON fractions compare as scale-sensitive decimals. */
  readonly exactNumeric: boolean;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !isJsonNumber(v) && !(v instanceof Map)
    && !(v instanceof ActualDouble) && !(v instanceof Decimal) && !Buffer.isBuffer(v);
}

export function matchesExpected(expected: unknown, actual: unknown, options: CompareOptions): boolean {
  if (expected === null || expected === undefined) return actual === null || actual === undefined;
  if (actual === null || actual === undefined) return false;
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matchesExpected(e, actual[i], options));
  }
  if (isJsonNumber(expected)) return numberMatches(expected, actual, options);
  if (typeof expected === 'string') {
    if (typeof actual === 'string') return actual === expected;
    if (actual instanceof Decimal || (isJsonNumber(actual) && !actual.isIntegral)) {
      try { return Decimal.parse(expected).equals(actual instanceof Decimal ? actual : actual.toDecimal()); } catch { return false; }
    }
    if (Buffer.isBuffer(actual)) return actual.toString('base64') === expected;
    return false;
  }
  if (typeof expected === 'boolean') return actual === expected;
  if (isPlainObject(expected)) {
    const entries = actual instanceof Map ? new Map([...actual].map(([k, v]) => [String(k), v])) : isPlainObject(actual) ? new Map(Object.entries(actual)) : undefined;
    if (!entries) return false;
    const keys = Object.keys(expected);
    if (keys.length !== entries.size) return false;
    // A field missing from the actual value reads as null (Struct.get / Map.get), as ksqlDB's comparator does.
    return keys.every((k) => matchesExpected(expected[k], entries.has(k) ? entries.get(k) : entries.get(k.toUpperCase()), options));
  }
  return false;
}

function numberMatches(expected: JsonNumber, actual: unknown, options: CompareOptions): boolean {
  if (actual instanceof ActualDouble) return Math.abs(expected.toNumber() - actual.value) < 1e-6;
  if (typeof actual === 'number' || typeof actual === 'bigint') {
    // Jackson reads an Integer/Long: ksqlDB compares expected.longValue() with it (truncating a fraction).
    return Number.isInteger(Number(actual)) ? expected.toBigInt() === BigInt(actual) : Math.abs(expected.toNumber() - Number(actual)) < 1e-6;
  }
  let dec: Decimal | undefined;
  if (actual instanceof Decimal) dec = actual;
  else if (isJsonNumber(actual)) {
    if (actual.isIntegral) return expected.toBigInt() === actual.toBigInt();
    if (!options.exactNumeric) return Math.abs(expected.toNumber() - actual.toNumber()) < 1e-6;
    dec = actual.toDecimal();
  }
  if (!dec) return false;
  // Jackson's default node factory normalises BigDecimals (strips trailing zeros) on both sides.
  const actualNorm = stripTrailingZeros(dec);
  if (expected.isIntegral) return actualNorm.scale <= 0 && dec.compareTo(expected.toDecimal()) === 0;
  return actualNorm.equals(stripTrailingZeros(expected.toDecimal()));
}

export function describeSpec(v: unknown): string {
  return JSON.stringify(v, (_k, x) => {
    if (isJsonNumber(x)) return `#${x.text}`;
    if (x instanceof ActualDouble) return `#d${x.value}`;
    if (x instanceof Decimal) return `#${x.toPlainString()}`;
    if (x instanceof Map) return Object.fromEntries([...x].map(([k, val]) => [String(k), val]));
    if (typeof x === 'bigint') return `#${x}`;
    if (x && typeof x === 'object' && x.type === 'Buffer' && Array.isArray(x.data)) return `b64:${Buffer.from(x.data).toString('base64')}`;
    return x;
  });
}
