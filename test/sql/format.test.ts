import { describe, expect, it } from 'vitest';
import { formatExpression, formatIdentifier, formatJavaDouble, parseExpression } from '../../engine/sql/index.js';

const fmt = (text: string): string => formatExpression(parseExpression(text));

describe('formatExpression', () => {
  // Expected strings are copied from ksqlDB messages in the conformance cases.
  it.each([
    ['t.id = 0', '(T.ID = 0)'],
    ['subregion + region', '(SUBREGION + REGION)'],
    ['f1 * sum(f2)', '(F1 * SUM(F2))'],
    ['substring(source, 0, 3)', 'SUBSTRING(SOURCE, 0, 3)'],
    ['RANDOM() + 1.5', '(RANDOM() + 1.5)'],
    ['true + 1.5', '(true + 1.5)'],
    ['ID = NULL', '(ID = null)'],
    ['count = 100', '(COUNT = 100)'],
    ['1 + NULL', '(1 + null)'],
    ["MAP(1 := 'cat') + NULL", "(MAP(1:='cat') + null)"],
    ["VAL0 IN (VAL0, MAP('a' := VAL1))", "(VAL0 IN (VAL0, MAP('a':=VAL1)))"],
    ['Array[1,2,3] + NULL', '(ARRAY[1, 2, 3] + null)'],
    ['5.0 / NULL', '(5.0 / null)'],
    ['NULL * NULL', '(null * null)'],
    ['CAST(left_table.foreign_key AS STRING)', 'CAST(LEFT_TABLE.FOREIGN_KEY AS STRING)'],
    ['SUM(COUNT())', 'SUM(COUNT())'],
    ['COUNT(*)', 'COUNT(*)'],
    ['s->f', 'S->F'],
    ['arr[1]', 'ARR[1]'],
  ])('%s', (text, expected) => {
    expect(fmt(text)).toBe(expected);
  });

  it('back-quotes names that need it', () => {
    expect(fmt('`lower`.`Mixed Case` + `SELECT`')).toBe('(`lower`.`Mixed Case` + `SELECT`)');
    expect(formatIdentifier('A`B')).toBe('`A``B`');
    expect(formatExpression(parseExpression('`x`'), { quote: () => false })).toBe('x');
  });

  it('prints literals as ksqlDB does', () => {
    expect(fmt("'it''s'")).toBe("'it''s'");
    expect(fmt('1.50')).toBe('1.50');
    expect(fmt('1.5E3')).toBe('1500.0');
    expect(fmt('1E10')).toBe('1.0E10');
    expect(fmt('9223372036854775807')).toBe('9223372036854775807');
    expect(fmt('-(-1)')).toBe('- -1');
  });

  it('prints lambdas, structs, CASE and AT TIME ZONE', () => {
    expect(fmt('TRANSFORM(a, x => x + 1)')).toBe('TRANSFORM(A, (X) => (X + 1))');
    expect(fmt('STRUCT(a := 1)')).toBe('STRUCT(A:=1)');
    expect(fmt("CASE WHEN a THEN 'x' END")).toBe("(CASE WHEN A THEN 'x' END)");
    expect(fmt("ts AT TIME ZONE 'UTC'")).toBe("TS AT TIME ZONE 'UTC'");
    expect(fmt('TIMESTAMPADD(SECONDS, 1, ts)')).toBe('TIMESTAMPADD(SECONDS, 1, TS)');
  });

  it('round-trips: formatting then parsing gives the same text again', () => {
    for (const text of ['a + b * c', "x NOT LIKE 'a' ESCAPE '!'", 'NOT a OR b IS NULL', 'CASE a WHEN 1 THEN 2 ELSE 3 END', 'f(x)->y[1]']) {
      const once = fmt(text);
      expect(fmt(once)).toBe(once);
    }
  });
});

describe('formatJavaDouble', () => {
  it.each([
    [1, '1.0'], [0, '0.0'], [-0, '-0.0'], [1500, '1500.0'], [0.001, '0.001'], [0.0001, '1.0E-4'], [1e7, '1.0E7'],
    [1234567.5, '1234567.5'], [-1.5e-7, '-1.5E-7'], [Infinity, 'Infinity'], [NaN, 'NaN'],
  ])('%s', (value, expected) => {
    expect(formatJavaDouble(value)).toBe(expected);
  });
});
