/**
 * ksqlDB's CAST semantics (CastEvaluator) and the implicit conversions function resolution inserts.
 *
 * `castValue` throws on a value that cannot be converted (a malformed number or date string, a DECIMAL
 * overflow, NaN to DECIMAL); ksqlDB logs such an error and produces NULL, and callers do the same.
 * Whether a cast is allowed at all is a compile-time question: `isCastSupported` / `checkCastSupported`.
 */
import { KsqlException } from '../errors/index.js';
import { Decimal } from '../types/decimal.js';
import { type Long, LONG_MAX, LONG_MIN, doubleToLong, longToInt, normalizeLong, toBigInt } from '../types/long.js';
import { type SqlType, formatSqlType, isNumericType, sqlTypeEquals } from '../types/sql-type.js';
import { formatDate, formatJavaDouble, formatTime, formatTimestamp, javaToString } from './java-text.js';
import { canImplicitlyCastBase } from './type-pattern.js';
import { parseDateIso, parseTimeIso, parseTimestampIso } from './datetime.js';

const MS_PER_DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------
// Which casts exist

/** Whether CAST(x AS to) is allowed for x of type `from`. */
export function isCastSupported(from: SqlType, to: SqlType): boolean {
  if (from.base === to.base && from.base !== 'ARRAY' && from.base !== 'MAP' && from.base !== 'STRUCT') return true;
  switch (to.base) {
    case 'STRING': return from.base !== 'BYTES';
    case 'BOOLEAN': return from.base === 'STRING';
    case 'INTEGER': case 'BIGINT': case 'DOUBLE': case 'DECIMAL':
      return isNumericType(from) || from.base === 'STRING';
    case 'TIMESTAMP': return from.base === 'STRING' || from.base === 'DATE';
    case 'DATE': case 'TIME': return from.base === 'STRING' || from.base === 'TIMESTAMP';
    case 'BYTES': return false;
    case 'ARRAY': return from.base === 'ARRAY' && isCastSupported(from.element, to.element);
    case 'MAP': return from.base === 'MAP' && isCastSupported(from.key, to.key) && isCastSupported(from.value, to.value);
    case 'STRUCT': {
      if (from.base !== 'STRUCT') return false;
      return to.fields.every((f) => {
        const src = from.fields.find((g) => g.name === f.name);
        return !src || isCastSupported(src.type, f.type);
      });
    }
    default: return false;
  }
}

/** Throws ksqlDB's "Cast of X to Y is not supported" (the analyzer prefixes the clause, e.g. "Invalid Select: "). */
export function checkCastSupported(from: SqlType, to: SqlType): void {
  if (!isCastSupported(from, to)) {
    throw new KsqlException(`Cast of ${formatSqlType(from)} to ${formatSqlType(to)} is not supported`);
  }
}

// ---------------------------------------------------------------------------------------------
// Number parsing (Java Integer.parseInt / Long.parseLong / Double.parseDouble / new BigDecimal on trimmed text)

function parseJavaInt(text: string): number {
  const t = text.trim();
  if (!/^[+-]?\d+$/.test(t)) throw new NumberFormatError(text);
  const v = Number(t);
  if (v > 2147483647 || v < -2147483648) throw new NumberFormatError(text);
  return v | 0;
}

function parseJavaLong(text: string): Long {
  const t = text.trim();
  if (!/^[+-]?\d+$/.test(t)) throw new NumberFormatError(text);
  const v = BigInt(t);
  if (v > LONG_MAX || v < LONG_MIN) throw new NumberFormatError(text);
  return normalizeLong(v);
}

const DOUBLE_RE = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/;

export function parseJavaDouble(text: string): number {
  const t = text.trim();
  if (!DOUBLE_RE.test(t)) throw new NumberFormatError(text);
  return Number(t.replace(/[fFdD]$/, ''));
}

class NumberFormatError extends KsqlException {
  constructor(text: string) { super(`For input string: "${text}"`); }
}

// ---------------------------------------------------------------------------------------------
// Decimals

/** ksqlDB DecimalUtil.ensureFit: rounds HALF_UP to the scale and checks the integer digits fit. */
export function fitDecimal(value: Decimal, precision: number, scale: number): Decimal {
  const scaled = value.setScale(scale, 'HALF_UP');
  if (scaled.precision() > precision && scaled.unscaled !== 0n) {
    throw new KsqlException(
      `Numeric field overflow: A field with precision ${precision} and scale ${scale} must round to an absolute value less than 10^${precision - scale}. Got ${value.toPlainString()}`);
  }
  return scaled;
}

function doubleToDecimal(d: number): Decimal {
  if (!Number.isFinite(d)) throw new KsqlException(`Cannot convert ${formatJavaDouble(d)} to DECIMAL`);
  return Decimal.parse(formatJavaDouble(d));
}

/** Java narrowing of a double to int (saturating, NaN → 0); `doubleToLong` is in types/long.ts. */

function doubleToInt(d: number): number {
  if (Number.isNaN(d)) return 0;
  if (d >= 2147483647) return 2147483647;
  if (d <= -2147483648) return -2147483648;
  return Math.trunc(d) | 0;
}

function toDouble(v: unknown, from: SqlType): number {
  switch (from.base) {
    case 'INTEGER': case 'DOUBLE': return v as number;
    case 'BIGINT': return Number(v as Long);
    case 'DECIMAL': return (v as Decimal).toNumber();
    case 'STRING': return parseJavaDouble(v as string);
    default: throw unsupported(from, 'DOUBLE');
  }
}

function unsupported(from: SqlType, to: string): KsqlException {
  return new KsqlException(`Cast of ${formatSqlType(from)} to ${to} is not supported`);
}

// ---------------------------------------------------------------------------------------------
// Dates and times (ISO formats; strings may be partial: `2020`, `2020-01`, `2020-01-01T10`, with an optional zone)

// ---------------------------------------------------------------------------------------------
// CAST

/** Converts `value` of SQL type `from` to SQL type `to` with ksqlDB's CAST semantics. NULL stays NULL. */
export function castValue(value: unknown, from: SqlType, to: SqlType): unknown {
  if (value === null || value === undefined) return null;
  switch (to.base) {
    case 'BOOLEAN':
      if (from.base === 'BOOLEAN') return value;
      if (from.base === 'STRING') return parseSqlBoolean(value as string);
      throw unsupported(from, 'BOOLEAN');
    case 'INTEGER':
      switch (from.base) {
        case 'INTEGER': return value;
        case 'BIGINT': return longToInt(value as Long);
        case 'DOUBLE': return doubleToInt(value as number);
        case 'DECIMAL': return Number(BigInt.asIntN(32, (value as Decimal).toBigInt()));
        case 'STRING': return parseJavaInt(value as string);
        default: throw unsupported(from, 'INTEGER');
      }
    case 'BIGINT':
      switch (from.base) {
        case 'INTEGER': case 'BIGINT': return value;
        case 'DOUBLE': return doubleToLong(value as number);
        case 'DECIMAL': return normalizeLong((value as Decimal).toBigInt());
        case 'STRING': return parseJavaLong(value as string);
        default: throw unsupported(from, 'BIGINT');
      }
    case 'DOUBLE': return toDouble(value, from);
    case 'DECIMAL': {
      let d: Decimal;
      switch (from.base) {
        case 'INTEGER': case 'BIGINT': d = new Decimal(toBigInt(value as Long), 0); break;
        case 'DOUBLE': d = doubleToDecimal(value as number); break;
        case 'DECIMAL': d = value as Decimal; break;
        case 'STRING': {
          try { d = Decimal.parse((value as string).trim()); } catch { throw new NumberFormatError(value as string); }
          break;
        }
        default: throw unsupported(from, formatSqlType(to));
      }
      if (from.base === 'DECIMAL' && from.precision === to.precision && from.scale === to.scale && d.scale === to.scale) return d;
      return fitDecimal(d, to.precision, to.scale);
    }
    case 'STRING':
      switch (from.base) {
        case 'STRING': return value;
        case 'BOOLEAN': return value ? 'true' : 'false';
        case 'INTEGER': case 'BIGINT': return String(value);
        case 'DOUBLE': return formatJavaDouble(value as number);
        case 'DECIMAL': return (value as Decimal).toPlainString();
        case 'TIMESTAMP': return formatTimestamp(value as number);
        case 'DATE': return formatDate(value as number);
        case 'TIME': return formatTime(value as number);
        case 'BYTES': throw unsupported(from, 'STRING');
        default: return javaToString(value, from);
      }
    case 'TIMESTAMP':
      switch (from.base) {
        case 'TIMESTAMP': return value;
        case 'DATE': return (value as number) * MS_PER_DAY;
        case 'STRING': return parseTimestampIso(value as string);
        default: throw unsupported(from, 'TIMESTAMP');
      }
    case 'DATE':
      switch (from.base) {
        case 'DATE': return value;
        case 'TIMESTAMP': return Math.floor((value as number) / MS_PER_DAY);
        case 'STRING': return parseDateIso(value as string);
        default: throw unsupported(from, 'DATE');
      }
    case 'TIME':
      switch (from.base) {
        case 'TIME': return value;
        case 'TIMESTAMP': return (((value as number) % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
        case 'STRING': return parseTimeIso(value as string);
        default: throw unsupported(from, 'TIME');
      }
    case 'BYTES':
      if (from.base === 'BYTES') return value;
      throw unsupported(from, 'BYTES');
    case 'ARRAY': {
      if (from.base !== 'ARRAY') throw unsupported(from, formatSqlType(to));
      const el = from.element;
      const tel = to.element;
      return (value as unknown[]).map((e) => castValue(e, el, tel));
    }
    case 'MAP': {
      if (from.base !== 'MAP') throw unsupported(from, formatSqlType(to));
      const out = new Map<unknown, unknown>();
      for (const [k, v] of value as Map<unknown, unknown>) out.set(castValue(k, from.key, to.key), castValue(v, from.value, to.value));
      return out;
    }
    case 'STRUCT': {
      if (from.base !== 'STRUCT') throw unsupported(from, formatSqlType(to));
      const src = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const f of to.fields) {
        const sf = from.fields.find((g) => g.name === f.name);
        out[f.name] = sf ? castValue(src[f.name] ?? null, sf.type, f.type) : null;
      }
      return out;
    }
  }
}

/** ksqlDB SqlBooleans.parseBoolean: `true`, `t`, `yes`, `y` (any case) are true, everything else false. */
export function parseSqlBoolean(text: string): boolean {
  const t = text.trim().toLowerCase();
  return t === 'true' || t === 't' || t === 'yes' || t === 'y';
}

/**
 * The conversion function resolution asks the caller to insert for an argument of type `from`
 * passed to a parameter of type `to` (ResolvedFunction.argTypes). Null when no conversion is needed.
 */
export function implicitCast(from: SqlType, to: SqlType): ((v: unknown) => unknown) | null {
  if (sqlTypeEquals(from, to)) return null;
  return (v: unknown) => castValue(v, from, to);
}

/**
 * Whether function resolution may convert a value of type `from` to a parameter of type `to` without a
 * CAST: the same type, or numeric widening INTEGER → BIGINT → DECIMAL → DOUBLE (any DECIMAL to any DECIMAL).
 * String literals additionally convert to DATE/TIME/TIMESTAMP; that depends on the argument being a literal
 * and is handled by resolution itself.
 */
export function canImplicitlyCast(from: SqlType, to: SqlType): boolean {
  if (sqlTypeEquals(from, to)) return true;
  if (from.base === 'ARRAY' || from.base === 'MAP' || from.base === 'STRUCT') return false;
  return canImplicitlyCastBase(from.base, to.base);
}
