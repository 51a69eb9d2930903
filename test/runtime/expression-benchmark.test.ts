/**
 * Compiled expressions vs interpretation (DESIGN.md, "Compiled expressions"): the same projection and
 * predicate evaluated by the expression compiler's generated JS functions, by a closure tree (the usual
 * "interpreter-style" evaluator: one closure per AST node, built once per query), and by an AST walker
 * that switches on node kinds for every row. Prints rows/s for each; asserts they agree and that the
 * compiled form is not slower than the closure tree.
 */
import { describe, expect, it } from 'vitest';
import type * as A from '../../engine/sql/ast.js';
import { parseExpression } from '../../engine/sql/index.js';
import { ExpressionTyper } from '../../engine/analyzer/expression-typer.js';
import { ExpressionCompiler } from '../../engine/runtime/expr/compiler.js';
import { createFunctionRegistry } from '../../engine/functions/registry.js';
import { SqlTypes } from '../../engine/types/sql-type.js';
import type { RowSchema } from '../../engine/analyzer/row-schema.js';

const schema: RowSchema = {
  columns: [
    { name: 'ID', type: SqlTypes.INTEGER, role: 'KEY' },
    { name: 'PRICE', type: SqlTypes.DOUBLE, role: 'VALUE' },
    { name: 'QTY', type: SqlTypes.INTEGER, role: 'VALUE' },
    { name: 'NAME', type: SqlTypes.STRING, role: 'VALUE' },
    { name: 'FLAG', type: SqlTypes.BOOLEAN, role: 'VALUE' },
  ],
};
const COL: Record<string, number> = { ID: 0, PRICE: 1, QTY: 2, NAME: 3, FLAG: 4 };

const EXPRESSIONS = [
  "(PRICE * QTY > 100.0 AND NAME LIKE 'a%') OR (FLAG AND QTY BETWEEN 3 AND 7)",
  'PRICE * QTY + ID * 2 - QTY / 3',
  "CASE WHEN QTY > 5 THEN NAME || '-big' WHEN QTY > 2 THEN NAME ELSE 'small' END",
  'QTY IN (1, 3, 5, 7, 9) AND PRICE IS NOT NULL',
];

type Fn = (row: unknown[]) => unknown;

// --- a closure-tree interpreter for the subset used here (SQL null semantics) ---------------------
function likeToRegex(p: string): RegExp {
  return new RegExp('^' + p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.') + '$', 's');
}

function closure(e: A.Expression): Fn {
  switch (e.kind) {
    case 'IntegerLiteral': case 'DoubleLiteral': { const v = e.value; return () => v; }
    case 'DecimalLiteral': { const v = Number(e.text); return () => v; }
    case 'StringLiteral': { const v = e.value; return () => v; }
    case 'BooleanLiteral': { const v = e.value; return () => v; }
    case 'ColumnRef': { const i = COL[e.name]!; return (r) => r[i]; }
    case 'ArithmeticBinary': {
      const l = closure(e.left), rr = closure(e.right);
      const op = e.op;
      return (r) => {
        const a = l(r) as number | null, b = rr(r) as number | null;
        if (a === null || b === null) return null;
        switch (op) { case '+': return a + b; case '-': return a - b; case '*': return a * b; case '/': return Number.isInteger(a) && Number.isInteger(b) ? Math.trunc(a / b) : a / b; default: return a % b; }
      };
    }
    case 'Comparison': {
      const l = closure(e.left), rr = closure(e.right), op = e.op;
      return (r) => {
        const a = l(r) as number, b = rr(r) as number;
        if (a === null || b === null) return false;
        switch (op) { case '>': return a > b; case '<': return a < b; case '>=': return a >= b; case '<=': return a <= b; case '=': return a === b; default: return a !== b; }
      };
    }
    case 'LogicalBinary': {
      const l = closure(e.left), rr = closure(e.right);
      return e.op === 'AND'
        ? (r) => { const a = l(r), b = rr(r); return a === false || b === false ? false : a === null || b === null ? null : true; }
        : (r) => { const a = l(r), b = rr(r); return a === true || b === true ? true : a === null || b === null ? null : false; };
    }
    case 'Like': { const v = closure(e.value); const re = likeToRegex((e.pattern as A.StringLiteral).value); return (r) => { const s = v(r); return s === null ? null : re.test(s as string); }; }
    case 'Between': {
      const v = closure(e.value), lo = closure(e.min), hi = closure(e.max);
      return (r) => { const x = v(r) as number, a = lo(r) as number, b = hi(r) as number; return x === null || a === null || b === null ? false : x >= a && x <= b; };
    }
    case 'InList': {
      const v = closure(e.value), items = e.list.map(closure);
      return (r) => { const x = v(r); if (x === null) return false; for (const it of items) if (it(r) === x) return true; return false; };
    }
    case 'IsNull': { const v = closure(e.operand); const neg = e.negated; return (r) => (v(r) === null) !== neg; }
    case 'Concat': { const l = closure(e.left), rr = closure(e.right); return (r) => { const a = l(r), b = rr(r); return a === null || b === null ? null : String(a) + String(b); }; }
    case 'SearchedCase': {
      const whens = e.whens.map((w) => [closure(w.when), closure(w.then)] as const);
      const els = e.else ? closure(e.else) : () => null;
      return (r) => { for (const [c, t] of whens) if (c(r) === true) return t(r); return els(r); };
    }
    default: throw new Error(`closure interpreter: unsupported ${e.kind}`);
  }
}

// --- an AST walker (no preparation at all) --------------------------------------------------------
function walk(e: A.Expression, r: unknown[]): unknown {
  return closure(e)(r); // the worst case: rebuilding per row, i.e. interpreting the tree each time
}

function rows(n: number): unknown[][] {
  const out: unknown[][] = [];
  for (let i = 0; i < n; i++) out.push([i, (i % 50) + 0.5, i % 11, i % 3 === 0 ? 'abc' : 'xyz', i % 2 === 0]);
  return out;
}

function measure(fns: readonly Fn[], data: readonly unknown[][], minMs: number): { rowsPerSec: number; sink: number } {
  let sink = 0, n = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (const r of data) for (const f of fns) if (f(r) !== null) sink++;
    n += data.length;
    elapsed = performance.now() - start;
  } while (elapsed < minMs);
  return { rowsPerSec: (n / elapsed) * 1000, sink };
}

describe('compiled expressions vs interpretation (micro-benchmark)', () => {
  it('agree on results, and compiled code is faster than a closure tree', () => {
    const typer = new ExpressionTyper(schema, { functions: createFunctionRegistry() });
    const parsed = EXPRESSIONS.map((t) => parseExpression(t));
    const compiled = parsed.map((e) => new ExpressionCompiler(typer).compile(e));
    const closures = parsed.map(closure);
    const data = rows(2_000);
    for (const r of data) {
      compiled.forEach((f, i) => expect(f(r)).toEqual(closures[i]!(r)));
    }
    // warm up both, then measure best of three
    measure(compiled, data, 50);
    measure(closures, data, 50);
    let c = 0, t = 0;
    for (let i = 0; i < 3; i++) {
      c = Math.max(c, measure(compiled, data, 150).rowsPerSec);
      t = Math.max(t, measure(closures, data, 150).rowsPerSec);
    }
    const w = measure(parsed.map((e) => (r: unknown[]) => walk(e, r)), data.slice(0, 200), 100).rowsPerSec;
    const fmt = (x: number) => `${(x / 1e6).toFixed(2)} M rows/s`;
    console.log(
      `expression micro-benchmark (${EXPRESSIONS.length} expressions per row):\n`
      + `  compiled JS functions : ${fmt(c)}\n`
      + `  closure tree          : ${fmt(t)}  (compiled is ${(c / t).toFixed(2)}x)\n`
      + `  per-row tree walk     : ${fmt(w)}  (compiled is ${(c / w).toFixed(1)}x)`);
    expect(c).toBeGreaterThan(t * 0.9);
  }, 60_000);
});
