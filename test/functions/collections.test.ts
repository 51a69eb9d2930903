import { describe, expect, it } from 'vitest';
import { SqlTypes } from '../../engine/types/sql-type.js';
import { arr, bool, call, dec, int, map, nul, plain, resolve, str, typed } from './helpers.js';

const { INTEGER, BIGINT, DOUBLE, STRING, BOOLEAN } = SqlTypes;
const D21 = SqlTypes.decimal(2, 1);
const decs = (xs: (string | null)[]) => arr(D21, xs.map((x) => (x === null ? null : plain(x))).map((x) => (x === null ? null : (dec(x as string, 2, 1).value))));

describe('ARRAY_SORT (array-min-max-sort.json: array_sort_desc)', () => {
  it('sorts descending with nulls last', () => {
    expect(call('array_sort', arr(BOOLEAN, [null, false, true]), str('desc'))).toEqual([true, false, null]);
    expect(call('array_sort', arr(INTEGER, [0, null, 1, 0, -1]), str('desc'))).toEqual([1, 0, 0, -1, null]);
    expect(call('array_sort', arr(BIGINT, [234, -123, 345]), str('desc'))).toEqual([345, 234, -123]);
    expect(call('array_sort', arr(DOUBLE, [0.0, 0.1, -12345.678, null, 0.3]), str('desc'))).toEqual([0.3, 0.1, 0.0, -12345.678, null]);
    expect(call('array_sort', arr(STRING, ['foo', 'fo', 'Food', null, 'F', 'food']), str('desc'))).toEqual(['food', 'foo', 'fo', 'Food', 'F', null]);
    expect(plain(call('array_sort', decs(['1.0', '1.1', '-0.2', '1.9', '9.0', '-9.9']), str('desc')))).toEqual(['9.0', '1.9', '1.1', '1.0', '-0.2', '-9.9']);
    expect(call('array_sort', arr(INTEGER, []), str('desc'))).toEqual([]);
    expect(call('array_sort', arr(INTEGER, null), str('desc'))).toBeNull();
  });
  it('sorts ascending by default (map.json: map_keys)', () => {
    expect(call('array_sort', arr(STRING, ['foo', 'bar', 'baz']))).toEqual(['bar', 'baz', 'foo']);
    expect(call('array_sort', arr(INTEGER, [10, null, 2]))).toEqual([2, 10, null]);
    expect(call('array_sort', arr(INTEGER, [1, 2]), str('sideways'))).toBeNull();
  });
  it('array_max / array_min ignore nulls', () => {
    expect(call('array_max', arr(INTEGER, [1, null, 5, -2]))).toBe(5);
    expect(call('array_min', arr(STRING, ['b', null, 'a']))).toBe('a');
    expect(call('array_min', arr(INTEGER, []))).toBeNull();
    expect(call('array_min', arr(INTEGER, [null]))).toBeNull();
    expect(call('array_max', arr(INTEGER, null))).toBeNull();
    expect(resolve('array_max', arr(BIGINT, [])).returnType).toEqual(BIGINT);
  });
});

describe('ARRAY_REMOVE (array-remove.json)', () => {
  it('with all primitive types', () => {
    expect(call('array_remove', arr(BOOLEAN, [false, true, false]), bool(true))).toEqual([false, false]);
    expect(call('array_remove', arr(INTEGER, [0, null, 1, 0, -1]), int(-1))).toEqual([0, null, 1, 0]);
    expect(call('array_remove', arr(STRING, ['foo', 'Food', null, 'food']), str('foo'))).toEqual(['Food', null, 'food']);
    expect(plain(call('array_remove', decs(['1.0', '-0.2', '1.0', '-9.9']), dec('-0.2', 2, 1)))).toEqual(['1.0', '1.0', '-9.9']);
    expect(call('array_remove', arr(INTEGER, [0, null, 1]), int(null))).toEqual([0, 1]);
    expect(call('array_remove', arr(INTEGER, null), int(1))).toBeNull();
    expect(call('array_remove', arr(STRING, ['foo', 'bar', 'foo']), str('foo'))).toEqual(['bar']);
  });
  it('with complex types', () => {
    const lists = [['foo', 'bar', 'foo'], ['foo', 'bar', 'foo'], ['foo']];
    expect(call('array_remove', arr(SqlTypes.array(STRING), lists), arr(STRING, ['foo', 'bar', 'foo']))).toEqual([['foo']]);
    const M = SqlTypes.map(STRING, INTEGER);
    const m = (o: Record<string, number>) => new Map(Object.entries(o));
    expect(plain(call('array_remove', typed(SqlTypes.array(M), [m({ apple: 1, banana: 2 }), m({ apple: 3, banana: 4 }), null]),
      map(STRING, INTEGER, { banana: 2, apple: 1 })))).toEqual([{ apple: 3, banana: 4 }, null]);
  });
});

describe('array set functions (array-set-functions.json)', () => {
  it('array_distinct with primitive types', () => {
    expect(call('array_distinct', arr(BOOLEAN, [false, true, false]))).toEqual([false, true]);
    expect(call('array_distinct', arr(INTEGER, [0, null, 1, 0, -1]))).toEqual([0, null, 1, -1]);
    expect(call('array_distinct', arr(DOUBLE, [0.3, -12345.678, null, 0.3]))).toEqual([0.3, -12345.678, null]);
    expect(call('array_distinct', arr(STRING, ['foo', 'Food', null, 'food']))).toEqual(['foo', 'Food', null, 'food']);
    expect(plain(call('array_distinct', decs(['1.0', '1.1', '1.1', '-0.2', null, '1.0'])))).toEqual(['1.0', '1.1', '-0.2', null]);
    expect(call('array_distinct', arr(INTEGER, null))).toBeNull();
  });
  it('array_except', () => {
    expect(call('array_except', arr(STRING, ['foo', 'bar', 'foo']), arr(STRING, ['bar', 'baz']))).toEqual(['foo']);
    expect(call('array_except', arr(INTEGER, [0, 0, 1, 0, -1]), arr(INTEGER, [1, -2]))).toEqual([0, -1]);
    expect(call('array_except', arr(INTEGER, [0, 0, 1, 0, -1]), arr(INTEGER, [1, -1, 0]))).toEqual([]);
    expect(call('array_except', arr(INTEGER, [0, 0, 1, 0, -1]), arr(INTEGER, []))).toEqual([0, 1, -1]);
    expect(call('array_except', arr(INTEGER, null), arr(INTEGER, [1]))).toBeNull();
    expect(call('array_except', arr(INTEGER, [1]), arr(INTEGER, null))).toBeNull();
  });
  it('array_intersect and array_union', () => {
    expect(call('array_intersect', arr(STRING, ['foo', 'bar', 'foo']), arr(STRING, ['foo', 'baz']))).toEqual(['foo']);
    expect(call('array_union', arr(INTEGER, [0, 0, 1, 0, -1]), arr(INTEGER, [1, -2, 0]))).toEqual([0, 1, -1, -2]);
    expect(call('array_union', arr(INTEGER, []), arr(INTEGER, [1, -2]))).toEqual([1, -2]);
    expect(call('array_union', arr(INTEGER, null), arr(INTEGER, [1, -2]))).toBeNull();
  });
  it('array_concat', () => {
    expect(call('array_concat', arr(STRING, ['foo', 'bar', 'foo']), arr(STRING, ['foo', 'baz']))).toEqual(['foo', 'bar', 'foo', 'foo', 'baz']);
    expect(call('array_concat', arr(INTEGER, null), arr(INTEGER, [1, -2]))).toEqual([1, -2]);
    expect(call('array_concat', arr(INTEGER, [0, 3, 2]), arr(INTEGER, null))).toEqual([0, 3, 2]);
    expect(call('array_concat', arr(INTEGER, null), arr(INTEGER, null))).toBeNull();
  });
  it('generics must unify', () => {
    expect(() => resolve('array_union', arr(INTEGER, []), arr(BIGINT, []))).toThrow(
      "Function 'array_union' does not accept parameters (ARRAY<INTEGER>, ARRAY<BIGINT>).");
  });
});

describe('ARRAY_CONTAINS (arraycontains.json), ARRAY_LENGTH, SLICE', () => {
  it('array_contains', () => {
    expect(call('array_contains', arr(STRING, ['Red', 'Green']), str('Pink'))).toBe(false);
    expect(call('array_contains', arr(STRING, ['Pink', null]), str('Pink'))).toBe(true);
    expect(call('array_contains', arr(STRING, null), str('Pink'))).toBe(false);
    expect(call('array_contains', arr(STRING, ['a', null]), nul())).toBe(true);
  });
  it('array_length', () => {
    expect(call('array_length', arr(INTEGER, [1, 2]))).toBe(2);
    expect(call('array_length', arr(INTEGER, null))).toBeNull();
    expect(resolve('array_length', arr(INTEGER, [])).returnType).toEqual(INTEGER);
  });
  it('slice (slice.json)', () => {
    expect(call('slice', arr(SqlTypes.array(STRING), [['a'], ['b'], ['c'], ['d']]), int(2), int(3))).toEqual([['b'], ['c']]);
    expect(call('slice', arr(INTEGER, [1, 2, 3]), int(null), int(2))).toEqual([1, 2]);
    expect(call('slice', arr(INTEGER, [1, 2, 3]), int(2), int(null))).toEqual([2, 3]);
    expect(call('slice', arr(INTEGER, [1, 2, 3]), int(0), int(2))).toBeNull();
    expect(call('slice', arr(INTEGER, [1, 2, 3]), int(2), int(5))).toBeNull();
    expect(call('slice', arr(INTEGER, null), int(1), int(2))).toBeNull();
  });
});

describe('ARRAY_JOIN (arrayjoin.json)', () => {
  const args = () => [
    arr(BOOLEAN, [true, null, false]), arr(INTEGER, [1, 23, -42, 0]), arr(BIGINT, [-4294967297, 8589934592]),
    arr(DOUBLE, [1.23, -23.42, 0.0]), decs5(['123.45', '987.65']), arr(STRING, ['Hello', 'From', '', 'Ksqldb', 'Udf']),
  ];
  const decs5 = (xs: string[]) => arr(SqlTypes.decimal(5, 2), xs.map((x) => dec(x, 5, 2).value));
  it('default delimiter', () => {
    expect(args().map((a) => call('array_join', a))).toEqual(['true,null,false', '1,23,-42,0', '-4294967297,8589934592', '1.23,-23.42,0.0', '123.45,987.65', 'Hello,From,,Ksqldb,Udf']);
  });
  it('custom, empty and null delimiters', () => {
    const d = ['|', '?', ';', ' ', '#', '_'];
    expect(args().map((a, i) => call('array_join', a, str(d[i]!)))).toEqual(['true|null|false', '1?23?-42?0', '-4294967297;8589934592', '1.23 -23.42 0.0', '123.45#987.65', 'Hello_From__Ksqldb_Udf']);
    const e = ['', null, '', null, '', null];
    expect(args().map((a, i) => call('array_join', a, str(e[i]!)))).toEqual(['truenullfalse', '123-420', '-42949672978589934592', '1.23-23.420.0', '123.45987.65', 'HelloFromKsqldbUdf']);
  });
  it('rejects non-primitive elements', () => {
    expect(() => resolve('array_join', arr(SqlTypes.array(STRING), []))).toThrow(/primitive/);
  });
});

describe('maps (map.json, create_map.json, array.json: entries)', () => {
  it('map_keys / map_values', () => {
    expect(call('map_keys', map(STRING, INTEGER, { foo: 10, bar: null }))).toEqual(['foo', 'bar']);
    expect(call('map_values', map(STRING, INTEGER, { foo: 10, bar: null }))).toEqual([10, null]);
    expect(call('map_keys', map(STRING, INTEGER, null))).toBeNull();
    expect(resolve('map_values', map(STRING, DOUBLE, {})).returnType).toEqual(SqlTypes.array(DOUBLE));
  });
  it('map_union', () => {
    expect(plain(call('map_union', map(STRING, INTEGER, { foo: 10, bar: 20, baz: 30 }), map(STRING, INTEGER, { foo: 99, apple: -1 }))))
      .toEqual({ foo: 99, bar: 20, baz: 30, apple: -1 });
    expect(plain(call('map_union', map(STRING, INTEGER, { foo: 10, bar: 20 }), map(STRING, INTEGER, { foo: null })))).toEqual({ foo: null, bar: 20 });
    expect(plain(call('map_union', map(STRING, INTEGER, null), map(STRING, INTEGER, { foo: null })))).toEqual({ foo: null });
    expect(call('map_union', map(STRING, INTEGER, null), map(STRING, INTEGER, null))).toBeNull();
  });
  it('as_map', () => {
    expect(plain(call('as_map', arr(STRING, ['a', 'b']), arr(INTEGER, [1, 2, 3])))).toEqual({ a: 1, b: 2 });
    expect(plain(call('as_map', arr(STRING, ['a', 'b', 'c']), arr(INTEGER, [1, 2, null])))).toEqual({ a: 1, b: 2, c: null });
    expect(resolve('as_map', arr(STRING, []), arr(INTEGER, [])).returnType).toEqual(SqlTypes.map(STRING, INTEGER));
  });
  it('entries sorted', () => {
    const r = resolve('entries', map(STRING, INTEGER, {}), bool(true));
    expect(r.returnType).toEqual(SqlTypes.array(SqlTypes.struct([{ name: 'K', type: STRING }, { name: 'V', type: INTEGER }])));
    expect(call('entries', map(STRING, INTEGER, { K2: 2, K1: 1, K3: 3 }), bool(true))).toEqual([{ K: 'K1', V: 1 }, { K: 'K2', V: 2 }, { K: 'K3', V: 3 }]);
    expect(call('entries', map(STRING, INTEGER, { K2: 2, K1: 1 }), bool(false))).toEqual([{ K: 'K2', V: 2 }, { K: 'K1', V: 1 }]);
    expect(call('entries', map(STRING, STRING, null), bool(true))).toBeNull();
  });
});
