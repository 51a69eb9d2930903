import { describe, expect, it } from 'vitest';
import { SqlTypes } from '../../engine/types/sql-type.js';
import { Decimal } from '../../engine/types/decimal.js';
import { big, bytes, call, callOrError, dbl, dec, int, nul, plain, resolve, str, strLit, typed } from './helpers.js';

const round13 = (v: unknown): unknown => call('round', dbl(v as number), int(13));

describe('math.json', () => {
  it('exp', () => {
    expect(call('exp', int(-1))).toBe(0.36787944117144233);
    expect(call('exp', big(-2))).toBe(0.1353352832366127);
    expect(call('exp', dbl(-3.0))).toBe(0.049787068367863944);
    expect(call('exp', int(0))).toBe(1.0);
    expect(call('exp', big(2))).toBe(7.38905609893065);
    expect(call('exp', dbl(3.0))).toBe(20.085536923187668);
    expect(call('exp', int(null))).toBeNull();
    expect(resolve('exp', int(1)).returnType).toEqual(SqlTypes.DOUBLE);
  });
  it('ln', () => {
    expect(call('ln', int(-1))).toBeNaN();
    expect(call('ln', big(0))).toBe(-Infinity);
    expect(call('ln', big(2))).toBe(0.6931471805599453);
    expect(call('ln', dbl(3.0))).toBe(1.0986122886681098);
  });
  it('floor and ceil keep the decimal type', () => {
    const rows: [string, string, string][] = [['0.0', '0.0', '0.0'], ['1.1', '1.0', '2.0'], ['1.5', '1.0', '2.0'], ['1.7', '1.0', '2.0'], ['2.0', '2.0', '2.0'], ['-1.0', '-1.0', '-1.0'], ['-1.5', '-2.0', '-1.0']];
    for (const [v, f, c] of rows) {
      expect(plain(call('floor', dec(v, 2, 1)))).toBe(f);
      expect(plain(call('ceil', dec(v, 2, 1)))).toBe(c);
    }
    expect(resolve('floor', dec('1.1', 2, 1)).returnType).toEqual(SqlTypes.decimal(2, 1));
    expect(call('floor', dbl(1.7))).toBe(1.0);
    expect(call('ceil', dbl(1.1))).toBe(2.0);
    expect(call('ceil', int(1))).toBe(1);
    expect(resolve('ceil', big(1)).returnType).toEqual(SqlTypes.BIGINT);
  });
  it('abs', () => {
    expect(call('abs', int(-1))).toBe(1);
    expect(call('abs', big(-2))).toBe(2);
    expect(call('abs', dbl(-3.1))).toBe(3.1);
    expect(plain(call('abs', dec('-3.2', 2, 1)))).toBe('3.2');
    expect(call('abs', int(-2147483648))).toBe(-2147483648);
    expect(call('abs', big(-9223372036854775808n))).toBe(-9223372036854775808n);
    expect(resolve('abs', dec('1', 2, 1)).returnType).toEqual(SqlTypes.decimal(2, 1));
  });
  it('acos / asin edge cases', () => {
    expect(call('acos', int(-2))).toBeNaN();
    expect(call('asin', dbl(1.1))).toBeNaN();
    expect(round13(call('asin', int(-1)))).toBe(-1.5707963267949);
    expect(round13(call('asin', dbl(0.43)))).toBe(0.4444927769358);
  });
  it('atan / atan2', () => {
    expect(round13(call('atan', big(-6)))).toBe(-1.4056476493803);
    expect(round13(call('atan2', int(-2), int(-3)))).toBe(-2.5535900500422);
    expect(round13(call('atan2', dbl(-1.1), dbl(0.24)))).toBe(-1.3559809263932);
    expect(round13(call('atan2', int(0), int(-3)))).toBe(3.1415926535898);
    expect(call('atan2', int(null), int(1))).toBeNull();
  });
  it('sin / tan / cot / degrees / radians', () => {
    expect(round13(call('sin', int(-7)))).toBe(-0.6569865987188);
    expect(round13(call('tan', dbl(-9.1)))).toBe(0.3367005264329);
    expect(round13(call('cot', int(-7)))).toBe(-1.1475154224051);
    expect(round13(call('cot', dbl(0.43)))).toBe(2.1804495406685);
    expect(call('round', dbl(call('degrees', int(-2)) as number), int(12))).toBe(-114.591559026165);
    expect(call('round', dbl(call('degrees', dbl(1.2345)) as number), int(12))).toBe(70.7316398089);
    expect(round13(call('radians', dbl(70.73163980890013)))).toBe(1.2345);
    expect(round13(call('radians', int(-114)))).toBe(-1.9896753472735);
  });
  it('power', () => {
    expect(call('power', int(15), int(-1))).toBe(0.06666666666666667);
    expect(call('power', int(0), int(0))).toBe(1.0);
    expect(call('power', big(15), big(13))).toBe(1946195068359375.0);
    expect(call('power', dbl(-15), dbl(2))).toBe(225);
    expect(call('power', int(null), int(13))).toBeNull();
  });
  it('log-custom-base', () => {
    expect(call('log', int(15), int(13))).toBe(0.9471572411831843);
    expect(call('log', big(15), big(1))).toBe(0.0);
    expect(call('log', dbl(15), dbl(0))).toBe(-Infinity);
    expect(call('log', int(15), int(-13))).toBeNaN();
    expect(call('log', int(-15), int(13))).toBeNaN();
    expect(call('log', int(0), int(13))).toBeNaN();
    expect(call('log', dbl(Math.E))).toBe(1);
  });
  it('trunc - long', () => {
    for (const v of [1, 3, 0, 111, -1, 2147483648, -12345]) expect(call('trunc', big(v))).toBe(v);
    expect(call('trunc', big(null))).toBeNull();
    expect(call('trunc', dbl(-1.7))).toBe(-1);
    expect(call('trunc', dbl(1.789), int(2))).toBe(1.78);
    expect(plain(call('trunc', dec('-1.78', 3, 2)))).toBe('-1');
    expect(plain(call('trunc', dec('1.789', 4, 3), int(1)))).toBe('1.700');
  });
  it('sign, sqrt, cbrt, pi, hyperbolics, random', () => {
    expect(call('sign', int(-5))).toBe(-1);
    expect(call('sign', big(0))).toBe(0);
    expect(call('sign', dbl(2.5))).toBe(1);
    expect(call('sign', dec('-0.5', 2, 1))).toBe(-1);
    expect(call('sqrt', int(16))).toBe(4);
    expect(call('cbrt', dbl(27))).toBe(3);
    expect(call('pi')).toBe(Math.PI);
    expect(call('cosh', int(0))).toBe(1);
    expect(call('sinh', int(0))).toBe(0);
    expect(call('tanh', int(0))).toBe(0);
    expect(call('cos', int(0))).toBe(1);
    const r = call('random') as number;
    expect(r >= 0 && r < 1).toBe(true);
  });
});

describe('ROUND', () => {
  it('rounds doubles half towards positive infinity (Java Math.round)', () => {
    expect(call('round', dbl(2.5))).toBe(3);
    expect(call('round', dbl(-2.5))).toBe(-2);
    expect(call('round', dbl(-2.6))).toBe(-3);
    expect(resolve('round', dbl(1)).returnType).toEqual(SqlTypes.BIGINT);
    expect(call('round', dbl(1e20))).toBe(9223372036854775807n);
  });
  it('rounds doubles to decimal places', () => {
    expect(call('round', dbl(1.2345), int(2))).toBe(1.23);
    expect(call('round', dbl(1.235), int(2))).toBe(1.24);
    expect(call('round', dbl(-1.235), int(2))).toBe(-1.23);
    expect(call('round', dbl(1234.5), int(-2))).toBe(1200);
    expect(call('round', dbl(1.5), int(null))).toBeNull();
  });
  it('rounds decimals (transform-map.json: round values in transformed map)', () => {
    expect(plain(call('round', dec('3.21', 4, 2)))).toBe('3');
    expect(plain(call('round', dec('4.49', 4, 2)))).toBe('4');
    expect(plain(call('round', dec('10.50', 4, 2)))).toBe('11');
    expect(plain(call('round', dec('-10.50', 4, 2)))).toBe('-10');
    expect(resolve('round', dec('1', 4, 2)).returnType).toEqual(SqlTypes.decimal(3, 0));
    expect(plain(call('round', dec('1.255', 4, 3), int(2)))).toBe('1.260');
    expect(resolve('round', dec('1', 4, 3), int(2)).returnType).toEqual(SqlTypes.decimal(5, 3));
  });
});

describe('GREATEST / LEAST (greatest.json, least.json)', () => {
  it('integers, bigints, doubles with nulls', () => {
    expect(call('least', int(2147483647), int(-2147483648), int(null), nul(), int(5))).toBe(-2147483648);
    expect(call('greatest', int(2147483647), int(-2147483648), int(null), nul(), int(5))).toBe(2147483647);
    expect(call('least', big(9223372036854775807n), big(-9223372036854775808n), big(null), nul())).toBe(-9223372036854775808n);
    expect(call('greatest', big(9223372036854775807n), big(-9223372036854775808n), big(null), nul())).toBe(9223372036854775807n);
    expect(call('least', dbl(50000.555), dbl(-99999.555), dbl(null), nul())).toBe(-99999.555);
    expect(call('least', int(null), int(null))).toBeNull();
  });
  it('decimal widening', () => {
    const r = resolve('least', dec('1', 9, 2), dec('1', 7, 6));
    expect(r.returnType).toEqual(SqlTypes.decimal(13, 6));
    expect(plain(call('least', dec('1234567.89', 9, 2), dec('0.123456', 7, 6)))).toBe('0.123456');
    expect(plain(call('greatest', dec('1234567.89', 9, 2), dec('0.123456', 7, 6)))).toBe('1234567.89');
  });
  it('strings and bytes', () => {
    expect(call('greatest', str('apple'), str('banana'), str(null))).toBe('banana');
    expect(plain(call('least', bytes('YXBwbGU='), bytes('YmFuYW5h'), bytes('YWFyZGF2YXJr'), bytes(null), nul(), nul(), bytes(Buffer.from('hello').toString('base64'))))).toBe('YWFyZGF2YXJr');
    expect(plain(call('least', bytes('IQ=='), bytes('emVicmE='), bytes('YWFyZGF2YXJr')))).toBe('IQ==');
  });
  it('dates, times and timestamps with string literals', () => {
    const D = SqlTypes.DATE;
    expect(resolve('greatest', typed(D, 1), typed(D, 2), nul(), strLit('2022-06-14')).returnType).toEqual(D);
    expect(call('greatest', typed(D, 19000), typed(D, 100), nul(), strLit('2022-06-14'))).toBe(19157);
    expect(call('greatest', typed(D, 19187), strLit('2022-06-14'))).toBe(19187);
    expect(call('greatest', typed(SqlTypes.TIME, 33359999), strLit('09:16:00'))).toBe(33360000);
    expect(call('least', typed(SqlTypes.TIME, 33370000), typed(SqlTypes.TIME, 32560000), strLit('09:16:00'))).toBe(32560000);
    expect(call('greatest', typed(SqlTypes.TIMESTAMP, 1647734400000), strLit('2022-06-14'))).toBe(1655164800000);
    expect(call('least', typed(SqlTypes.TIMESTAMP, -508291200000), strLit('2022-06-14'))).toBe(-508291200000);
  });
  it('resolution errors', () => {
    expect(() => resolve('greatest', int(1), big(1))).toThrow("Function 'greatest' cannot be resolved due to ambiguous method parameters (INTEGER, BIGINT).");
    expect(() => resolve('least', int(1), big(1), dec('1', 50, 30))).toThrow("Function 'least' cannot be resolved due to ambiguous method parameters (INTEGER, BIGINT, DECIMAL(50, 30)).");
    expect(() => resolve('least', nul(), nul(), nul(), nul())).toThrow("Function 'least' cannot be resolved due to ambiguous method parameters (null, null, null, null).");
    expect(() => resolve('greatest')).toThrow("Function 'greatest' does not accept parameters ().");
    expect(() => resolve('greatest', str('a'), int(1))).toThrow("Function 'greatest' does not accept parameters (STRING, INTEGER).");
    // a non-literal string is never converted implicitly
    expect(() => resolve('greatest', typed(SqlTypes.DATE, 1), str('2022-06-14'))).toThrow('does not accept parameters (DATE, STRING)');
    // INTEGER and DOUBLE only widen to DOUBLE
    expect(resolve('greatest', int(1), dbl(2)).returnType).toEqual(SqlTypes.DOUBLE);
  });
});

describe('GENERATE_SERIES (array.json) and AS_VALUE', () => {
  it('generates series', () => {
    expect(call('generate_series', int(0), int(3))).toEqual([0, 1, 2, 3]);
    expect(call('generate_series', int(-2), int(1))).toEqual([-2, -1, 0, 1]);
    expect(call('generate_series', int(4), int(3))).toEqual([4, 3]);
    expect(call('generate_series', int(4), int(0))).toEqual([4, 3, 2, 1, 0]);
    expect(call('generate_series', int(0), int(10), int(4))).toEqual([0, 4, 8]);
    expect(call('generate_series', big(10), big(0), int(-5))).toEqual([10, 5, 0]);
    expect(callOrError('generate_series', int(0), int(3), int(0))).toMatch(/step cannot be zero/);
    expect(callOrError('generate_series', int(0), int(3), int(-1))).toMatch(/^ERROR/);
  });
  it('as_value is the identity with the argument type', () => {
    const t = SqlTypes.array(SqlTypes.STRING);
    expect(resolve('as_value', typed(t, ['foo'])).returnType).toEqual(t);
    expect(call('as_value', typed(t, ['foo']))).toEqual(['foo']);
    expect(call('as_value', dec('12.30', 4, 2))).toEqual(Decimal.parse('12.30'));
  });
});
