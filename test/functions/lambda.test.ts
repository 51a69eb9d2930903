import { describe, expect, it } from 'vitest';
import { SqlTypes, type SqlType } from '../../engine/types/sql-type.js';
import { Decimal } from '../../engine/types/decimal.js';
import { arr, call, callOrError, int, lam, map, plain, resolve, str, typed, big, nul } from './helpers.js';

const { INTEGER, BIGINT, STRING, BOOLEAN } = SqlTypes;
const same = (p: readonly SqlType[]) => p[0]!;
const add = (a: unknown, b: unknown) => (a === null || b === null ? null : (a as number) + (b as number));

describe('TRANSFORM (transform-array.json, transform-map.json)', () => {
  it('capitalize all array elements', () => {
    const r = resolve('transform', arr(STRING, []), lam(1, (x) => x, same));
    expect(r.returnType).toEqual(SqlTypes.array(STRING));
    expect(call('transform', arr(STRING, ['check', null, 'null']), lam(1, (x: string | null) => x?.toUpperCase() ?? null, same))).toEqual(['CHECK', null, 'NULL']);
    expect(call('transform', arr(STRING, null), lam(1, (x) => x, same))).toBeNull();
  });
  it('decimal absolute on all array elements: lambda parameter typed from the element', () => {
    const D = SqlTypes.decimal(3, 2);
    let seen: readonly SqlType[] = [];
    const r = resolve('transform', arr(D, []), lam(1, (x) => x, (p) => { seen = p; return p[0]!; }));
    expect(seen).toEqual([D]);
    expect(r.returnType).toEqual(SqlTypes.array(D));
    expect(r.argTypes[1]).toEqual({ kind: 'lambda', paramTypes: [D], returnType: D });
    const out = call('transform', typed(SqlTypes.array(D), [Decimal.parse('-7.45'), null]), lam(1, (x: Decimal | null) => x?.abs() ?? null, same));
    expect(plain(out)).toEqual(['7.45', null]);
  });
  it('return type follows the lambda body', () => {
    const r = resolve('transform', arr(BIGINT, []), lam(1, (x) => x, () => SqlTypes.array(STRING)));
    expect(r.returnType).toEqual(SqlTypes.array(SqlTypes.array(STRING)));
  });
  it('transform a map', () => {
    const M = SqlTypes.map(STRING, SqlTypes.array(INTEGER));
    const r = resolve('transform', typed(M, null), lam(2, (k) => k, (p) => p[0]!), lam(2, (_k, v) => v, () => INTEGER));
    expect(r.returnType).toEqual(SqlTypes.map(STRING, INTEGER));
    const min = (v: number[]) => (v.length === 0 ? null : Math.min(...v));
    const kf = lam(2, (k: string) => k + '_test', (p) => p[0]!);
    const vf = lam(2, (_k: string, v: number[]) => add(min(v), 1), () => INTEGER);
    expect(plain(call('transform', typed(M, new Map([['a', [2, 4, 5]], ['b', [-1, -2]]])), kf, vf))).toEqual({ a_test: 3, b_test: -1 });
    // a NULL value fails like Java's Collectors.toMap: the whole result is NULL
    expect(callOrError('transform', typed(M, new Map([['q', []]])), kf, vf)).toMatch(/^ERROR/);
    expect(call('transform', typed(M, null), kf, vf)).toBeNull();
  });
  it('capitalize all keys and round values in transformed map', () => {
    const M = SqlTypes.map(STRING, SqlTypes.decimal(4, 2));
    const r = resolve('transform', typed(M, null), lam(2, (k) => k, (p) => p[0]!), lam(2, (_k, v) => v, () => SqlTypes.decimal(3, 0)));
    expect(r.returnType).toEqual(SqlTypes.map(STRING, SqlTypes.decimal(3, 0)));
  });
  it('wrong lambda arity does not match', () => {
    expect(() => resolve('transform', arr(STRING, []), lam(2, (x) => x, same))).toThrow("Function 'transform' does not accept parameters (ARRAY<STRING>, LAMBDA).");
  });
});

describe('FILTER (filter.json)', () => {
  it('apply lambda filter to int array', () => {
    const gt5 = lam(1, (x: number | null) => (x === null ? null : x > 5), () => BOOLEAN);
    expect(call('filter', arr(INTEGER, [3, 6, 2, 10]), gt5)).toEqual([6, 10]);
    expect(call('filter', arr(INTEGER, [5, null]), gt5)).toEqual([]);
    expect(call('filter', arr(INTEGER, null), gt5)).toBeNull();
    expect(resolve('filter', arr(INTEGER, []), gt5).returnType).toEqual(SqlTypes.array(INTEGER));
  });
  it('filter a nested map', () => {
    const M = SqlTypes.map(STRING, SqlTypes.array(INTEGER));
    const f = lam(2, (k: string, v: number[]) => k.includes('e') && Math.min(...v) < 12, () => BOOLEAN);
    expect(plain(call('filter', typed(M, new Map([['yes', [2, 14, 25]], ['no', [-4, 35]]])), f))).toEqual({ yes: [2, 14, 25] });
  });
  it('the lambda must return BOOLEAN', () => {
    expect(() => resolve('filter', arr(INTEGER, []), lam(1, (x) => x, () => INTEGER))).toThrow(/does not accept parameters/);
  });
});

describe('REDUCE (reduce-array.json, reduce-map.json)', () => {
  const sum = lam(2, add, (p) => p[0]!);
  it('reduce an array with null initial state', () => {
    const r = resolve('reduce', arr(INTEGER, []), big(null), sum);
    expect(r.returnType).toEqual(BIGINT);
    expect(call('reduce', arr(INTEGER, [1, 2]), big(null), sum)).toBeNull();
    expect(call('reduce', arr(INTEGER, null), big(null), sum)).toBeNull();
    expect(call('reduce', arr(INTEGER, [1, 2]), big(3), sum)).toBe(6);
  });
  it('reduce a string array', () => {
    const concat = lam(2, (s: string, x: string | null) => s + (x ?? ''), () => STRING);
    expect(call('reduce', arr(STRING, ['blah', 'blah', 'blaaah']), str(''), concat)).toBe('blahblahblaaah');
    expect(call('reduce', arr(STRING, ['to be or', null]), str(''), concat)).toBe('to be or');
    expect(call('reduce', arr(STRING, null), str(''), concat)).toBe('');
  });
  it('apply reduce lambda function to map', () => {
    const M = SqlTypes.map(STRING, INTEGER);
    const fn = lam(3, (s: number | null, k: string, v: number | null) => (s === null || v === null ? null : k.length > 3 ? s + v : s - v), (p) => p[0]!);
    let seen: readonly SqlType[] = [];
    resolve('reduce', typed(M, null), int(0), lam(3, (s) => s, (p) => { seen = p; return p[0]!; }));
    expect(seen).toEqual([INTEGER, STRING, INTEGER]);
    expect(call('reduce', map(STRING, INTEGER, { 123: 3, 12: 7, 1234: 2 }), int(0), fn)).toBe(-8);
    expect(call('reduce', map(STRING, INTEGER, { 1: 1, ttttt: null, '': 3 }), int(0), fn)).toBeNull();
    expect(call('reduce', map(STRING, INTEGER, null), int(0), fn)).toBe(0);
  });
  it('the lambda result must match the state type', () => {
    expect(() => resolve('reduce', arr(BIGINT, []), int(0), lam(2, add, () => BIGINT))).toThrow(/does not accept parameters/);
  });
  it('NULL initial state of unknown type cannot type the lambda', () => {
    expect(() => resolve('reduce', arr(INTEGER, []), nul(), sum)).toThrow(/lambda/);
  });
});
