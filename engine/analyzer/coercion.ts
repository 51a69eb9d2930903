/**
 * ksqlDB's CoercionUtil: the common type of a user-supplied list of expressions (IN lists, ARRAY[...]
 * and MAP(...) constructors, CASE results), folding left to right:
 *
 * - NULLs are skipped; numbers widen (INTEGER → BIGINT → DECIMAL → DOUBLE);
 * - a string literal may stand for any scalar type whose syntax it matches (`'4.000'` as a number,
 *   `'tr'` as a boolean, `'2020-01-01'` as a DATE); one that does not match is an error
 *   ("invalid input syntax for type INTEGER: "x"");
 * - other literals may stand for a STRING;
 * - ARRAY / MAP / STRUCT constructors are coerced element by element (struct constructors by field
 *   name; fields missing on one side are NULL);
 * - other expressions must be implicitly castable one way or the other.
 *
 * The compiler converts each item to the common type (`coerceItemCode`), parsing string literals once.
 */
import type * as A from '../sql/ast.js';
import { KsqlException } from '../errors/index.js';
import { formatExpression } from '../sql/format.js';
import { Decimal } from '../types/decimal.js';
import { SqlTypes, formatSqlType, isNumericType, sqlTypeEquals, type SqlType, type StructField } from '../types/sql-type.js';
import { castValue } from '../functions/cast.js';
import { canImplicitlyCast, widerNumeric } from './type-coercion.js';

export class CoercionException extends KsqlException {}

export interface TypedItem {
  readonly expr: A.Expression;
  readonly type: SqlType | null;
}

/** The common type of the items (null when all are NULL); throws ksqlDB's messages. */
export function coerceUserList(items: readonly TypedItem[], typeOf: (e: A.Expression) => SqlType | null): SqlType | null {
  let target: SqlType | null = null;
  for (const item of items) {
    if (item.type === null) continue;
    target = target === null ? item.type : commonType(target, item.expr, item.type, typeOf);
  }
  return target;
}

function mismatch(target: SqlType, source: SqlType, e: A.Expression): CoercionException {
  return new CoercionException(
    `operator does not exist: ${formatSqlType(target)} = ${formatSqlType(source)} (${formatExpression(e)})\nHint: You might need to add explicit type casts.`);
}

function commonType(target: SqlType, e: A.Expression, source: SqlType, typeOf: (e: A.Expression) => SqlType | null): SqlType {
  if (sqlTypeEquals(target, source)) return target;
  if (e.kind === 'CreateArray' && target.base === 'ARRAY') {
    return SqlTypes.array(foldNested(target.element, e.items, target, source, e, typeOf));
  }
  if (e.kind === 'CreateMap' && target.base === 'MAP') {
    const k = foldNested(target.key, e.entries.map((x) => x.key), target, source, e, typeOf);
    const v = foldNested(target.value, e.entries.map((x) => x.value), target, source, e, typeOf);
    return SqlTypes.map(k, v);
  }
  if (e.kind === 'CreateStruct' && target.base === 'STRUCT') {
    const fields: StructField[] = target.fields.map((f) => {
      const lit = e.fields.find((x) => x.name === f.name);
      return lit ? { name: f.name, type: foldNested(f.type, [lit.value], target, source, e, typeOf) } : f;
    });
    for (const lit of e.fields) {
      if (!fields.some((f) => f.name === lit.name)) fields.push({ name: lit.name, type: typeOf(lit.value) ?? SqlTypes.STRING });
    }
    return SqlTypes.struct(fields);
  }
  if (e.kind === 'StringLiteral' && target.base !== 'STRING') {
    validateStringLiteral(e.value, target);
    // a numeric string counts as the number it spells: '20' an INTEGER, '2e1' or '4.000' a DECIMAL
    return isNumericType(target) ? widerNumeric(target, numericLiteralType(e.value)) : target;
  }
  if (target.base === 'STRING' && isLiteral(e) && source.base !== 'ARRAY' && source.base !== 'MAP' && source.base !== 'STRUCT') return target;
  if (isNumericType(target) && isNumericType(source)) return widerNumeric(target, source);
  if (canImplicitlyCast(source, target)) return target;
  if (canImplicitlyCast(target, source)) return source;
  throw mismatch(target, source, e);
}

/** Folds the elements of a constructor into `start`; a plain mismatch is reported for the whole constructor. */
function foldNested(
  start: SqlType, elements: readonly A.Expression[], outerTarget: SqlType, outerSource: SqlType, outer: A.Expression,
  typeOf: (e: A.Expression) => SqlType | null,
): SqlType {
  let t = start;
  for (const el of elements) {
    const et = typeOf(el);
    if (et === null) continue;
    try {
      t = commonType(t, el, et, typeOf);
    } catch (err) {
      if (err instanceof CoercionException) throw mismatch(outerTarget, outerSource, outer);
      throw err;
    }
  }
  return t;
}

function isLiteral(e: A.Expression): boolean {
  switch (e.kind) {
    case 'IntegerLiteral': case 'LongLiteral': case 'DoubleLiteral': case 'DecimalLiteral': case 'BooleanLiteral': case 'StringLiteral':
      return true;
    case 'ArithmeticUnary': return isLiteral(e.operand);
    default: return false;
  }
}

function invalidSyntax(text: string, target: SqlType): KsqlException {
  return new KsqlException(`invalid input syntax for type ${target.base}: "${text}".`);
}

/** ksqlDB's SqlBooleans: a non-empty prefix of true/yes or false/no, any case. */
export function parseLaxBoolean(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (t.length === 0) return undefined;
  if ('true'.startsWith(t) || 'yes'.startsWith(t)) return true;
  if ('false'.startsWith(t) || 'no'.startsWith(t)) return false;
  return undefined;
}

/** The value of string literal `text` as a `target` value (ksqlDB's lax literal coercion); throws when it does not parse. */
export function coerceStringLiteral(text: string, target: SqlType): unknown {
  const fail = () => invalidSyntax(text, target);
  switch (target.base) {
    case 'STRING': return text;
    case 'BOOLEAN': { const b = parseLaxBoolean(text); if (b === undefined) throw fail(); return b; }
    case 'INTEGER': case 'BIGINT': {
      const d = parseDecimal(text);
      if (d === undefined) throw fail();
      const whole = d.setScale(0, 'DOWN');
      if (whole.compareTo(d) !== 0) throw fail();
      const v = whole.toBigInt();
      if (target.base === 'INTEGER') {
        if (v > 2147483647n || v < -2147483648n) throw fail();
        return Number(v);
      }
      if (v > 9223372036854775807n || v < -9223372036854775808n) throw fail();
      return Number.isSafeInteger(Number(v)) ? Number(v) : v;
    }
    case 'DOUBLE': { const d = parseDecimal(text); if (d === undefined) throw fail(); return Number(text.trim()); }
    case 'DECIMAL': {
      const d = parseDecimal(text);
      if (d === undefined) throw fail();
      return d;
    }
    case 'DATE': case 'TIME': case 'TIMESTAMP':
      try { return castValue(text, SqlTypes.STRING, target); } catch { throw fail(); }
    default: throw fail();
  }
}

/** The type of the number a (valid) numeric string spells. */
function numericLiteralType(text: string): SqlType {
  const t = text.trim();
  if (/^[+-]?\d+$/.test(t)) {
    const v = BigInt(t);
    if (v >= -2147483648n && v <= 2147483647n) return SqlTypes.INTEGER;
    if (v >= -9223372036854775808n && v <= 9223372036854775807n) return SqlTypes.BIGINT;
  }
  let d = Decimal.parse(t);
  if (d.scale < 0) d = d.setScale(0);
  return SqlTypes.decimal(Math.max(d.precision(), d.scale, 1), d.scale);
}

function parseDecimal(text: string): Decimal | undefined {
  try { return Decimal.parse(text.trim()); } catch { return undefined; }
}

function validateStringLiteral(text: string, target: SqlType): void {
  if (target.base === 'ARRAY' || target.base === 'MAP' || target.base === 'STRUCT' || target.base === 'BYTES') {
    throw mismatch(target, SqlTypes.STRING, { kind: 'StringLiteral', value: text, span: { start: 0, end: 0, line: 0, column: 0 } });
  }
  coerceStringLiteral(text, target);
}
