/**
 * Expression tree rewriting (ksqlDB's ExpressionTreeRewriter): `rewriteExpression(e, fn)` visits the
 * tree top-down; where `fn` returns an expression that node is replaced (and not descended into),
 * otherwise the node's children are rewritten. Unchanged subtrees keep their identity, so memoised
 * types stay valid for them.
 */
import type * as A from '../sql/ast.js';
import { assertNever } from '../sql/ast.js';
import { formatExpression } from '../sql/format.js';

export type Rewriter = (e: A.Expression) => A.Expression | undefined;

export function rewriteExpression(e: A.Expression, fn: Rewriter): A.Expression {
  const replaced = fn(e);
  if (replaced !== undefined) return replaced;
  const r = (x: A.Expression): A.Expression => rewriteExpression(x, fn);
  const same = (a: readonly A.Expression[], b: readonly A.Expression[]) => a.every((x, i) => x === b[i]);
  switch (e.kind) {
    case 'NullLiteral': case 'BooleanLiteral': case 'IntegerLiteral': case 'LongLiteral': case 'DoubleLiteral':
    case 'DecimalLiteral': case 'StringLiteral': case 'ColumnRef': case 'LambdaVariable': case 'IntervalUnit':
      return e;
    case 'Dereference': { const base = r(e.base); return base === e.base ? e : { ...e, base }; }
    case 'Subscript': { const base = r(e.base), index = r(e.index); return base === e.base && index === e.index ? e : { ...e, base, index }; }
    case 'FunctionCall': { const args = e.args.map(r); return same(args, e.args) ? e : { ...e, args }; }
    case 'ArithmeticBinary': case 'Concat': case 'Comparison': case 'LogicalBinary': {
      const left = r(e.left), right = r(e.right);
      return left === e.left && right === e.right ? e : { ...e, left, right } as A.Expression;
    }
    case 'ArithmeticUnary': case 'Not': case 'IsNull': { const operand = r(e.operand); return operand === e.operand ? e : { ...e, operand } as A.Expression; }
    case 'Like': { const value = r(e.value), pattern = r(e.pattern); return value === e.value && pattern === e.pattern ? e : { ...e, value, pattern }; }
    case 'Between': {
      const value = r(e.value), min = r(e.min), max = r(e.max);
      return value === e.value && min === e.min && max === e.max ? e : { ...e, value, min, max };
    }
    case 'InList': { const value = r(e.value), list = e.list.map(r); return value === e.value && same(list, e.list) ? e : { ...e, value, list }; }
    case 'SearchedCase': {
      const whens = e.whens.map((w) => ({ ...w, when: r(w.when), then: r(w.then) }));
      const els = e.else === undefined ? undefined : r(e.else);
      return { ...e, whens, ...(els !== undefined ? { else: els } : {}) };
    }
    case 'SimpleCase': {
      const whens = e.whens.map((w) => ({ ...w, when: r(w.when), then: r(w.then) }));
      const els = e.else === undefined ? undefined : r(e.else);
      return { ...e, operand: r(e.operand), whens, ...(els !== undefined ? { else: els } : {}) };
    }
    case 'Cast': { const expr = r(e.expr); return expr === e.expr ? e : { ...e, expr }; }
    case 'CreateArray': { const items = e.items.map(r); return same(items, e.items) ? e : { ...e, items }; }
    case 'CreateMap': return { ...e, entries: e.entries.map((x) => ({ key: r(x.key), value: r(x.value) })) };
    case 'CreateStruct': return { ...e, fields: e.fields.map((f) => ({ name: f.name, value: r(f.value) })) };
    case 'Lambda': { const body = r(e.body); return body === e.body ? e : { ...e, body }; }
    case 'AtTimeZone': { const expr = r(e.expr); return expr === e.expr ? e : { ...e, expr }; }
    default: return assertNever(e);
  }
}

/** Calls `fn` for every node of the tree (pre-order). */
export function visitExpression(e: A.Expression, fn: (e: A.Expression) => void): void {
  rewriteExpression(e, (x) => { fn(x); return undefined; });
}

/** Column references of an expression (lambda variables are not columns). */
export function columnRefs(e: A.Expression): A.ColumnRef[] {
  const out: A.ColumnRef[] = [];
  visitExpression(e, (x) => { if (x.kind === 'ColumnRef') out.push(x); });
  return out;
}

/**
 * A location-independent text for structural comparison of expressions (ksqlDB compares expression
 * trees with equals(), which ignores source locations). Qualifiers naming `alias` are dropped.
 */
export function expressionKey(e: A.Expression, alias?: string): string {
  const stripped = rewriteExpression(e, (x) =>
    x.kind === 'ColumnRef' && x.source !== undefined && (alias === undefined || x.source === alias)
      ? { kind: 'ColumnRef', name: x.name, span: x.span } : undefined);
  return formatExpression(stripped);
}

/** Qualifies unqualified column references with `alias` (for messages such as "INPUT.ID"). */
export function qualifyColumns(e: A.Expression, alias: string): A.Expression {
  return rewriteExpression(e, (x) => (x.kind === 'ColumnRef' && x.source === undefined ? { ...x, source: alias } : undefined));
}
