import { describe, expect, it } from 'vitest';
import { compareNullsLast, compareValues, distinctValues, valueKey, valuesEqual } from '../../engine/functions/compare.js';
import { formatJavaDouble, javaToString } from '../../engine/functions/java-text.js';
import { Decimal } from '../../engine/types/decimal.js';
import { SqlTypes } from '../../engine/types/sql-type.js';

describe('compareValues (Java compareTo)', () => {
  it('numbers incl. NaN and -0, bigint longs, decimals', () => {
    expect(compareValues(1, 2)).toBe(-1);
    expect(compareValues(NaN, Infinity)).toBe(1);
    expect(compareValues(-0, 0)).toBe(-1);
    expect(compareValues(9007199254740993n, 9007199254740991)).toBe(1);
    expect(compareValues(Decimal.parse('1.10'), Decimal.parse('1.1'))).toBe(0);
    expect(compareValues(Decimal.parse('-0.2'), Decimal.parse('-9.9'))).toBe(1);
  });
  it('strings by UTF-16 code unit, booleans, bytes as signed', () => {
    expect(['foo', 'fo', 'Food', 'F', 'food', '\uffff', '\ud83d\ude00'].sort(compareValues)).toEqual(['F', 'Food', 'fo', 'foo', 'food', '\ud83d\ude00', '\uffff']);
    expect(compareValues(false, true)).toBe(-1);
    expect(compareValues(Buffer.from([0x80]), Buffer.from([0x01]))).toBe(-1);
    expect(compareValues(Buffer.from([1]), Buffer.from([1, 0]))).toBe(-1);
    expect(compareValues([1, 2], [1, 3])).toBe(-1);
    expect(compareNullsLast(null, 1)).toBe(1);
  });
});

describe('valuesEqual / valueKey (Java equals)', () => {
  it('is deep and scale-sensitive for decimals', () => {
    expect(valuesEqual([1, [2, null]], [1, [2, null]])).toBe(true);
    expect(valuesEqual(new Map([['a', 1], ['b', 2]]), new Map([['b', 2], ['a', 1]]))).toBe(true);
    expect(valuesEqual({ A: 1, B: 'x' }, { A: 1, B: 'x' })).toBe(true);
    expect(valuesEqual({ A: 1 }, { A: 2 })).toBe(false);
    expect(valuesEqual(Decimal.parse('1.0'), Decimal.parse('1.00'))).toBe(false);
    expect(valuesEqual(NaN, NaN)).toBe(true);
    expect(valuesEqual(Buffer.from('a'), Buffer.from('a'))).toBe(true);
    expect(valueKey(new Map([['a', 1], ['b', 2]]))).toBe(valueKey(new Map([['b', 2], ['a', 1]])));
    expect(distinctValues([[1], [1], [2], null, null])).toEqual([[1], [2], null]);
  });
});

describe('Java text', () => {
  it('formats doubles like Double.toString', () => {
    const cases: [number, string][] = [
      [1, '1.0'], [0, '0.0'], [-0, '-0.0'], [1.5, '1.5'], [1e7, '1.0E7'], [9999999, '9999999.0'], [0.001, '0.001'],
      [0.0001, '1.0E-4'], [123456789.123, '1.23456789123E8'], [-12345.678, '-12345.678'], [NaN, 'NaN'], [-Infinity, '-Infinity'],
      [1946195068359375, '1.946195068359375E15'], [5e-324, '4.9E-324'], [1.7976931348623157e308, '1.7976931348623157E308'],
    ];
    for (const [d, s] of cases) expect(formatJavaDouble(d)).toBe(s);
  });
  it('formats collections like Java toString', () => {
    expect(javaToString([1, null, 'a'], SqlTypes.array(SqlTypes.STRING))).toBe('[1, null, a]');
    expect(javaToString(new Map([['k', 1.0]]), SqlTypes.map(SqlTypes.STRING, SqlTypes.DOUBLE))).toBe('{k=1.0}');
    expect(javaToString(Decimal.parse('1.50'))).toBe('1.50');
  });
});
