/**
 * Value comparison and equality with Java's semantics, as ksqlDB's functions get them from
 * `Comparable.compareTo` and `Object.equals`:
 *
 * - DOUBLE: `Double.compare` (NaN above +Infinity, -0.0 below 0.0); INTEGER/BIGINT numerically,
 *   across the number/bigint representations of BIGINT.
 * - DECIMAL: `BigDecimal.compareTo` for ordering; equality is scale-sensitive like `BigDecimal.equals`.
 * - STRING: UTF-16 code units (`String.compareTo`), which is what JS `<` does.
 * - BOOLEAN: false < true. BYTES: `ByteBuffer.compareTo`, bytes compared as signed.
 * - ARRAY: element by element, then by length (only used for nested arrays; ksqlDB's sort functions
 *   accept primitives). MAP/STRUCT have no order (0); they only support equality:
 *   maps ignore entry order, structs compare field by field.
 *
 * These functions take non-null values of one SQL type, except where noted.
 */
import { Decimal } from '../types/decimal.js';

function compareNumbers(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  // equal, or NaN involved, or ±0
  if (a === b) {
    if (a !== 0) return 0;
    const na = Object.is(a, -0);
    const nb = Object.is(b, -0);
    return na === nb ? 0 : na ? -1 : 1;
  }
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  return an === bn ? 0 : an ? 1 : -1;
}

function compareBytes(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = (a[i]! << 24) >> 24;
    const y = (b[i]! << 24) >> 24;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length < 0 ? -1 : a.length === b.length ? 0 : 1;
}

/** Orders two non-null values of the same SQL type. */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return compareNumbers(a, b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (a instanceof Decimal && b instanceof Decimal) return a.compareTo(b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return compareBytes(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const c = compareNullsLast(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
  }
  return 0;
}

/** compareValues with NULL ordered after every value. */
export function compareNullsLast(a: unknown, b: unknown): number {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : 1;
  if (b === null || b === undefined) return -1;
  return compareValues(a, b);
}

/** Java `Objects.equals` over SQL values (deep for ARRAY/MAP/STRUCT; NULL equals NULL). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  // -0 and 0 are equal here (INTEGER/BIGINT values may carry a JS -0); Java's Double.equals would differ.
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (a instanceof Decimal) return b instanceof Decimal && a.equals(b);
  if (Buffer.isBuffer(a)) return Buffer.isBuffer(b) && a.equals(b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) {
      if (b.has(k)) { if (!valuesEqual(v, b.get(k))) return false; continue; }
      // keys that are not primitives (rare): search by value
      let found = false;
      for (const [k2, v2] of b) if (valuesEqual(k, k2)) { found = valuesEqual(v, v2); break; }
      if (!found) return false;
    }
    return true;
  }
  if (typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a as object);
    const kb = Object.keys(b as object);
    if (ka.length !== kb.length) return false;
    for (let i = 0; i < ka.length; i++) {
      if (ka[i] !== kb[i]) return false;
      if (!valuesEqual((a as Record<string, unknown>)[ka[i]!], (b as Record<string, unknown>)[ka[i]!])) return false;
    }
    return true;
  }
  return false;
}

/**
 * A string that is equal for two values exactly when `valuesEqual` holds (for values of one SQL type),
 * so that sets and maps of SQL values can use JS Maps.
 */
export function valueKey(v: unknown): string {
  if (v === null || v === undefined) return 'N';
  switch (typeof v) {
    case 'number': return 'n' + v;
    case 'bigint': return 'n' + v;
    case 'string': return 's' + v;
    case 'boolean': return v ? 'T' : 'F';
    default: break;
  }
  if (v instanceof Decimal) return `d${v.unscaled}e${v.scale}`;
  if (Buffer.isBuffer(v)) return 'b' + v.toString('hex');
  if (Array.isArray(v)) return '[' + v.map((e) => JSON.stringify(valueKey(e))).join(',') + ']';
  if (v instanceof Map) {
    const entries = [...v].map(([k, x]) => JSON.stringify(valueKey(k)) + ':' + JSON.stringify(valueKey(x)));
    entries.sort();
    return '{' + entries.join(',') + '}';
  }
  if (typeof v === 'object') {
    return '(' + Object.entries(v as object).map(([k, x]) => JSON.stringify(k) + ':' + JSON.stringify(valueKey(x))).join(',') + ')';
  }
  return String(v);
}

/** Distinct values in first-occurrence order (Java LinkedHashSet). */
export function distinctValues<T>(values: readonly T[]): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const v of values) {
    const k = valueKey(v);
    if (!seen.has(k)) { seen.add(k); out.push(v); }
  }
  return out;
}
