/**
 * Generic traversal of expression trees: the children of a node, a rebuild with mapped children
 * (rewrites return new trees, DESIGN.md style 2), and a structural key that ignores spans.
 */
import type * as A from '../sql/ast.js';
import { assertNever } from '../sql/ast.js';

/** Direct sub-expressions of `e`, in source order. */
export function children(e: A.Expression): A.Expression[] {
  switch (e.kind) {
    case 'NullLiteral': case 'BooleanLiteral': case 'IntegerLiteral': case 'LongLiteral': case 'DoubleLiteral':
    case 'DecimalLiteral': case 'StringLiteral': case 'ColumnRef': case 'LambdaVariable': case 'IntervalUnit':
      return [];
    case 'Dereference': return [e.base];
    case 'Subscript': return [e.base, e.index];
    case 'FunctionCall': return [...e.args];
    case 'ArithmeticBinary': case 'Concat': case 'Comparison': case 'LogicalBinary': return [e.left, e.right];
    case 'ArithmeticUnary': case 'Not': case 'IsNull': return [e.operand];
    case 'Like': return [e.value, e.pattern];
    case 'Between': return [e.value, e.min, e.max];
    case 'InList': return [e.value, ...e.list];
    case 'SearchedCase': return [...e.whens.flatMap((w) => [w.when, w.then]), ...(e.else ? [e.else] : [])];
    case 'SimpleCase': return [e.operand, ...e.whens.flatMap((w) => [w.when, w.then]), ...(e.else ? [e.else] : [])];
    case 'Cast': return [e.expr];
    case 'CreateArray': return [...e.items];
    case 'CreateMap': return e.entries.flatMap((x) => [x.key, x.value]);
    case 'CreateStruct': return e.fields.map((f) => f.value);
    case 'Lambda': return [e.body];
    case 'AtTimeZone': return [e.expr];
    default: return assertNever(e);
  }
}

/** Rebuilds `e` with each direct child replaced by `f(child)`. */
export function mapChildren(e: A.Expression, f: (c: A.Expression) => A.Expression): A.Expression {
  switch (e.kind) {
    case 'NullLiteral': case 'BooleanLiteral': case 'IntegerLiteral': case 'LongLiteral': case 'DoubleLiteral':
    case 'DecimalLiteral': case 'StringLiteral': case 'ColumnRef': case 'LambdaVariable': case 'IntervalUnit':
      return e;
    case 'Dereference': return { ...e, base: f(e.base) };
    case 'Subscript': return { ...e, base: f(e.base), index: f(e.index) };
    case 'FunctionCall': return { ...e, args: e.args.map(f) };
    case 'ArithmeticBinary': return { ...e, left: f(e.left), right: f(e.right) };
    case 'Concat': return { ...e, left: f(e.left), right: f(e.right) };
    case 'Comparison': return { ...e, left: f(e.left), right: f(e.right) };
    case 'LogicalBinary': return { ...e, left: f(e.left), right: f(e.right) };
    case 'ArithmeticUnary': return { ...e, operand: f(e.operand) };
    case 'Not': return { ...e, operand: f(e.operand) };
    case 'IsNull': return { ...e, operand: f(e.operand) };
    case 'Like': return { ...e, value: f(e.value), pattern: f(e.pattern) };
    case 'Between': return { ...e, value: f(e.value), min: f(e.min), max: f(e.max) };
    case 'InList': return { ...e, value: f(e.value), list: e.list.map(f) };
    case 'SearchedCase': return { ...e, whens: e.whens.map((w) => ({ ...w, when: f(w.when), then: f(w.then) })), ...(e.else ? { else: f(e.else) } : {}) };
    case 'SimpleCase': return { ...e, operand: f(e.operand), whens: e.whens.map((w) => ({ ...w, when: f(w.when), then: f(w.then) })), ...(e.else ? { else: f(e.else) } : {}) };
    case 'Cast': return { ...e, expr: f(e.expr) };
    case 'CreateArray': return { ...e, items: e.items.map(f) };
    case 'CreateMap': return { ...e, entries: e.entries.map((x) => ({ key: f(x.key), value: f(x.value) })) };
    case 'CreateStruct': return { ...e, fields: e.fields.map((x) => ({ name: x.name, value: f(x.value) })) };
    case 'Lambda': return { ...e, body: f(e.body) };
    case 'AtTimeZone': return { ...e, expr: f(e.expr) };
    default: return assertNever(e);
  }
}

/** Every node of `e` (pre-order). */
export function* walk(e: A.Expression): Generator<A.Expression> {
  yield e;
  for (const c of children(e)) yield* walk(c);
}

/**
 * A key equal for structurally equal expressions (spans ignored). `column` canonicalises column
 * references, so `ID` and `T.ID` naming the same column compare equal.
 */
export function structuralKey(e: A.Expression, column: (c: A.ColumnRef) => string): string {
  const parts: string[] = [];
  const visit = (x: A.Expression): void => {
    parts.push('(', x.kind);
    switch (x.kind) {
      case 'ColumnRef': parts.push(column(x)); break;
      case 'BooleanLiteral': case 'IntegerLiteral': parts.push(String(x.value)); break;
      case 'LongLiteral': case 'DecimalLiteral': parts.push(x.text); break;
      case 'DoubleLiteral': parts.push(String(x.value)); break;
      case 'StringLiteral': parts.push(JSON.stringify(x.value)); break;
      case 'LambdaVariable': parts.push(x.name); break;
      case 'Dereference': parts.push(x.field); break;
      case 'FunctionCall': parts.push(x.name, x.star ? '*' : '', x.distinct ? 'D' : ''); break;
      case 'ArithmeticBinary': case 'Comparison': case 'LogicalBinary': parts.push(x.op); break;
      case 'ArithmeticUnary': parts.push(x.op); break;
      case 'IsNull': case 'Between': case 'InList': parts.push(String(x.negated)); break;
      case 'Like': parts.push(String(x.negated), x.escape ?? ''); break;
      case 'Cast': parts.push(JSON.stringify(stripSpans(x.type))); break;
      case 'CreateStruct': parts.push(x.fields.map((f) => f.name).join(',')); break;
      case 'Lambda': parts.push(x.params.join(',')); break;
      case 'IntervalUnit': parts.push(x.unit); break;
      case 'AtTimeZone': parts.push(x.zone); break;
      default: break;
    }
    for (const c of children(x)) visit(c);
    parts.push(')');
  };
  visit(e);
  return parts.join(' ');
}

function stripSpans(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripSpans);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (k !== 'span') out[k] = stripSpans(x);
    return out;
  }
  return v;
}
