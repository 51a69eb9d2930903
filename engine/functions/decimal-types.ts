/**
 * ksqlDB's DECIMAL result types (SqlDecimal / DecimalUtil), for computed return types and for the
 * analyzer's arithmetic: INTEGER counts as DECIMAL(10, 0) and BIGINT as DECIMAL(19, 0).
 */
import { KsqlException } from '../errors/index.js';
import { type DecimalType, type SqlType, SqlTypes, formatSqlType } from '../types/sql-type.js';

/** DecimalUtil.toSqlDecimal. */
export function toDecimalType(t: SqlType): DecimalType {
  switch (t.base) {
    case 'DECIMAL': return t;
    case 'INTEGER': return SqlTypes.decimal(10, 0);
    case 'BIGINT': return SqlTypes.decimal(19, 0);
    default: throw new KsqlException(`Cannot convert ${formatSqlType(t)} to DECIMAL`);
  }
}

/** DecimalUtil.widen: the smallest DECIMAL holding both. */
export function widenDecimal(a: SqlType, b: SqlType): DecimalType {
  const l = toDecimalType(a);
  const r = toDecimalType(b);
  const whole = Math.max(l.precision - l.scale, r.precision - r.scale);
  const scale = Math.max(l.scale, r.scale);
  return SqlTypes.decimal(whole + scale, scale);
}

export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';

/** The result type of `a op b` when either side is DECIMAL and neither is DOUBLE (SqlDecimal.add, ...). */
export function decimalArithmeticType(op: ArithmeticOperator, a: SqlType, b: SqlType): DecimalType {
  const l = toDecimalType(a);
  const r = toDecimalType(b);
  switch (op) {
    case '+':
    case '-': {
      const scale = Math.max(l.scale, r.scale);
      return SqlTypes.decimal(scale + Math.max(l.precision - l.scale, r.precision - r.scale) + 1, scale);
    }
    case '*': return SqlTypes.decimal(l.precision + r.precision + 1, l.scale + r.scale);
    case '/': {
      const scale = Math.max(6, l.scale + r.precision + 1);
      return SqlTypes.decimal(l.precision - l.scale + r.scale + scale, scale);
    }
    case '%': {
      const scale = Math.max(l.scale, r.scale);
      return SqlTypes.decimal(Math.min(l.precision - l.scale, r.precision - r.scale) + scale, scale);
    }
  }
}
