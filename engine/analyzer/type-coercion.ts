/** Implicit widening between SQL types (ksqlDB's CoercionUtil / SqlTypeWalker widening rules). */
import { KsqlException } from '../errors/index.js';
import { SqlTypes, formatSqlType, isNumericType, sqlTypeEquals, type SqlType } from '../types/sql-type.js';
import { toDecimalType } from './decimal-rules.js';

const NUMERIC_RANK: Record<string, number> = { INTEGER: 0, BIGINT: 1, DECIMAL: 2, DOUBLE: 3 };

/** The wider of two numeric types (DECIMALs widen to a DECIMAL holding both). */
export function widerNumeric(a: SqlType, b: SqlType): SqlType {
  if (a.base === 'DOUBLE' || b.base === 'DOUBLE') return SqlTypes.DOUBLE;
  if (a.base === 'DECIMAL' || b.base === 'DECIMAL') {
    const da = toDecimalType(a)!;
    const db = toDecimalType(b)!;
    const scale = Math.max(da.scale, db.scale);
    const intDigits = Math.max(da.precision - da.scale, db.precision - db.scale);
    return SqlTypes.decimal(Math.min(intDigits + scale, 38), scale);
  }
  return NUMERIC_RANK[a.base]! >= NUMERIC_RANK[b.base]! ? a : b;
}

/**
 * The common type of several expressions (nulls ignored), or null when all are null.
 * `describe` builds the error message from the first offending type pair.
 */
export function commonSuperType(
  types: readonly (SqlType | null)[],
  describe: (a: string, b: string) => string,
): SqlType | null {
  let result: SqlType | null = null;
  for (const t of types) {
    if (t === null) continue;
    if (result === null) { result = t; continue; }
    if (isNumericType(result) && isNumericType(t)) { result = widerNumeric(result, t); continue; }
    if (!sqlTypeEquals(result, t)) throw new KsqlException(describe(formatSqlType(result), formatSqlType(t)));
  }
  return result;
}

/** Whether a value of `from` may be used where `to` is expected without an explicit CAST. */
export function canImplicitlyCast(from: SqlType, to: SqlType): boolean {
  if (sqlTypeEquals(from, to)) return true;
  if (isNumericType(from) && isNumericType(to)) {
    if (from.base === 'DECIMAL' && to.base === 'DECIMAL') {
      return to.precision - to.scale >= from.precision - from.scale && to.scale >= from.scale;
    }
    return NUMERIC_RANK[from.base]! <= NUMERIC_RANK[to.base]!;
  }
  if (from.base === 'ARRAY' && to.base === 'ARRAY') return canImplicitlyCast(from.element, to.element);
  if (from.base === 'MAP' && to.base === 'MAP') return canImplicitlyCast(from.key, to.key) && canImplicitlyCast(from.value, to.value);
  if (from.base === 'STRUCT' && to.base === 'STRUCT') {
    // by field name; fields only the target has are NULL
    return from.fields.every((f) => { const g = to.fields.find((x) => x.name === f.name); return g !== undefined && canImplicitlyCast(f.type, g.type); });
  }
  return false;
}
