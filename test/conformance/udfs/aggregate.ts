/**
 * Test-only aggregate functions (ksqlDB's TestUdaf and the multi-argument / variadic UDAFs of its
 * functional tests). Trailing literal arguments are "initial arguments" (ksqlDB's UdafFactory
 * parameters); the rest are the aggregated columns. The multi-argument UDAFs sum their numeric column
 * and the lengths of their string columns, starting from the sum of the int initial arguments and
 * the lengths of the string initial arguments, as the cases imply.
 *
 * Implementations read the initial arguments from the call's literals, and take the aggregated
 * columns from the front of `args`, so they work whether or not the executor passes the constants too.
 */
import { aggregate, aggregateOverload, type AggregateContext, type AggregateImpl } from '../../../engine/functions/declare.js';

const meta = { category: 'TEST', description: 'test-only aggregate', author: 'sluice-tests', version: '1.0' };

function num(v: unknown): number {
  return v === null || v === undefined ? 0 : typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? v.length : Number(v);
}

/** The literal values of the last `n` arguments. */
function initialArgs(ctx: AggregateContext, n: number): unknown[] {
  if (ctx.constantArgs.length >= n) return ctx.constantArgs.slice(ctx.constantArgs.length - n);
  return ctx.args.slice(ctx.args.length - n).map((a) => (a.kind === 'value' ? a.literal ?? null : null));
}

/** Sums column numbers and string lengths, from the initial arguments' total. */
function lengthSum(ctx: AggregateContext, initCount: number): AggregateImpl<number> {
  const columns = ctx.args.length - initCount;
  const start = initialArgs(ctx, initCount).reduce<number>((s, v) => s + num(v), 0);
  return {
    initialize: () => start,
    aggregate: (args, acc) => {
      let s = acc;
      for (let i = 0; i < columns && i < args.length; i++) s += num(args[i]);
      return s;
    },
    undo: (args, acc) => {
      let s = acc;
      for (let i = 0; i < columns && i < args.length; i++) s -= num(args[i]);
      return s;
    },
    merge: (a, b) => a + b - start,
    map: (acc) => acc,
  };
}

/** Collects the first argument when no argument is null. */
function collectFirst(ctx: AggregateContext): AggregateImpl<unknown[]> {
  const columns = ctx.args.length;
  return {
    initialize: () => [],
    aggregate: (args, acc) => {
      for (let i = 0; i < columns && i < args.length; i++) if (args[i] === null || args[i] === undefined) return acc;
      return [...acc, args[0]];
    },
    merge: (a, b) => [...a, ...b],
    map: (acc) => acc,
  };
}

function sumOf(_ctx: AggregateContext): AggregateImpl<number> {
  return {
    initialize: () => 0,
    aggregate: (args, acc) => acc + num(args[0]),
    undo: (args, acc) => acc - num(args[0]),
    merge: (a, b) => a + b,
    map: (acc) => acc,
  };
}

export const testUdaf = aggregate('test_udaf', meta, [
  aggregateOverload({ params: ['val: BIGINT'], returns: 'BIGINT', aggregateType: 'BIGINT', create: sumOf }),
  aggregateOverload({ params: ['val: INTEGER'], returns: 'BIGINT', aggregateType: 'BIGINT', create: sumOf }),
  aggregateOverload({ params: ['val: DOUBLE'], returns: 'DOUBLE', aggregateType: 'DOUBLE', create: sumOf }),
  aggregateOverload({ params: ['val: STRING'], returns: 'BIGINT', aggregateType: 'BIGINT', create: sumOf }),
]);

const INIT = ['initInt: INTEGER', 'initString1: STRING', 'initString2: STRING', 'initString3: STRING'];

export const multiArg = aggregate('MULTI_ARG', meta, [
  aggregateOverload({
    params: ['first: BIGINT', 'second: STRING', ...INIT], returns: 'BIGINT', aggregateType: 'BIGINT', create: (ctx) => lengthSum(ctx, 4),
  }),
]);

export const fourArg = aggregate('FOUR_ARG', meta, [
  aggregateOverload({
    params: ['first: BIGINT', 'second: STRING', 'third: STRING', 'fourth: STRING', ...INIT],
    returns: 'BIGINT', aggregateType: 'BIGINT', create: (ctx) => lengthSum(ctx, 4),
  }),
]);

/** Assumed (no visible case): FOUR_ARG with one more string column. */
export const fiveArg = aggregate('FIVE_ARG', meta, [
  aggregateOverload({
    params: ['first: BIGINT', 'second: STRING', 'third: STRING', 'fourth: STRING', 'fifth: STRING', ...INIT],
    returns: 'BIGINT', aggregateType: 'BIGINT', create: (ctx) => lengthSum(ctx, 4),
  }),
]);

export const varArg = aggregate('VAR_ARG', meta, [
  aggregateOverload({
    params: ['first: BIGINT', 'rest: ...STRING'], returns: 'BIGINT', aggregateType: 'BIGINT', create: (ctx) => lengthSum(ctx, 0),
  }),
]);

export const midVarArg = aggregate('MID_VAR_ARG', meta, [
  aggregateOverload({
    params: ['first: BIGINT', 'rest: ...STRING', 'initInt1: INTEGER', 'initInt2: INTEGER'],
    returns: 'BIGINT', aggregateType: 'BIGINT', create: (ctx) => lengthSum(ctx, 2),
  }),
]);

export const genericVarArg = aggregate('GENERIC_VAR_ARG', meta, [
  aggregateOverload({
    params: ['first: T', 'second: INTEGER', 'rest: ...U'], returns: 'ARRAY<T>', aggregateType: 'ARRAY<T>', create: collectFirst,
  }),
]);

export const objColArg = aggregate('OBJ_COL_ARG', meta, [
  aggregateOverload({
    params: ['first: INTEGER', 'rest: ...ANY'], returns: 'ARRAY<INTEGER>', aggregateType: 'ARRAY<INTEGER>', create: collectFirst,
  }),
]);
