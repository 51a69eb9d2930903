import { describe, expect, it } from 'vitest';
import { aggregate, aggregateOverload, overload, scalar, tableFunction, tableOverload } from '../../engine/functions/declare.js';
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

describe('variadics and generics (variadic-udaf.json, middle-variadic-udaf.json, generic-variadic-udaf.json shapes)', () => {
  const varArg = scalar('VAR_ARG', { category: 'X', description: '' }, [
    overload({ params: ['first: BIGINT', 'rest: ...STRING'], returns: 'BIGINT', nulls: 'pass', impl: (f: number, rest: string[]) => f + rest.length }),
  ]);
  const midVarArg = scalar('MID_VAR_ARG', { category: 'X', description: '' }, [
    overload({
      params: ['first: BIGINT', 'mid: ...STRING', 'a: INTEGER', 'b: INTEGER'], returns: 'STRING', nulls: 'pass',
      impl: (f: number, mid: string[], a: number, b: number) => `${f}|${mid.join(',')}|${a}|${b}`,
    }),
  ]);
  const genericVarArg = scalar('GENERIC_VAR_ARG', { category: 'X', description: '' }, [
    overload({ params: ['first: T', 'second: INTEGER', 'rest: ...U'], returns: 'ARRAY<T>', nulls: 'pass', impl: (f: unknown) => [f] }),
  ]);

  it('variadic tail', () => {
    expect(varArg.resolve([v(BIGINT), v(STRING), v(STRING), v(STRING)]).invoke(1, 'a', 'b', 'c')).toBe(4);
    expect(varArg.resolve([v(BIGINT)]).invoke(1)).toBe(1);
    expect(() => varArg.resolve([v(BIGINT), v(INTEGER)])).toThrow("Function 'VAR_ARG' does not accept parameters (BIGINT, INTEGER).");
    // INTEGER widens to the BIGINT first parameter
    expect(varArg.resolve([v(INTEGER), v(STRING)]).argTypes).toEqual([BIGINT, STRING]);
  });
  it('variadic in the middle', () => {
    const r = midVarArg.resolve([v(BIGINT), v(STRING, 'hello'), v(STRING), v(INTEGER), v(INTEGER)]);
    expect(r.invoke(1, 'hello', 'x', 7, 3)).toBe('1|hello,x|7|3');
    expect(midVarArg.resolve([v(BIGINT), v(INTEGER), v(INTEGER)]).invoke(1, 2, 3)).toBe('1||2|3');
    expect(() => midVarArg.resolve([v(STRING), v(STRING), v(INTEGER), v(INTEGER)])).toThrow(
      "Function 'MID_VAR_ARG' does not accept parameters (STRING, STRING, INTEGER, INTEGER).");
    expect(() => midVarArg.resolve([v(BIGINT), v(INTEGER), v(INTEGER), v(INTEGER)])).toThrow(
      "Function 'MID_VAR_ARG' does not accept parameters (BIGINT, INTEGER, INTEGER, INTEGER).");
  });
  it('generic variadic binds consistently', () => {
    const D = SqlTypes.decimal(5, 1);
    expect(genericVarArg.resolve([v(D), v(INTEGER), v(DOUBLE), v(DOUBLE)]).returnType).toEqual(SqlTypes.array(D));
    expect(genericVarArg.resolve([v(DOUBLE), v(INTEGER), v(D), v(D), v(D)]).returnType).toEqual(SqlTypes.array(DOUBLE));
    expect(() => genericVarArg.resolve([v(D), v(INTEGER), v(DOUBLE), v(STRING), v(DOUBLE)])).toThrow(
      "Function 'GENERIC_VAR_ARG' does not accept parameters (DECIMAL(5, 1), INTEGER, DOUBLE, STRING, DOUBLE).");
  });
  it('prefers non-variadic, then fewer generics, then more parameters', () => {
    const f = scalar('f', { category: 'X', description: '' }, [
      overload({ params: ['a: ...STRING'], returns: 'INTEGER', impl: () => 1 }),
      overload({ params: ['a: STRING'], returns: 'INTEGER', impl: () => 2 }),
      overload({ params: ['a: T'], returns: 'INTEGER', impl: () => 3 }),
      overload({ params: ['a: STRING', 'b: ...STRING'], returns: 'INTEGER', impl: () => 4 }),
    ]);
    expect(f.resolve([v(STRING)]).invoke('x')).toBe(2);
    expect(f.resolve([v(INTEGER)]).invoke(1)).toBe(3);
    expect(f.resolve([v(STRING), v(STRING)]).invoke('x', 'y')).toBe(4);
    expect(f.resolve([]).invoke()).toBe(1);
  });
  it('exact matches win over casts', () => {
    const testUdf = scalar('test_udf', { category: 'X', description: '' }, [
      overload({ params: ['a: INTEGER', 'b: STRING'], returns: 'STRING', impl: () => 'doStuffIntString' }),
      overload({ params: ['a: BIGINT', 'b: STRING'], returns: 'STRING', impl: () => 'doStuffLongString' }),
      overload({ params: ['a: BIGINT', 'b: BIGINT', 'c: STRING'], returns: 'STRING', impl: () => 'doStuffLongLongString' }),
      overload({ params: ['s: STRUCT<A STRING>'], returns: 'STRING', impl: () => 'expect-result' }),
    ]);
    expect(testUdf.resolve([v(INTEGER), v(STRING)]).invoke(1, 'foo')).toBe('doStuffIntString');
    expect(testUdf.resolve([v(BIGINT), v(null)]).invoke(1, null)).toBeNull();
    expect(testUdf.resolve([v(BIGINT), v(BIGINT), v(null)]).returnType).toEqual(STRING);
    const s = SqlTypes.struct([{ name: 'A', type: STRING }]);
    expect(testUdf.resolve([v(s)]).invoke({ A: 'x' })).toBe('expect-result');
  });
  it('decimal parameters accept any decimal exactly and integers by widening', () => {
    const f = scalar('d', { category: 'X', description: '' }, [
      overload({ params: ['x: DECIMAL'], returns: (ctx) => ctx.argTypes[0] as SqlType, impl: (x: unknown) => x }),
    ]);
    expect(f.resolve([v(SqlTypes.decimal(7, 3))]).returnType).toEqual(SqlTypes.decimal(7, 3));
    expect(f.resolve([v(INTEGER)]).argTypes).toEqual([SqlTypes.decimal(10, 0)]);
    expect(f.resolve([v(BIGINT)]).returnType).toEqual(SqlTypes.decimal(19, 0));
    expect(() => f.resolve([v(DOUBLE)])).toThrow(/does not accept/);
  });
  it('ANY accepts everything and time units pass through', () => {
    const f = scalar('ts_add', { category: 'X', description: '' }, [
      overload({ params: ['unit: ANY', 'n: INTEGER', 'ts: TIMESTAMP'], returns: 'TIMESTAMP', impl: (u: string, n: number, t: number) => (u === 'SECONDS' ? t + n * 1000 : t) }),
    ]);
    const r = f.resolve([{ kind: 'timeUnit', unit: 'SECONDS' }, v(INTEGER), v(SqlTypes.TIMESTAMP)]);
    expect(r.argTypes).toEqual(['timeUnit', INTEGER, SqlTypes.TIMESTAMP]);
    expect(r.invoke('SECONDS', 2, 1000)).toBe(3000);
  });
  it('TIMEUNIT parameters take only time units (timestampadd.json)', () => {
    const f = scalar('timestampadd', { category: 'X', description: '' }, [
      overload({ params: ['unit: TIMEUNIT', 'n: INTEGER', 'ts: TIMESTAMP'], returns: 'TIMESTAMP', impl: (_u: string, _n: number, t: number) => t }),
    ]);
    expect(f.resolve([{ kind: 'timeUnit', unit: 'SECONDS' }, v(INTEGER), v(SqlTypes.TIMESTAMP)]).argTypes[0]).toBe('timeUnit');
    expect(() => f.resolve([v(SqlTypes.TIMESTAMP), v(INTEGER), v(SqlTypes.TIMESTAMP)])).toThrow(
      "Function 'timestampadd' does not accept parameters (TIMESTAMP, INTEGER, TIMESTAMP).");
    expect(() => f.resolve([v(null), v(INTEGER), v(SqlTypes.TIMESTAMP)])).toThrow(/does not accept/);
    expect(f.description.signatures[0]!.arguments[0]!.type).toBe('INTERVALUNIT');
  });
});

describe('DESCRIBE FUNCTION / SHOW FUNCTIONS data', () => {
  it('describes overloads', () => {
    const r = createFunctionRegistry();
    const d = r.scalar('substring')!.description;
    expect(d.name).toBe('SUBSTRING');
    expect(d.kind).toBe('SCALAR');
    expect(d.category).toBe('STRING');
    expect(d.path).toBe('internal');
    expect(d.signatures[0]).toEqual({
      arguments: [
        { name: 'str', type: 'VARCHAR', description: '', isVariadic: false },
        { name: 'pos', type: 'INT', description: '', isVariadic: false },
      ],
      returnType: 'VARCHAR',
      description: d.description,
    });
    const concat = r.scalar('concat')!.description.signatures[0]!;
    expect(concat.arguments[0]).toEqual({ name: 'inputs', type: 'VARCHAR', description: '', isVariadic: true });
    const t = r.scalar('transform')!.description.signatures[0]!;
    expect(t.arguments.map((a) => a.type)).toEqual(['ARRAY<T>', 'LAMBDA (T) => U']);
    expect(t.returnType).toBe('ARRAY<U>');
  });
  it('lists every built-in', () => {
    const names = new Set(createFunctionRegistry().list().map((f) => f.name));
    const expected = `CONCAT CONCAT_WS LCASE UCASE TRIM LEN LPAD RPAD SUBSTRING REPLACE INSTR INITCAP SPLIT SPLIT_TO_MAP CHR MASK
      MASK_KEEP_LEFT MASK_KEEP_RIGHT MASK_LEFT MASK_RIGHT UUID ELT FIELD ABS ACOS ASIN ATAN ATAN2 CBRT CEIL COS COSH COT DEGREES EXP
      FLOOR GREATEST LEAST LN LOG PI POWER RADIANS RANDOM ROUND SIGN SIN SINH SQRT TAN TANH TRUNC GENERATE_SERIES AS_VALUE COALESCE
      IFNULL NULLIF ARRAY_CONCAT ARRAY_CONTAINS ARRAY_DISTINCT ARRAY_EXCEPT ARRAY_INTERSECT ARRAY_JOIN ARRAY_LENGTH ARRAY_MAX ARRAY_MIN
      ARRAY_REMOVE ARRAY_SORT ARRAY_UNION AS_MAP ENTRIES MAP_KEYS MAP_VALUES MAP_UNION SLICE TRANSFORM FILTER REDUCE`.split(/\s+/);
    for (const n of expected) expect(names.has(n), n).toBe(true);
  });
  it('rejects duplicate registrations', () => {
    const r = createFunctionRegistry();
    expect(() => r.registerScalar(r.scalar('abs')!)).toThrow(/already registered/);
  });
});

describe('aggregate and table function declarations', () => {
  it('resolves an aggregate with generics and constants', () => {
    const topk = aggregate('topk', { category: 'AGGREGATE', description: '' }, [
      aggregateOverload({
        params: ['val: T', 'k: INTEGER'], returns: 'ARRAY<T>', aggregateType: 'ARRAY<T>',
        create: (ctx) => {
          const k = ctx.constantArgs[0] as number;
          return {
            initialize: () => [] as number[],
            aggregate: ([x], acc: number[]) => [...acc, x as number].sort((a, b) => b - a).slice(0, k),
            merge: (a: number[], b: number[]) => [...a, ...b].sort((x, y) => y - x).slice(0, k),
            map: (acc: number[]) => acc,
          };
        },
      }),
    ]);
    const r = topk.resolve([v(INTEGER), v(INTEGER, 2)], [2]);
    expect(r.returnType).toEqual(SqlTypes.array(INTEGER));
    expect(r.aggregateType).toEqual(SqlTypes.array(INTEGER));
    let acc = r.initialize();
    for (const x of [3, 9, 1, 7]) acc = r.aggregate([x], acc);
    expect(r.map(acc)).toEqual([9, 7]);
    expect(r.undo).toBeUndefined();
    expect(topk.description.kind).toBe('AGGREGATE');
  });
  it('resolves a table function; NULL input gives no rows', () => {
    const explode = tableFunction('explode', { category: 'TABLE', description: '' }, [
      tableOverload({ params: ['list: ARRAY<T>'], returns: 'T', impl: (l: unknown[]) => l }),
    ]);
    const r = explode.resolve([v(SqlTypes.array(STRING))]);
    expect(r.returnType).toEqual(STRING);
    expect(r.invoke(['a', 'b'])).toEqual(['a', 'b']);
    expect(r.invoke(null)).toEqual([]);
  });
});
