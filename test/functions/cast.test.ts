import { describe, expect, it } from 'vitest';
import { canImplicitlyCast, castValue, checkCastSupported, implicitCast, isCastSupported } from '../../engine/functions/cast.js';
import { parseDateIso as parseDate, parseTimeIso as parseTime, parseTimestampIso as parseTimestamp } from '../../engine/functions/datetime.js';
import { Decimal } from '../../engine/types/decimal.js';
import { SqlTypes, type SqlType } from '../../engine/types/sql-type.js';

const { INTEGER, BIGINT, DOUBLE, STRING, BOOLEAN, DATE, TIME, TIMESTAMP, BYTES } = SqlTypes;
const cast = (v: unknown, from: SqlType, to: SqlType): unknown => {
  try {
    const r = castValue(v, from, to);
    return r instanceof Decimal ? r.toPlainString() : r;
  } catch {
    return 'ERROR';
  }
};

describe('CAST (cast.json)', () => {
  it('array<bigint> to array<string>, nested', () => {
    expect(cast([1, 3, 2147483648], SqlTypes.array(BIGINT), SqlTypes.array(STRING))).toEqual(['1', '3', '2147483648']);
    expect(cast([[1, -2147483648]], SqlTypes.array(SqlTypes.array(BIGINT)), SqlTypes.array(SqlTypes.array(STRING)))).toEqual([['1', '-2147483648']]);
    expect(cast([1, 3], SqlTypes.array(INTEGER), SqlTypes.array(INTEGER))).toEqual([1, 3]);
  });
  it('map to string, map to map', () => {
    expect(cast(new Map([['this', 1]]), SqlTypes.map(STRING, INTEGER), STRING)).toBe('{this=1}');
    expect(cast(new Map([['this', 2147483648]]), SqlTypes.map(STRING, BIGINT), SqlTypes.map(STRING, INTEGER))).toEqual(new Map([['this', -2147483648]]));
    expect(cast(new Map([['k1', new Map([['k2', '10']])]]), SqlTypes.map(STRING, SqlTypes.map(STRING, STRING)), SqlTypes.map(STRING, SqlTypes.map(STRING, INTEGER))))
      .toEqual(new Map([['k1', new Map([['k2', 10]])]]));
  });
  it('struct to string, struct to struct', () => {
    const S = SqlTypes.struct([{ name: 'F0', type: INTEGER }, { name: 'f1', type: INTEGER }]);
    expect(cast({ F0: 1, f1: 3 }, S, STRING)).toBe('Struct{F0=1,f1=3}');
    expect(cast({ F0: null, f1: 3 }, S, STRING)).toBe('Struct{f1=3}');
    expect(cast({ F0: 1, f1: 3 }, S, S)).toEqual({ F0: 1, f1: 3 });
    const S2 = SqlTypes.struct([{ name: 'F0', type: STRING }, { name: 'X', type: INTEGER }]);
    expect(cast({ F0: 1, f1: 3 }, S, S2)).toEqual({ F0: '1', X: null });
  });
  it('non-struct to struct is not supported', () => {
    const S = SqlTypes.struct([{ name: 'F0', type: STRING }, { name: 'F1', type: INTEGER }]);
    expect(() => checkCastSupported(STRING, S)).toThrow('Cast of STRING to STRUCT<`F0` STRING, `F1` INTEGER> is not supported');
    expect(isCastSupported(BYTES, STRING)).toBe(false);
    expect(isCastSupported(INTEGER, BOOLEAN)).toBe(false);
    expect(isCastSupported(SqlTypes.array(BIGINT), SqlTypes.array(STRING))).toBe(true);
    expect(isCastSupported(SqlTypes.array(BIGINT), SqlTypes.array(DATE))).toBe(false);
  });
  it('null stays null', () => {
    expect(cast(null, DOUBLE, STRING)).toBeNull();
  });
  it('decimal to decimal', () => {
    const D = SqlTypes.decimal(4, 2);
    const D53 = SqlTypes.decimal(5, 3);
    expect(cast(Decimal.parse('10.12'), D, D53)).toBe('10.120');
    expect(cast(Decimal.parse('01.00'), D, D53)).toBe('1.000');
    expect(cast(Decimal.parse('00.00'), D, D53)).toBe('0.000');
  });
  it('integer to decimal overflows to an error', () => {
    const D = SqlTypes.decimal(2, 1);
    expect(cast(1, INTEGER, D)).toBe('1.0');
    expect(cast(0, INTEGER, D)).toBe('0.0');
    expect(cast(-1, INTEGER, D)).toBe('-1.0');
    expect(cast(10, INTEGER, D)).toBe('ERROR');
    expect(() => castValue(10, INTEGER, D)).toThrow('Numeric field overflow: A field with precision 2 and scale 1 must round to an absolute value less than 10^1. Got 10');
  });
  it('double to decimal rounds HALF_UP', () => {
    const D = SqlTypes.decimal(2, 1);
    expect([0.1, 1.1, 0.0, 0.99, 0.01].map((v) => cast(v, DOUBLE, D))).toEqual(['0.1', '1.1', '0.0', '1.0', '0.0']);
    expect(cast(NaN, DOUBLE, D)).toBe('ERROR');
    expect(cast(9.96, DOUBLE, D)).toBe('ERROR');
  });
  it('integer to bigint, double to int', () => {
    expect(cast(-1, INTEGER, BIGINT)).toBe(-1);
    expect(cast(3.3 - 2.1, DOUBLE, INTEGER)).toBe(1);
    expect(cast(-1.9, DOUBLE, INTEGER)).toBe(-1);
    expect(cast(1e20, DOUBLE, INTEGER)).toBe(2147483647);
    expect(cast(NaN, DOUBLE, BIGINT)).toBe(0);
    expect(cast(1e20, DOUBLE, BIGINT)).toBe(9223372036854775807n);
    expect(cast(9223372036854775807n, BIGINT, INTEGER)).toBe(-1);
    expect(cast(Decimal.parse('-12.9'), SqlTypes.decimal(3, 1), INTEGER)).toBe(-12);
    expect(cast(Decimal.parse('12.5'), SqlTypes.decimal(3, 1), DOUBLE)).toBe(12.5);
  });
  it('strings to numbers and booleans', () => {
    expect(cast(' 42 ', STRING, INTEGER)).toBe(42);
    expect(cast('1.5', STRING, INTEGER)).toBe('ERROR');
    expect(cast('2147483648', STRING, INTEGER)).toBe('ERROR');
    expect(cast('9223372036854775807', STRING, BIGINT)).toBe(9223372036854775807n);
    expect(cast('1e3', STRING, DOUBLE)).toBe(1000);
    expect(cast('-Infinity', STRING, DOUBLE)).toBe(-Infinity);
    expect(cast('abc', STRING, DOUBLE)).toBe('ERROR');
    expect(cast('1.256', STRING, SqlTypes.decimal(4, 2))).toBe('1.26');
    expect(cast('true', STRING, BOOLEAN)).toBe(true);
    expect(cast('YES', STRING, BOOLEAN)).toBe(true);
    expect(cast('nope', STRING, BOOLEAN)).toBe(false);
  });
  it('numbers and booleans to strings (Java formatting)', () => {
    expect(cast(1.0, DOUBLE, STRING)).toBe('1.0');
    expect(cast(1e10, DOUBLE, STRING)).toBe('1.0E10');
    expect(cast(0.0001, DOUBLE, STRING)).toBe('1.0E-4');
    expect(cast(Decimal.parse('1E-8'), SqlTypes.decimal(10, 8), STRING)).toBe('0.00000001');
    expect(cast(true, BOOLEAN, STRING)).toBe('true');
    expect(cast(9223372036854775807n, BIGINT, STRING)).toBe('9223372036854775807');
    expect(cast([1.5, null], SqlTypes.array(DOUBLE), STRING)).toBe('[1.5, null]');
  });
});

describe('CAST of dates and times (date.json, time.json, timestamp.json)', () => {
  it('date to string and back', () => {
    expect(cast(10, DATE, STRING)).toBe('1970-01-11');
    expect(cast(-1, DATE, STRING)).toBe('1969-12-31');
    expect(['foo', '1970-01-10', '1970-01', '1969-12-31'].map((s) => cast(s, STRING, DATE))).toEqual(['ERROR', 9, 0, -1]);
  });
  it('timestamp to date / time', () => {
    expect([5000, -2000, 86400100].map((v) => cast(v, TIMESTAMP, DATE))).toEqual([0, -1, 1]);
    expect([5000, -2000, 86400100].map((v) => cast(v, TIMESTAMP, TIME))).toEqual([5000, 86398000, 100]);
    expect(cast(2, DATE, TIMESTAMP)).toBe(172800000);
  });
  it('time and timestamp to string and back', () => {
    expect(cast(5000, TIME, STRING)).toBe('00:00:05');
    expect(cast(4000, TIME, STRING)).toBe('00:00:04');
    expect(cast(5100, TIME, STRING)).toBe('00:00:05.1');
    expect(cast(10, TIMESTAMP, STRING)).toBe('1970-01-01T00:00:00.010');
    expect(['foo', '1970-01-01T00:00:00.010', '1970-01-01T00:00:01'].map((s) => cast(s, STRING, TIMESTAMP))).toEqual(['ERROR', 10, 1000]);
    expect(cast('09:16:00', STRING, TIME)).toBe(33360000);
  });
  it('parsers accept partial values and zones', () => {
    expect(parseTimestamp('2022-06-14')).toBe(1655164800000);
    expect(parseTimestamp('2022-06-14T01:02:03.5+01:00')).toBe(1655164800000 + 2 * 60_000 + 3500 - 0);
    expect(parseTimestamp('2020-01-01T00:00:00Z')).toBe(Date.UTC(2020, 0, 1));
    expect(parseDate('2022-06-14')).toBe(19157);
    expect(parseTime('23:59:59.999')).toBe(86399999);
    expect(() => parseTime('24:00')).toThrow();
  });
});

describe('implicitCast', () => {
  it('widens numbers and converts string literals', () => {
    expect(implicitCast(INTEGER, INTEGER)).toBeNull();
    expect(implicitCast(INTEGER, BIGINT)!(5)).toBe(5);
    expect((implicitCast(BIGINT, SqlTypes.decimal(19, 0))!(5) as Decimal).toPlainString()).toBe('5');
    expect(implicitCast(SqlTypes.decimal(3, 1), DOUBLE)!(Decimal.parse('51.0'))).toBe(51);
    expect(implicitCast(STRING, DATE)!('2022-06-14')).toBe(19157);
  });
  it('canImplicitlyCast follows ksqlDB widening', () => {
    expect(canImplicitlyCast(INTEGER, DOUBLE)).toBe(true);
    expect(canImplicitlyCast(BIGINT, SqlTypes.decimal(4, 2))).toBe(true);
    expect(canImplicitlyCast(DOUBLE, SqlTypes.decimal(4, 2))).toBe(false);
    expect(canImplicitlyCast(STRING, DATE)).toBe(false);
    expect(canImplicitlyCast(DATE, TIMESTAMP)).toBe(false);
    expect(canImplicitlyCast(SqlTypes.array(INTEGER), SqlTypes.array(BIGINT))).toBe(false);
  });
});
