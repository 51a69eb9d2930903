/**
 * Runtime helpers called by compiled expressions (`H.*` in generated code). They implement the
 * cases that do not map onto a JS operator: 64-bit and decimal arithmetic, Java integer division,
 * cross-type comparison, LIKE patterns, subscripts and CAST.
 */
import { KsqlException } from '../../errors/index.js';
import { Decimal } from '../../types/decimal.js';
import { longAdd, longDiv, longMod, longMul, longNeg, longSub } from '../../types/long.js';
import type { DecimalType, SqlType } from '../../types/sql-type.js';
import { castValue } from '../../functions/cast.js';
import { sqlValueCompare, sqlValueEquals } from './value-compare.js';

const likeCache = new Map<string, RegExp>();

function intDiv(a: number, b: number): number {
  if (b === 0) throw new KsqlException('/ by zero');
  return (a / b) | 0;
}

function intMod(a: number, b: number): number {
  if (b === 0) throw new KsqlException('/ by zero');
  return a % b;
}

function toDouble(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Decimal) return v.toNumber();
  return Number(v);
}

function toDecimal(v: unknown): Decimal {
  if (v instanceof Decimal) return v;
  if (typeof v === 'bigint') return new Decimal(v, 0);
  if (typeof v === 'number') return Number.isInteger(v) ? new Decimal(BigInt(v), 0) : Decimal.fromNumber(v);
  throw new KsqlException(`Cannot convert ${String(v)} to DECIMAL`);
}

function decimalOp(op: string, a: Decimal, b: Decimal, type: DecimalType): Decimal {
  let r: Decimal;
  switch (op) {
    case '+': r = a.add(b); break;
    case '-': r = a.subtract(b); break;
    case '*': r = a.multiply(b); break;
    case '/': return a.divide(b, type.scale);
    case '%': r = a.remainder(b); break;
    default: throw new KsqlException(`Unsupported decimal operator ${op}`);
  }
  return r.setScale(type.scale);
}

function negate(v: unknown, type: SqlType): unknown {
  switch (type.base) {
    case 'INTEGER': return (-(v as number)) | 0;
    case 'BIGINT': return longNeg(v as number | bigint);
    case 'DECIMAL': return (v as Decimal).negate();
    default: return -(v as number);
  }
}

/** SQL three-valued AND/OR. */
function and(a: unknown, b: unknown): boolean | null {
  if (a === false || b === false) return false;
  if (a === null || b === null) return null;
  return true;
}

function or(a: unknown, b: unknown): boolean | null {
  if (a === true || b === true) return true;
  if (a === null || b === null) return null;
  return false;
}

/** `%` → any sequence, `_` → any one character; everything else literal (ksqlDB LIKE). */
function likeRegex(pattern: string, escape?: string | null): RegExp {
  const cacheKey = `${escape ?? ''}\u0000${pattern}`;
  let re = likeCache.get(cacheKey);
  if (re) return re;
  let src = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (escape && ch === escape && i + 1 < pattern.length) {
      src += escapeRegex(pattern[++i]!);
    } else if (ch === '%') src += '[\\s\\S]*';
    else if (ch === '_') src += '[\\s\\S]';
    else src += escapeRegex(ch);
  }
  re = new RegExp(`^${src}$`, 'u');
  if (likeCache.size > 10_000) likeCache.clear();
  likeCache.set(cacheKey, re);
  return re;
}

function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? '\\' + ch : ch;
}

/** Arrays are 1-based; negative indexes count from the end; out of range gives null. */
function arrayGet(arr: unknown, index: unknown): unknown {
  const a = arr as unknown[];
  let i = Number(index);
  if (i > 0) i -= 1;
  else if (i < 0) i = a.length + i;
  else return null;
  return i >= 0 && i < a.length ? (a[i] ?? null) : null;
}

function mapGet(map: unknown, key: unknown): unknown {
  return (map as Map<unknown, unknown>).get(key) ?? null;
}

function notDistinct(a: unknown, b: unknown): boolean {
  if (a === null || b === null) return a === b;
  return sqlValueEquals(a, b);
}

function sqlEquals(a: unknown, b: unknown): boolean | null {
  if (a === null || b === null) return null;
  return sqlValueEquals(a, b);
}

function compare(a: unknown, b: unknown, lt: SqlType | null, rt: SqlType | null): number {
  return sqlValueCompare(a, b, lt, rt);
}

function cast(v: unknown, from: SqlType | null, to: SqlType): unknown {
  return from === null ? v : castValue(v, from, to);
}

function unsupportedArithmetic(op: string, type: SqlType): never {
  throw new KsqlException(`Unsupported arithmetic ${op} for ${type.base}`);
}

export const H = {
  longAdd, longSub, longMul, longDiv, longMod, intDiv, intMod, toDouble, toDecimal, decimalOp, negate,
  and, or, likeRegex, arrayGet, mapGet, notDistinct, sqlEquals, compare, cast, unsupportedArithmetic,
};
