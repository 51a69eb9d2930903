import { describe, expect, it } from 'vitest';
import { ParseFailedException } from '../../engine/errors/index.js';
import { formatExpression, parseExpression } from '../../engine/sql/index.js';
import { noSpans } from './helpers.js';

const fmt = (text: string): string => formatExpression(parseExpression(text));
const tree = (text: string): unknown => noSpans(parseExpression(text));

describe('expression precedence', () => {
  it.each([
    ['a + b * c - d', '((A + (B * C)) - D)'],
    ['a * b % c / d', '(((A * B) % C) / D)'],
    ['-a * b', '(-A * B)'],
    ['- a + b', '(-A + B)'],
    ['a || b + c', 'CONCAT(A, (B + C))'],
    ['a + b || c', 'CONCAT((A + B), C)'],
    ['a || b || c', 'CONCAT(CONCAT(A, B), C)'],
    ['NOT a AND b OR c', '(((NOT A) AND B) OR C)'],
    ['a OR b AND c', '(A OR (B AND C))'],
    ['NOT a = b', '(NOT (A = B))'],
    ['a + 1 > b * 2 AND c', '(((A + 1) > (B * 2)) AND C)'],
    ['a = 1 OR b BETWEEN 1 + 1 AND 3', '((A = 1) OR (B BETWEEN (1 + 1) AND 3))'],
    ['(a + b) * c', '((A + B) * C)'],
    ["ts AT TIME ZONE 'UTC'", "TS AT TIME ZONE 'UTC'"],
    ["-ts AT TIME ZONE 'UTC'", "-TS AT TIME ZONE 'UTC'"],
    ['a - -1', '(A - -1)'],
    ['1 -1', '(1 - 1)'],
    ['- -a', '- -A'],
    ['+a', '+A'],
  ])('%s', (text, expected) => {
    expect(fmt(text)).toBe(expected);
  });

  it('allows at most one predicate per operand', () => {
    expect(() => parseExpression('a = b = c')).toThrow(ParseFailedException);
  });
});

describe('predicates', () => {
  it.each([
    ['a <> b', '(A <> B)'],
    ['a != b', '(A <> B)'],
    ['a <= b', '(A <= B)'],
    ['a >= b', '(A >= B)'],
    ['a IS NULL', '(A IS NULL)'],
    ['a IS NOT NULL', '(A IS NOT NULL)'],
    ['a IS DISTINCT FROM b', '(A IS DISTINCT FROM B)'],
    ['a IS NOT DISTINCT FROM b + 1', '(A IS NOT DISTINCT FROM (B + 1))'],
    ['a NOT BETWEEN 1 AND 2', '(NOT (A BETWEEN 1 AND 2))'],
    ['a IN (1, 2)', '(A IN (1, 2))'],
    ['a NOT IN (1, b = c)', '(NOT (A IN (1, (B = C))))'],
    ["a LIKE 'x%'", "(A LIKE 'x%')"],
    ["a NOT LIKE 'x!%' ESCAPE '!'", "(A NOT LIKE 'x!%' ESCAPE '!')"],
  ])('%s', (text, expected) => {
    expect(fmt(text)).toBe(expected);
  });

  it('builds the predicate nodes', () => {
    expect(tree('a NOT BETWEEN 1 AND 2')).toMatchObject({ kind: 'Between', negated: true });
    expect(tree('a NOT IN (1)')).toMatchObject({ kind: 'InList', negated: true, list: [{ kind: 'IntegerLiteral', value: 1 }] });
    expect(tree("a LIKE 'p' ESCAPE '!'")).toMatchObject({ kind: 'Like', negated: false, escape: '!' });
    expect(tree('a IS NOT NULL')).toEqual({ kind: 'IsNull', negated: true, operand: { kind: 'ColumnRef', name: 'A' } });
  });

  it('rejects an empty IN list', () => {
    expect(() => parseExpression('a IN ()')).toThrow(/Syntax Error/);
  });
});

describe('literals', () => {
  it.each([
    ['1', { kind: 'IntegerLiteral', value: 1 }],
    ['-2147483648', { kind: 'IntegerLiteral', value: -2147483648 }],
    ['2147483648', { kind: 'LongLiteral', text: '2147483648' }],
    ['-9223372036854775808', { kind: 'LongLiteral', text: '-9223372036854775808' }],
    ['9223372036854775807', { kind: 'LongLiteral', text: '9223372036854775807' }],
    ['1.50', { kind: 'DecimalLiteral', text: '1.50' }],
    ['.5', { kind: 'DecimalLiteral', text: '0.5' }],
    ['-0.50', { kind: 'DecimalLiteral', text: '-0.50' }],
    ['1.', { kind: 'DecimalLiteral', text: '1' }],
    ['1.5E3', { kind: 'DoubleLiteral', value: 1500, text: '1.5E3' }],
    ['-1e-2', { kind: 'DoubleLiteral', value: -0.01, text: '-1e-2' }],
    ["DECIMAL '1.230'", { kind: 'DecimalLiteral', text: '1.230' }],
    ["'it''s'", { kind: 'StringLiteral', value: "it's" }],
    ['TRUE', { kind: 'BooleanLiteral', value: true }],
    ['false', { kind: 'BooleanLiteral', value: false }],
    ['NULL', { kind: 'NullLiteral' }],
  ])('%s', (text, expected) => {
    expect(tree(text)).toEqual(expected);
  });

  it('rejects integers outside BIGINT', () => {
    expect(() => parseExpression('-9223372036854775809')).toThrow('Invalid numeric literal: -9223372036854775809');
    expect(() => parseExpression('9223372036854775808')).toThrow('Invalid numeric literal: 9223372036854775808');
  });

  it('rejects typed literals other than DECIMAL', () => {
    expect(() => parseExpression("DATE '2020-01-01'")).toThrow(ParseFailedException);
    expect(() => parseExpression("DECIMAL 'abc'")).toThrow(ParseFailedException);
  });
});

describe('primary expressions', () => {
  it('reads column references, qualified or not, keeping quoted case', () => {
    expect(tree('col')).toEqual({ kind: 'ColumnRef', name: 'COL' });
    expect(tree('t.col')).toEqual({ kind: 'ColumnRef', source: 'T', name: 'COL' });
    expect(tree('`t`."Col"')).toEqual({ kind: 'ColumnRef', source: 't', name: 'Col' });
  });

  it('uses non-reserved keywords as names', () => {
    for (const word of ['KEY', 'TIMESTAMP', 'DATE', 'TIME', 'SOURCE', 'ID', 'TYPE', 'EMIT', 'VALUE', 'SHOW', 'TABLES', 'MAP', 'ARRAY', 'STRUCT']) {
      expect(tree(word)).toEqual({ kind: 'ColumnRef', name: word });
    }
  });

  it('reads dereference chains, subscripts and their mixes', () => {
    expect(fmt('s->f->g')).toBe('S->F->G');
    expect(fmt("arr[1][-1]->x['k']")).toBe("ARR[1][-1]->X['k']");
    expect(fmt('f(x)->a[1 + 1]')).toBe('F(X)->A[(1 + 1)]');
    expect(tree('s->`f`')).toEqual({ kind: 'Dereference', base: { kind: 'ColumnRef', name: 'S' }, field: 'f' });
  });

  it('reads function calls, COUNT(*) and bare time units', () => {
    expect(tree('count(*)')).toEqual({ kind: 'FunctionCall', name: 'COUNT', args: [], star: true });
    expect(tree('random()')).toEqual({ kind: 'FunctionCall', name: 'RANDOM', args: [] });
    expect(tree('TIMESTAMPADD(SECONDS, 5, ts)')).toEqual({
      kind: 'FunctionCall', name: 'TIMESTAMPADD',
      args: [{ kind: 'IntervalUnit', unit: 'SECONDS' }, { kind: 'IntegerLiteral', value: 5 }, { kind: 'ColumnRef', name: 'TS' }],
    });
    expect(tree('f(millisecond)')).toMatchObject({ args: [{ kind: 'IntervalUnit', unit: 'MILLISECONDS' }] });
    expect(tree('f(days)')).toMatchObject({ args: [{ kind: 'IntervalUnit', unit: 'DAYS' }] });
    // DAY, HOUR, MINUTE and SECOND are non-reserved: as an argument they are column names, as in ksqlDB.
    expect(tree('f(day, hour)')).toMatchObject({ args: [{ kind: 'ColumnRef', name: 'DAY' }, { kind: 'ColumnRef', name: 'HOUR' }] });
  });

  it('reads CASE, CAST and the constructors', () => {
    expect(fmt('CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END')).toBe('(CASE WHEN A THEN 1 WHEN B THEN 2 ELSE 3 END)');
    expect(fmt("CASE a WHEN 1 THEN 'x' END")).toBe("(CASE A WHEN 1 THEN 'x' END)");
    expect(tree('CASE a WHEN 1 THEN 2 END')).toMatchObject({ kind: 'SimpleCase', operand: { name: 'A' } });
    expect(fmt('CAST(x AS MAP<STRING, ARRAY<DECIMAL(4, 2)>>)')).toBe('CAST(X AS MAP<STRING, ARRAY<DECIMAL(4, 2)>>)');
    expect(fmt('ARRAY[1, 2, 3]')).toBe('ARRAY[1, 2, 3]');
    expect(fmt('ARRAY[]')).toBe('ARRAY[]');
    expect(fmt("MAP('a' := 1, 'b' := 2)")).toBe("MAP('a':=1, 'b':=2)");
    expect(fmt('STRUCT(a := 1, `b` := x)')).toBe('STRUCT(A:=1, `b`:=X)');
  });

  it('resolves lambda parameters, including outer ones in nested lambdas', () => {
    const e = tree('TRANSFORM(arr, x => FILTER(x, (y, z) => y + x > z + w))') as {
      args: [unknown, { kind: string; params: string[]; body: { args: [unknown, { params: string[]; body: unknown }] } }];
    };
    const outer = e.args[1];
    expect(outer).toMatchObject({ kind: 'Lambda', params: ['X'] });
    expect(outer.body.args[0]).toEqual({ kind: 'LambdaVariable', name: 'X' });
    const inner = outer.body.args[1];
    expect(inner.params).toEqual(['Y', 'Z']);
    expect(formatExpression(parseExpression('FILTER(a, (y, z) => y + a > z + w)'))).toBe('FILTER(A, (Y, Z) => ((Y + A) > (Z + W)))');
    expect(inner.body).toMatchObject({
      left: { left: { kind: 'LambdaVariable', name: 'Y' }, right: { kind: 'LambdaVariable', name: 'X' } },
      right: { left: { kind: 'LambdaVariable', name: 'Z' }, right: { kind: 'ColumnRef', name: 'W' } },
    });
  });

  it('only takes lambdas after the plain arguments', () => {
    expect(() => parseExpression('f(x => x, 1)')).toThrow(ParseFailedException);
  });

  it('sets spans on every node', () => {
    const e = parseExpression('a +\n  f(b)');
    expect(e.span).toEqual({ start: 0, end: 10, line: 1, column: 1 });
    if (e.kind !== 'ArithmeticBinary') throw new Error(e.kind);
    expect(e.right.span).toEqual({ start: 6, end: 10, line: 2, column: 3 });
  });
});
