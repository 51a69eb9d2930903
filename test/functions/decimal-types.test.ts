import { describe, expect, it } from 'vitest';
import { decimalArithmeticType, toDecimalType, widenDecimal } from '../../engine/functions/decimal-types.js';
import { SqlTypes } from '../../engine/types/sql-type.js';

const d = SqlTypes.decimal;

describe('DECIMAL result types', () => {
  it('widens', () => {
    expect(widenDecimal(d(9, 2), d(7, 6))).toEqual(d(13, 6));
    expect(widenDecimal(SqlTypes.INTEGER, d(3, 2))).toEqual(d(12, 2));
    expect(toDecimalType(SqlTypes.BIGINT)).toEqual(d(19, 0));
    expect(() => toDecimalType(SqlTypes.DOUBLE)).toThrow('Cannot convert DOUBLE to DECIMAL');
  });
  it('arithmetic', () => {
    expect(decimalArithmeticType('+', d(4, 2), d(2, 1))).toEqual(d(5, 2));
    expect(decimalArithmeticType('-', d(4, 2), SqlTypes.INTEGER)).toEqual(d(13, 2));
    expect(decimalArithmeticType('*', d(4, 2), d(2, 1))).toEqual(d(7, 3));
    expect(decimalArithmeticType('/', d(3, 1), d(2, 1))).toEqual(d(9, 6));
    expect(decimalArithmeticType('%', d(4, 2), d(2, 1))).toEqual(d(3, 2));
  });
});
