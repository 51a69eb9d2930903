import { describe, expect, it } from 'vitest';
import { overload, scalar } from '../../engine/functions/declare.js';
import { createFunctionRegistry } from '../../engine/functions/registry.js';
import type { ArgShape } from '../../engine/functions/types.js';
import { type SqlType, SqlTypes } from '../../engine/types/sql-type.js';

const v = (type: SqlType | null, literal?: unknown): ArgShape => (literal === undefined ? { kind: 'value', type } : { kind: 'value', type, literal });
const lam = (arity: number, typeBody: (p: readonly SqlType[]) => SqlType): ArgShape => ({ kind: 'lambda', arity, typeBody });
const { INTEGER, BIGINT, DOUBLE, STRING } = SqlTypes;

describe('registry', () => {
  it('looks names up case-insensitively and lists sorted', () => {
    const r = createFunctionRegistry();
    expect(r.scalar('Concat')).toBe(r.scalar('CONCAT'));
    const names = r.list().map((f) => f.name);
    expect(names).toEqual([...names].sort());
  });
});

describe('resolution', () => {
  const greatest = scalar('greatest', { category: 'X', description: '' }, [
    overload({ params: ['val: INTEGER', 'vals: ...INTEGER'], returns: 'INTEGER', nulls: 'pass', impl: () => 1 }),
    overload({ params: ['val: BIGINT', 'vals: ...BIGINT'], returns: 'BIGINT', nulls: 'pass', impl: () => 2 }),
    overload({ params: ['val: DOUBLE', 'vals: ...DOUBLE'], returns: 'DOUBLE', nulls: 'pass', impl: () => 3 }),
    overload({ params: ['val: STRING', 'vals: ...STRING'], returns: 'STRING', nulls: 'pass', impl: () => 4 }),
  ]);

  it('prefers the exact match (greatest.json)', () => {
    expect(greatest.resolve([v(INTEGER), v(INTEGER)]).returnType).toEqual(INTEGER);
    expect(greatest.resolve([v(BIGINT), v(null)]).returnType).toEqual(BIGINT);
  });
  it('reports ambiguous widening (greatest.json: test implicit casting to long)', () => {
    expect(() => greatest.resolve([v(INTEGER), v(BIGINT)])).toThrow(
      "Function 'greatest' cannot be resolved due to ambiguous method parameters (INTEGER, BIGINT).");
    expect(() => greatest.resolve([v(null), v(null)])).toThrow('ambiguous method parameters (null, null).');
  });
  it('reports no match', () => {
    expect(() => greatest.resolve([])).toThrow("Function 'greatest' does not accept parameters ().");
    expect(() => greatest.resolve([v(STRING), v(INTEGER)])).toThrow("Function 'greatest' does not accept parameters (STRING, INTEGER).");
  });

  it('widens with implicit casts and reports arg types', () => {
    const f = scalar('geo', { category: 'X', description: '' }, [
      overload({ params: ['a: DOUBLE', 'b: DOUBLE'], returns: 'DOUBLE', impl: (a: number, b: number) => a + b }),
    ]);
    const r = f.resolve([v(INTEGER), v(SqlTypes.decimal(3, 1))]);
    expect(r.argTypes).toEqual([DOUBLE, DOUBLE]);
    expect(() => f.resolve([v(STRING, 'foo'), v(DOUBLE)])).toThrow("Function 'geo' does not accept parameters (STRING, DOUBLE).");
  });

  it('binds generics and types lambdas', () => {
    const transform = scalar('transform', { category: 'X', description: '' }, [
      overload({
        params: ['array: ARRAY<T>', 'function: LAMBDA<(T)=>U>'], returns: 'ARRAY<U>',
        impl: (a: unknown[], fn: (x: unknown) => unknown) => a.map(fn),
      }),
    ]);
    let seen: readonly SqlType[] = [];
    const r = transform.resolve([v(SqlTypes.array(INTEGER)), lam(1, (p) => { seen = p; return STRING; })]);
    expect(seen).toEqual([INTEGER]);
    expect(r.returnType).toEqual(SqlTypes.array(STRING));
    expect(r.invoke([1, 2], (x: unknown) => String(x))).toEqual(['1', '2']);
    expect(r.invoke(null, (x: unknown) => x)).toBeNull();
  });

  it('formats valid alternatives', () => {
    const explode = scalar('explode', { category: 'X', description: '' }, [
      overload({ params: ['input: ARRAY<DECIMAL>'], returns: 'DECIMAL', impl: () => null }),
      overload({ params: ['list: ARRAY<T>'], returns: 'T', impl: () => null }),
    ]);
    expect(() => explode.resolve([v(SqlTypes.map(STRING, INTEGER))])).toThrow(
      "Function 'explode' does not accept parameters (MAP<STRING, INTEGER>).\nValid alternatives are:\nexplode(ARRAY<DECIMAL> input)\nexplode(ARRAY<T> list)");
  });
});
