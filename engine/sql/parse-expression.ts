/**
 * Expressions, with ksqlDB's precedence (loosest first):
 *   OR < AND < NOT < predicate (comparison, [NOT] BETWEEN / IN / LIKE, IS [NOT] NULL,
 *   IS [NOT] DISTINCT FROM; at most one per operand) < `||` < `+ -` < `* / %` < unary `+ -`
 *   < `AT TIME ZONE` < primary (with `[ ]` subscripts and `->` dereferences).
 * A minus directly before a number is part of the literal (ksqlDB's `number: MINUS? ...`).
 */
import type { ComparisonOp, Expression } from './ast.js';
import type { Cursor } from './cursor.js';
import { parsePrimary } from './parse-primary.js';
import { stringToken } from './parse-common.js';
import type { Token } from './tokens.js';

/** `expression` (= `booleanExpression`). */
export function parseExpr(c: Cursor): Expression {
  return c.nested(() => orExpr(c));
}

function orExpr(c: Cursor): Expression {
  const first = c.peek();
  let left = andExpr(c);
  while (c.acceptKw('OR')) {
    const right = andExpr(c);
    left = { kind: 'LogicalBinary', op: 'OR', left, right, span: c.spanFrom(first) };
  }
  return left;
}

function andExpr(c: Cursor): Expression {
  const first = c.peek();
  let left = notExpr(c);
  while (c.acceptKw('AND')) {
    const right = notExpr(c);
    left = { kind: 'LogicalBinary', op: 'AND', left, right, span: c.spanFrom(first) };
  }
  return left;
}

function notExpr(c: Cursor): Expression {
  const first = c.peek();
  if (c.acceptKw('NOT')) {
    const operand = c.nested(() => notExpr(c));
    return { kind: 'Not', operand, span: c.spanFrom(first) };
  }
  return predicated(c);
}

const COMPARISONS: Readonly<Record<string, ComparisonOp>> = {
  '=': '=', '<>': '<>', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=',
};

/** `valueExpression predicate?` */
function predicated(c: Cursor): Expression {
  const first = c.peek();
  const value = parseValueExpr(c);
  const t = c.peek();
  if (t.kind === 'op' && Object.hasOwn(COMPARISONS, t.value)) {
    c.next();
    const right = parseValueExpr(c);
    return { kind: 'Comparison', op: COMPARISONS[t.value]!, left: value, right, span: c.spanFrom(first) };
  }
  if (c.isKw('IS')) return isPredicate(c, first, value);
  const negated = c.isKw('NOT') && (c.isKw('BETWEEN', 1) || c.isKw('IN', 1) || c.isKw('LIKE', 1));
  if (negated) c.next();
  if (c.acceptKw('BETWEEN')) {
    const min = parseValueExpr(c);
    c.expectKw('AND');
    const max = parseValueExpr(c);
    return { kind: 'Between', value, min, max, negated, span: c.spanFrom(first) };
  }
  if (c.acceptKw('IN')) {
    c.expectOp('(');
    const list: Expression[] = [];
    do list.push(parseExpr(c));
    while (c.acceptOp(','));
    c.expectOp(')');
    return { kind: 'InList', value, list, negated, span: c.spanFrom(first) };
  }
  if (c.acceptKw('LIKE')) {
    const pattern = parseValueExpr(c);
    const escape = c.acceptKw('ESCAPE') ? stringToken(c).value : undefined;
    return { kind: 'Like', value, pattern, negated, span: c.spanFrom(first), ...(escape !== undefined ? { escape } : {}) };
  }
  return value;
}

function isPredicate(c: Cursor, first: Token, operand: Expression): Expression {
  c.expectKw('IS');
  const negated = c.acceptKw('NOT') !== undefined;
  if (c.acceptKw('NULL')) return { kind: 'IsNull', operand, negated, span: c.spanFrom(first) };
  if (c.acceptKw('DISTINCT')) {
    c.expectKw('FROM');
    const right = parseValueExpr(c);
    const op: ComparisonOp = negated ? 'IS NOT DISTINCT FROM' : 'IS DISTINCT FROM';
    return { kind: 'Comparison', op, left: operand, right, span: c.spanFrom(first) };
  }
  return c.mismatch(["'NULL'", "'DISTINCT'"], (t) => t.kind === 'ident' && (t.value === 'NULL' || t.value === 'DISTINCT'));
}

/** `valueExpression`: arithmetic, concatenation and AT TIME ZONE over primaries. */
export function parseValueExpr(c: Cursor): Expression {
  const first = c.peek();
  let left = additive(c);
  while (c.acceptOp('||')) {
    const right = additive(c);
    left = { kind: 'Concat', left, right, span: c.spanFrom(first) };
  }
  return left;
}

function additive(c: Cursor): Expression {
  const first = c.peek();
  let left = multiplicative(c);
  for (;;) {
    const op = c.isOp('+') ? '+' : c.isOp('-') ? '-' : undefined;
    if (!op) return left;
    c.next();
    const right = multiplicative(c);
    left = { kind: 'ArithmeticBinary', op, left, right, span: c.spanFrom(first) };
  }
}

function multiplicative(c: Cursor): Expression {
  const first = c.peek();
  let left = unary(c);
  for (;;) {
    const op = c.isOp('*') ? '*' : c.isOp('/') ? '/' : c.isOp('%') ? '%' : undefined;
    if (!op) return left;
    c.next();
    const right = unary(c);
    left = { kind: 'ArithmeticBinary', op, left, right, span: c.spanFrom(first) };
  }
}

const NUMBER_KINDS = new Set(['integer', 'decimal', 'double']);

function unary(c: Cursor): Expression {
  const first = c.peek();
  const negativeNumber = c.isOp('-') && NUMBER_KINDS.has(c.peek(1).kind);
  if (!negativeNumber && (c.isOp('-') || c.isOp('+'))) {
    const op = c.next().value as '+' | '-';
    const operand = c.nested(() => unary(c));
    return { kind: 'ArithmeticUnary', op, operand, span: c.spanFrom(first) };
  }
  let expr = parsePrimary(c);
  while (c.isKw('AT')) {
    c.next();
    c.expectKw('TIME');
    c.expectKw('ZONE');
    const zone = stringToken(c).value;
    expr = { kind: 'AtTimeZone', expr, zone, span: c.spanFrom(first) };
  }
  return expr;
}
