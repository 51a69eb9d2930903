import { describe, expect, it } from 'vitest';
import { parseExpression } from '../../engine/sql/index.js';
import { ExpressionTyper } from '../../engine/analyzer/expression-typer.js';
import { ExpressionCompiler } from '../../engine/runtime/expr/compiler.js';
import { createFunctionRegistry } from '../../engine/functions/registry.js';
import { SqlTypes, type SqlType } from '../../engine/types/sql-type.js';
import { Decimal } from '../../engine/types/decimal.js';
import type { RowSchema } from '../../engine/analyzer/row-schema.js';

const functions = createFunctionRegistry();
const schema: RowSchema = {
  columns: [
    { name: 'I', type: SqlTypes.INTEGER, role: 'VALUE' },
    { name: 'L', type: SqlTypes.BIGINT, role: 'VALUE' },
    { name: 'D', type: SqlTypes.DOUBLE, role: 'VALUE' },
    { name: 'S', type: SqlTypes.STRING, role: 'VALUE' },
    { name: 'DEC', type: SqlTypes.decimal(5, 2), role: 'VALUE' },
    { name: 'ARR', type: SqlTypes.array(SqlTypes.INTEGER), role: 'VALUE' },
    { name: 'M', type: SqlTypes.map(SqlTypes.STRING, SqlTypes.INTEGER), role: 'VALUE' },
    { name: 'ST', type: SqlTypes.struct([{ name: 'F', type: SqlTypes.STRING }]), role: 'VALUE' },
  ],
};
const row = [7, 9007199254740993n, 1.5, 'abc', Decimal.parse('1.25'), [10, 20, 30], new Map([['k', 1]]), { F: 'x' }];

function evaluate(sql: string, r: unknown[] = row): { value: unknown; type: SqlType | null } {
  const expr = parseExpression(sql);
  const typer = new ExpressionTyper(schema, { functions });
  const type = typer.typeOf(expr);
  return { value: new ExpressionCompiler(typer).compile(expr)(r), type };
}

describe('expression compiler', () => {
  it('wraps INTEGER arithmetic at 32 bits and keeps BIGINT exact beyond 2^53', () => {
    expect(evaluate('2147483647 + 1').value).toBe(-2147483648);
    expect(evaluate('L + 1').value).toBe(9007199254740994n);
    expect(evaluate('I * 2').type).toEqual(SqlTypes.INTEGER);
  });

  it('types DECIMAL arithmetic like ksqlDB and keeps the scale', () => {
    const r = evaluate('DEC + 1');
    expect(r.type).toEqual(SqlTypes.decimal(13, 2)); // scale max(2,0); precision 2 + max(3, 10) + 1
    expect((r.value as Decimal).toPlainString()).toBe('2.25');
    expect((evaluate('DEC / 2').value as Decimal).scale).toBe(13); // max(6, 2 + 10 + 1)
  });

  it('propagates NULL through operators and compares with NULL as false', () => {
    const nulls = row.map(() => null);
    expect(evaluate('I + 1', nulls).value).toBeNull();
    expect(evaluate('I = 1', nulls).value).toBe(false);
    expect(evaluate('I IS NULL', nulls).value).toBe(true);
    expect(evaluate('I IS NOT DISTINCT FROM NULL', nulls).value).toBe(true);
  });

  it('uses SQL three-valued logic for AND and OR', () => {
    const nulls = row.map(() => null);
    expect(evaluate('I > 1 OR TRUE', nulls).value).toBe(true);
    expect(evaluate('NOT (I IS NULL) AND FALSE', nulls).value).toBe(false);
  });

  it('evaluates subscripts (1-based, negative from the end), map lookups and struct fields', () => {
    expect(evaluate('ARR[1]').value).toBe(10);
    expect(evaluate('ARR[-1]').value).toBe(30);
    expect(evaluate('ARR[4]').value).toBeNull();
    expect(evaluate("M['k']").value).toBe(1);
    expect(evaluate('ST->F').value).toBe('x');
  });

  it('evaluates LIKE with escapes, BETWEEN, IN and CASE', () => {
    expect(evaluate("S LIKE 'a%'").value).toBe(true);
    expect(evaluate("'a_c' LIKE 'a!_c' ESCAPE '!'").value).toBe(true);
    expect(evaluate("S LIKE 'a!_c' ESCAPE '!'").value).toBe(false);
    expect(evaluate('I BETWEEN 1 AND 7').value).toBe(true);
    expect(evaluate('I NOT IN (1, 2)').value).toBe(true);
    expect(evaluate("CASE WHEN I > 5 THEN 'big' ELSE 'small' END").value).toBe('big');
    expect(evaluate("CASE I WHEN 7 THEN 'seven' END").value).toBe('seven');
  });

  it('calls functions, including lambdas', () => {
    expect(evaluate("UCASE(S)").value).toBe('ABC');
    expect(evaluate('TRANSFORM(ARR, x => x * 2)').value).toEqual([20, 40, 60]);
    expect(evaluate('REDUCE(ARR, 0, (acc, x) => acc + x)').value).toBe(60);
  });

  it('casts and builds constructors with implicit widening', () => {
    expect(evaluate('CAST(I AS STRING)').value).toBe('7');
    expect(evaluate('ARRAY[I, 1.5]').value).toEqual([Decimal.parse('7.0'), Decimal.parse('1.5')]);
    expect(evaluate("STRUCT(A := I, B := S)").value).toEqual({ A: 7, B: 'abc' });
  });

  it('reports evaluation errors through the handler and yields null', () => {
    const expr = parseExpression('I / 0');
    const typer = new ExpressionTyper(schema, { functions });
    const errors: string[] = [];
    const fn = new ExpressionCompiler(typer).compile(expr, { onError: (e) => errors.push(String(e)), text: 'I / 0' });
    expect(fn(row)).toBeNull();
    expect(errors).toHaveLength(1);
  });
});
