/**
 * Comparison operators on SQL values across representations: numbers vs bigint longs vs Decimals,
 * temporal values vs ISO strings, and deep equality for collections. Unlike `functions/compare.ts`
 * (Java `equals` semantics for function internals), SQL `=` compares numbers by value across types
 * and scales (`1 = 1.00`).
 */
import { KsqlException } from '../../errors/index.js';
import { Decimal } from '../../types/decimal.js';
import type { SqlType } from '../../types/sql-type.js';
import { castValue } from '../../functions/cast.js';
import { compareValues } from '../../functions/compare.js';

function numericCompare(a: unknown, b: unknown): number {
  if (a instanceof Decimal || b instanceof Decimal) {
    if (typeof a === 'number' && !Number.isInteger(a)) return a < (b as Decimal).toNumber() ? -1 : a > (b as Decimal).toNumber() ? 1 : 0;
    if (typeof b === 'number' && !Number.isInteger(b)) return (a as Decimal).toNumber() < b ? -1 : (a as Decimal).toNumber() > b ? 1 : 0;
    const da = a instanceof Decimal ? a : new Decimal(BigInt(a as number | bigint), 0);
    const db = b instanceof Decimal ? b : new Decimal(BigInt(b as number | bigint), 0);
    return da.compareTo(db);
  }
  const x = a as number | bigint, y = b as number | bigint;
  return x < y ? -1 : x > y ? 1 : 0;
}

const TEMPORAL = new Set(['TIMESTAMP', 'DATE', 'TIME']);

/** Orders two non-null values of comparable SQL types. */
export function sqlValueCompare(a: unknown, b: unknown, lt: SqlType | null, rt: SqlType | null): number {
  if (lt && rt && lt.base !== rt.base) {
    // Temporal vs string: the string is read as an ISO date/time of the temporal type.
    if (TEMPORAL.has(lt.base) && rt.base === 'STRING') return sqlValueCompare(a, castValue(b, rt, lt), lt, lt);
    if (TEMPORAL.has(rt.base) && lt.base === 'STRING') return sqlValueCompare(castValue(a, lt, rt), b, rt, rt);
    if (lt.base === 'DATE' && rt.base === 'TIMESTAMP') return numericCompare((a as number) * 86_400_000, b);
    if (lt.base === 'TIMESTAMP' && rt.base === 'DATE') return numericCompare(a, (b as number) * 86_400_000);
  }
  if (typeof a === 'number' || typeof a === 'bigint' || a instanceof Decimal) return numericCompare(a, b);
  if (typeof a === 'string') return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  if (typeof a === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (Buffer.isBuffer(a)) return compareValues(a, b); // ByteBuffer.compareTo: signed bytes
  if (sqlValueEquals(a, b)) return 0;
  if (Array.isArray(a) || a instanceof Map || typeof a === 'object') return 1;
  throw new KsqlException(`Cannot compare ${String(a)} and ${String(b)}`);
}

/** SQL equality of two non-null values (deep for collections). */
export function sqlValueEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (typeof a === 'number' || typeof a === 'bigint' || a instanceof Decimal) {
    if (typeof b === 'number' || typeof b === 'bigint' || b instanceof Decimal) return numericCompare(a, b) === 0;
    return false;
  }
  if (Buffer.isBuffer(a)) return Buffer.isBuffer(b) && a.equals(b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!nullableEquals(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !nullableEquals(v, b.get(k))) return false;
    return true;
  }
  if (typeof a === 'object' && typeof b === 'object') {
    // structs: a missing field and a NULL field are the same
    const ra = a as Record<string, unknown>, rb = b as Record<string, unknown>;
    for (const k in ra) if (!nullableEquals(ra[k], rb[k])) return false;
    for (const k in rb) if (!(k in ra) && rb[k] !== null && rb[k] !== undefined) return false;
    return true;
  }
  return false;
}

function nullableEquals(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined) return b === null || b === undefined;
  if (b === null || b === undefined) return false;
  return sqlValueEquals(a, b);
}
