/** ksqlDB's DECIMAL result types for arithmetic (`DecimalUtil` / `SqlDecimal` in ksqlDB). */
import { SqlTypes, type DecimalType, type SqlType } from '../types/sql-type.js';
import type { ArithmeticOp } from '../sql/ast.js';

export const MAX_DECIMAL_PRECISION = 38;

/** The DECIMAL an integral or decimal type widens to (INT → DECIMAL(10,0), BIGINT → DECIMAL(19,0)). */
export function toDecimalType(t: SqlType): DecimalType | undefined {
  switch (t.base) {
    case 'DECIMAL': return t;
    case 'INTEGER': return SqlTypes.decimal(10, 0);
    case 'BIGINT': return SqlTypes.decimal(19, 0);
    default: return undefined;
  }
}

export function decimalArithmeticType(op: ArithmeticOp, a: DecimalType, b: DecimalType): DecimalType {
  const p1 = a.precision, s1 = a.scale, p2 = b.precision, s2 = b.scale;
  let precision: number;
  let scale: number;
  switch (op) {
    case '+':
    case '-':
      scale = Math.max(s1, s2);
      precision = scale + Math.max(p1 - s1, p2 - s2) + 1;
      break;
    case '*':
      precision = p1 + p2 + 1;
      scale = s1 + s2;
      break;
    case '/':
      scale = Math.max(6, s1 + p2 + 1);
      precision = p1 - s1 + s2 + scale;
      break;
    case '%':
      scale = Math.max(s1, s2);
      precision = Math.min(p1 - s1, p2 - s2) + scale;
      break;
  }
  return SqlTypes.decimal(Math.min(precision, MAX_DECIMAL_PRECISION), Math.min(scale, MAX_DECIMAL_PRECISION));
}

/** DECIMAL type of a literal such as `1.50` → DECIMAL(3, 2). */
export function decimalLiteralType(precision: number, scale: number): DecimalType {
  return SqlTypes.decimal(Math.max(precision, scale, 1), Math.max(scale, 0));
}
