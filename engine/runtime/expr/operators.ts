/**
 * Code generation for arithmetic and comparison operators, specialised by operand types so that
 * the common cases (INTEGER, DOUBLE, safe BIGINT) compile to plain JS operators.
 */
import type { ArithmeticOp, ComparisonOp } from '../../sql/ast.js';
import type { SqlType } from '../../types/sql-type.js';

type Konst = (v: unknown) => string;

const LONG_FN: Record<ArithmeticOp, string> = { '+': 'H.longAdd', '-': 'H.longSub', '*': 'H.longMul', '/': 'H.longDiv', '%': 'H.longMod' };

export function arithmeticCode(op: ArithmeticOp, type: SqlType, lt: SqlType, rt: SqlType, a: string, b: string, konst: Konst): string {
  switch (type.base) {
    case 'STRING': return `(${a} + ${b})`;
    case 'INTEGER':
      switch (op) {
        case '+': return `((${a} + ${b}) | 0)`;
        case '-': return `((${a} - ${b}) | 0)`;
        case '*': return `Math.imul(${a}, ${b})`;
        case '/': return `H.intDiv(${a}, ${b})`;
        case '%': return `H.intMod(${a}, ${b})`;
      }
      break;
    case 'BIGINT': return `${LONG_FN[op]}(${a}, ${b})`;
    case 'DOUBLE': {
      const x = lt.base === 'DOUBLE' || lt.base === 'INTEGER' ? a : `H.toDouble(${a})`;
      const y = rt.base === 'DOUBLE' || rt.base === 'INTEGER' ? b : `H.toDouble(${b})`;
      return op === '%' ? `(${x} % ${y})` : `(${x} ${op} ${y})`;
    }
    case 'DECIMAL': return `H.decimalOp(${JSON.stringify(op)}, H.toDecimal(${a}), H.toDecimal(${b}), ${konst(type)})`;
    default: break;
  }
  return `H.unsupportedArithmetic(${JSON.stringify(op)}, ${konst(type)})`;
}

const JS_CMP: Partial<Record<ComparisonOp, string>> = { '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

function isPlainNumber(t: SqlType | null): boolean {
  return t !== null && (t.base === 'INTEGER' || t.base === 'DOUBLE' || t.base === 'BIGINT');
}

function isNumeric(t: SqlType): boolean {
  return t.base === 'INTEGER' || t.base === 'BIGINT' || t.base === 'DOUBLE' || t.base === 'DECIMAL';
}

function isOrderedScalar(t: SqlType | null): boolean {
  return t !== null && (t.base === 'STRING' || t.base === 'BOOLEAN' || t.base === 'TIMESTAMP' || t.base === 'DATE' || t.base === 'TIME');
}

/** Code for `a OP b` with both sides known non-null (except for the DISTINCT forms). */
export function comparisonCode(op: ComparisonOp, lt: SqlType | null, rt: SqlType | null, a: string, b: string, konst: Konst): string {
  if (op === 'IS DISTINCT FROM') return `!H.notDistinct(${a}, ${b})`;
  if (op === 'IS NOT DISTINCT FROM') return `H.notDistinct(${a}, ${b})`;
  // DOUBLE against another number compares as doubles (their common type), with plain JS operators
  if (lt !== null && rt !== null && (lt.base === 'DOUBLE') !== (rt.base === 'DOUBLE') && isNumeric(lt) && isNumeric(rt)) {
    const x = lt.base === 'DOUBLE' || lt.base === 'INTEGER' ? a : `H.toDouble(${a})`;
    const y = rt.base === 'DOUBLE' || rt.base === 'INTEGER' ? b : `H.toDouble(${b})`;
    if (op === '=') return `(${x} === ${y})`;
    if (op === '<>') return `(${x} !== ${y})`;
    return `(${x} ${JS_CMP[op]} ${y})`;
  }
  const sameBase = lt !== null && rt !== null && lt.base === rt.base;
  const fast = (isPlainNumber(lt) && isPlainNumber(rt)) || (sameBase && isOrderedScalar(lt));
  if (fast) {
    if (op === '=') return `(${a} == ${b})`;
    if (op === '<>') return `(${a} != ${b})`;
    return `(${a} ${JS_CMP[op]} ${b})`;
  }
  const cmp = `H.compare(${a}, ${b}, ${konst(lt)}, ${konst(rt)})`;
  switch (op) {
    case '=': return `(${cmp} === 0)`;
    case '<>': return `(${cmp} !== 0)`;
    default: return `(${cmp} ${JS_CMP[op]} 0)`;
  }
}
