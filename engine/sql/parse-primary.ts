/**
 * `primaryExpression`: literals, the `DECIMAL '1.2'` typed literal, CASE, CAST, constructors,
 * function calls (with `*`, bare time units and lambdas), column references, parentheses, and the
 * postfix `[index]` and `->field` chains.
 */
import type { Expression, FunctionCall, WhenClause } from './ast.js';
import type { Cursor } from './cursor.js';
import { parseExpr, parseValueExpr } from './parse-expression.js';
import {
  identifier, identifierText, isNumber, isTimeUnit, normalizeDecimal, numberLiteral, timeUnitOf, tokenSpan,
  undefinedVariable,
} from './parse-common.js';
import { parseTypeNode } from './parse-type.js';
import type { Token } from './tokens.js';

export function parsePrimary(c: Cursor): Expression {
  const first = c.peek();
  let expr = primaryBase(c, first);
  for (;;) {
    if (c.isOp('[')) {
      c.next();
      const index = parseValueExpr(c);
      c.expectOp(']');
      expr = { kind: 'Subscript', base: expr, index, span: c.spanFrom(first) };
    } else if (c.isOp('->') && !c.isOp('*', 1)) {
      // `->*` is left for the select list (SelectStructAll).
      c.next();
      const field = identifierText(identifier(c));
      expr = { kind: 'Dereference', base: expr, field, span: c.spanFrom(first) };
    } else {
      return expr;
    }
  }
}

function primaryBase(c: Cursor, first: Token): Expression {
  if (isNumber(c)) return numberLiteral(c);
  switch (first.kind) {
    case 'string':
      c.next();
      return { kind: 'StringLiteral', value: first.value, span: tokenSpan(first) };
    case 'variable':
      return undefinedVariable(c);
    case 'op':
      if (first.value !== '(') break;
      c.next();
      {
        const inner = parseExpr(c);
        c.expectOp(')');
        return inner;
      }
    case 'ident':
      switch (first.value) {
        case 'NULL':
          c.next();
          return { kind: 'NullLiteral', span: tokenSpan(first) };
        case 'TRUE':
        case 'FALSE':
          c.next();
          return { kind: 'BooleanLiteral', value: first.value === 'TRUE', span: tokenSpan(first) };
        case 'CASE':
          return caseExpression(c, first);
        case 'CAST':
          return cast(c, first);
        case 'ARRAY':
          if (c.isOp('[', 1)) return arrayConstructor(c, first);
          break;
        case 'MAP':
          if (c.isOp('(', 1)) return mapConstructor(c, first);
          break;
        case 'STRUCT':
          if (c.isOp('(', 1)) return structConstructor(c, first);
          break;
      }
      break;
    default:
      break;
  }
  if (!c.isIdentifier()) return c.noViableAlternative();
  c.next();
  if (c.peek().kind === 'string') return typedLiteral(c, first);
  if (c.isOp('(')) return functionCall(c, first);
  const name = identifierText(first);
  if (c.isOp('.') && !c.isOp('*', 1)) {
    c.next();
    const column = identifierText(identifier(c));
    const span = c.spanFrom(first);
    c.qualifiedRefs.push({ source: name, span });
    return { kind: 'ColumnRef', source: name, name: column, span };
  }
  if (c.lambdaScopes.some((scope) => scope.has(name))) return { kind: 'LambdaVariable', name, span: tokenSpan(first) };
  return { kind: 'ColumnRef', name, span: tokenSpan(first) };
}

/** `identifier STRING`: only `DECIMAL '1.23'` is a valid typed literal (as in ksqlDB's AstBuilder). */
function typedLiteral(c: Cursor, typeToken: Token): Expression {
  const value = c.next();
  const span = c.spanFrom(typeToken);
  const type = identifierText(typeToken);
  if (type !== 'DECIMAL') return c.fail(typeToken, `Unknown type literal: ${type} '${value.value}'. Only DECIMAL '<number>' is supported`);
  const text = value.value.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) c.invalid(`Invalid DECIMAL literal: '${value.value}'`, span);
  return { kind: 'DecimalLiteral', text: normalizeDecimal(text.replace(/^\+/, '')), span };
}

function caseExpression(c: Cursor, first: Token): Expression {
  c.next();
  const operand = c.isKw('WHEN') ? undefined : parseValueExpr(c);
  const whens: WhenClause[] = [];
  do {
    const whenToken = c.expectKw('WHEN');
    const when = parseExpr(c);
    c.expectKw('THEN');
    const then = parseExpr(c);
    whens.push({ when, then, span: c.spanFrom(whenToken) });
  } while (c.isKw('WHEN'));
  const elseExpr = c.acceptKw('ELSE') ? parseExpr(c) : undefined;
  c.expectKw('END');
  const span = c.spanFrom(first);
  const tail = elseExpr ? { else: elseExpr } : {};
  return operand
    ? { kind: 'SimpleCase', operand, whens, span, ...tail }
    : { kind: 'SearchedCase', whens, span, ...tail };
}

function cast(c: Cursor, first: Token): Expression {
  c.next();
  c.expectOp('(');
  const expr = parseExpr(c);
  c.expectKw('AS');
  const type = parseTypeNode(c);
  c.expectOp(')');
  return { kind: 'Cast', expr, type, span: c.spanFrom(first) };
}

function arrayConstructor(c: Cursor, first: Token): Expression {
  c.next();
  c.next();
  const items: Expression[] = [];
  if (!c.isOp(']')) {
    do items.push(parseExpr(c));
    while (c.acceptOp(','));
  }
  c.expectOp(']');
  return { kind: 'CreateArray', items, span: c.spanFrom(first) };
}

function mapConstructor(c: Cursor, first: Token): Expression {
  c.next();
  c.next();
  const entries: { key: Expression; value: Expression }[] = [];
  if (!c.isOp(')')) {
    do {
      const key = parseExpr(c);
      c.expectOp(':=');
      entries.push({ key, value: parseExpr(c) });
    } while (c.acceptOp(','));
  }
  c.expectOp(')');
  return { kind: 'CreateMap', entries, span: c.spanFrom(first) };
}

function structConstructor(c: Cursor, first: Token): Expression {
  c.next();
  c.next();
  const fields: { name: string; value: Expression }[] = [];
  if (!c.isOp(')')) {
    do {
      const name = identifierText(identifier(c));
      c.expectOp(':=');
      fields.push({ name, value: parseExpr(c) });
    } while (c.acceptOp(','));
  }
  c.expectOp(')');
  return { kind: 'CreateStruct', fields, span: c.spanFrom(first) };
}

/** `name(*)`, `name()`, `name(arg, ..., lambda, ...)`; arguments may be bare (reserved) time units. */
function functionCall(c: Cursor, nameToken: Token): FunctionCall {
  const name = identifierText(nameToken).toUpperCase();
  c.expectOp('(');
  if (c.isOp('*') && c.isOp(')', 1)) {
    c.next();
    c.next();
    return { kind: 'FunctionCall', name, args: [], star: true, span: c.spanFrom(nameToken) };
  }
  const args: Expression[] = [];
  if (!c.isOp(')')) {
    let sawLambda = false;
    do {
      if (lambdaAhead(c)) {
        args.push(lambda(c));
        sawLambda = true;
      } else if (sawLambda) {
        return c.noViableAlternative();
      } else if (isTimeUnit(c) && !c.isIdentifier() && (c.isOp(',', 1) || c.isOp(')', 1))) {
        // The grammar's `functionArgument: expression | windowUnit` prefers `expression`, so only the
        // reserved unit words (the plurals and MILLISECOND) are units; DAY, HOUR, MINUTE and SECOND
        // are non-reserved and read as column names there, as in ksqlDB.
        const t = c.next();
        args.push({ kind: 'IntervalUnit', unit: timeUnitOf(t.value)!, span: tokenSpan(t) });
      } else {
        args.push(parseExpr(c));
      }
    } while (c.acceptOp(','));
  }
  c.expectOp(')');
  return { kind: 'FunctionCall', name, args, span: c.spanFrom(nameToken) };
}

/** `x =>` or `(x, y) =>` */
function lambdaAhead(c: Cursor): boolean {
  if (c.isIdentifier() && c.isOp('=>', 1)) return true;
  if (!c.isOp('(')) return false;
  let k = 1;
  for (;;) {
    if (!c.isIdentifier(k)) return false;
    k++;
    if (c.isOp(')', k)) return c.isOp('=>', k + 1);
    if (!c.isOp(',', k)) return false;
    k++;
  }
}

function lambda(c: Cursor): Expression {
  const first = c.peek();
  const params: string[] = [];
  if (c.acceptOp('(')) {
    do params.push(identifierText(identifier(c)));
    while (c.acceptOp(','));
    c.expectOp(')');
  } else {
    params.push(identifierText(identifier(c)));
  }
  c.expectOp('=>');
  c.lambdaScopes.push(new Set(params));
  try {
    const body = parseExpr(c);
    return { kind: 'Lambda', params, body, span: c.spanFrom(first) };
  } finally {
    c.lambdaScopes.pop();
  }
}
