/**
 * Test-only functions of ksqlDB's functional-test jar that the stateful conformance cases call,
 * written with the behaviour the cases imply (conformance README: the runner may provide them).
 * Each is registered only when the registry does not already have it.
 */
import type { FunctionRegistry } from '../functions/types.js';
import { aggregate, type AggregateImpl } from '../functions/aggregates/index.js';
import { overload, scalar } from '../functions/declare.js';
import { longAdd, type Long } from '../types/long.js';
import { numOps } from '../functions/aggregates/numeric.js';

const meta = { category: 'TEST', description: 'Test-only function', path: 'test' };

const len = (v: unknown): number => (typeof v === 'string' ? v.length : 0);

/** Sums its first argument (0 for NULL) and the lengths of its string arguments onto an initial value. */
function lengthSum(initial: Long, stringArgs: (args: readonly unknown[]) => readonly unknown[]): AggregateImpl<Long> {
  return {
    initialize: () => initial,
    aggregate: (a, acc) => {
      let s = longAdd(acc, (a[0] as Long | null) ?? 0);
      for (const v of stringArgs(a)) s = longAdd(s, len(v));
      return s;
    },
    merge: (x, y) => longAdd(x, y),
    map: (acc) => acc,
  };
}

/** Collects its first argument when every argument is non-null. */
function collectWhenAllPresent(): AggregateImpl<unknown[]> {
  return {
    initialize: () => [],
    aggregate: (a, acc) => (a.every((v) => v !== null && v !== undefined) ? [...acc, a[0]] : acc),
    merge: (x, y) => [...x, ...y],
    map: (acc) => acc,
  };
}

const testUdaf = aggregate('TEST_UDAF', meta, ['INTEGER', 'BIGINT', 'DOUBLE'].map((t) => ({
  params: [`val: ${t}`], returns: t,
  create: (ctx) => {
    const ops = numOps(ctx.columnTypes[0]!);
    return {
      initialize: () => ops.zero,
      aggregate: (a, acc) => (a[0] === null ? acc : ops.add(acc, a[0])),
      undo: (a, acc) => (a[0] === null ? acc : ops.sub(acc, a[0])),
      merge: (x, y) => ops.add(x, y),
      map: (acc) => acc,
    };
  },
})));

const multiArg = aggregate('MULTI_ARG', meta, [{
  params: ['a: BIGINT', 'b: STRING', 'i: INTEGER', 'x: STRING', 'y: STRING', 'z: STRING'], literals: 4, returns: 'BIGINT',
  create: (ctx) => lengthSum(Number(ctx.literals[1]), (a) => [a[1]]),
}]);

const fourArg = aggregate('FOUR_ARG', meta, [{
  params: ['a: BIGINT', 'b: STRING', 'c: STRING', 'd: STRING', 'i: INTEGER', 'x: STRING', 'y: STRING', 'z: STRING'], literals: 4, returns: 'BIGINT',
  create: (ctx) => lengthSum(Number(ctx.literals[1]), (a) => a.slice(1)),
}]);

const varArg = aggregate('VAR_ARG', meta, [{
  params: ['a: BIGINT', 'rest: ...STRING'], returns: 'BIGINT',
  create: () => lengthSum(0, (a) => a.slice(1)),
}]);

const midVarArg = aggregate('MID_VAR_ARG', meta, [{
  params: ['a: BIGINT', 'rest: ...STRING', 'x: INTEGER', 'y: INTEGER'], literals: 2, returns: 'BIGINT',
  create: (ctx) => lengthSum(Number(ctx.literals[0]) + Number(ctx.literals[1]), (a) => a.slice(1)),
}]);

const genericVarArg = aggregate('GENERIC_VAR_ARG', meta, [{
  params: ['a: T', 'b: INTEGER', 'rest: ...U'], returns: 'ARRAY<T>',
  create: () => collectWhenAllPresent(),
}]);

const objColArg = aggregate('OBJ_COL_ARG', meta, [{
  params: ['a: INTEGER', 'rest: ...ANY'], returns: 'ARRAY<INTEGER>',
  create: () => collectWhenAllPresent(),
}]);

/** BAD_UDF: fails on every other call (the first one included), so rows alternate between a value and NULL. */
const badUdf = scalar('BAD_UDF', meta, [
  overload({
    params: ['s: STRING'], returns: 'STRING',
    implFor: () => { let calls = 0; return (s: string) => { if (++calls % 2 === 1) throw new Error('boom!'); return s; }; },
  }),
  overload({ params: ['i: INTEGER'], returns: 'INTEGER', impl: () => { throw new Error('boom!'); } }),
]);

export function registerTestUdafs(registry: FunctionRegistry): void {
  for (const fn of [testUdaf, multiArg, fourArg, varArg, midVarArg, genericVarArg, objColArg]) {
    if (!registry.aggregate(fn.description.name) && !registry.scalar(fn.description.name)) registry.registerAggregate(fn);
  }
  if (!registry.scalar('BAD_UDF') && !registry.aggregate('BAD_UDF')) registry.registerScalar(badUdf);
}
