/** Test-only scalar UDFs (ksqlDB's TestUdf, BadUdf, ToStruct, WhenCondition, WhenResult). */
import { overload, scalar } from '../../../engine/functions/declare.js';

const meta = { category: 'TEST', description: 'test-only function', author: 'sluice-tests', version: '1.0' };

export const testUdf = scalar('test_udf', meta, [
  overload({ params: ['arg1: INTEGER', 'arg2: STRING'], returns: 'STRING', nulls: 'pass', impl: () => 'doStuffIntString' }),
  overload({ params: ['arg1: BIGINT', 'arg2: STRING'], returns: 'STRING', nulls: 'pass', impl: () => 'doStuffLongString' }),
  overload({ params: ['arg1: BIGINT', 'arg2: BIGINT', 'arg3: STRING'], returns: 'STRING', nulls: 'pass', impl: () => 'doStuffLongLongString' }),
  overload({ params: ['longs: ...BIGINT'], returns: 'STRING', nulls: 'pass', impl: () => 'doStuffLongVarargs' }),
  overload({
    params: ['struct: STRUCT<A STRING>'], returns: 'STRING', nulls: 'pass',
    impl: (s: Record<string, unknown> | null) => (s === null ? null : (s.A ?? null)),
  }),
]);

export const badUdf = scalar('bad_udf', meta, [
  overload({ params: ['arg1: INTEGER'], returns: 'INTEGER', nulls: 'pass', impl: () => { throw new Error('boom!'); } }),
  overload({
    params: ['arg: BOOLEAN'], returns: 'INTEGER', nulls: 'pass',
    impl: (b: boolean | null) => { if (b) throw new Error('You asked me to throw...'); return 0; },
  }),
  // Fails on every other call (the first included), so rows alternate between NULL and the value (group-by cases).
  overload({
    params: ['s: STRING'], returns: 'STRING',
    implFor: () => { let calls = 0; return (s: string) => { if (++calls % 2 === 1) throw new Error('boom!'); return s; }; },
  }),
]);

/** Assumed shape (no visible case): builds STRUCT<A STRING> from its argument. */
export const toStruct = scalar('tostruct', meta, [
  overload({ params: ['a: STRING'], returns: 'STRUCT<A STRING>', nulls: 'pass', impl: (a: string | null) => ({ A: a }) }),
]);

/** Checks that CASE evaluates its WHEN conditions lazily. */
export const whenCondition = scalar('whencondition', meta, [
  overload({
    params: ['retValue: BOOLEAN', 'shouldBeEvaluated: BOOLEAN'], returns: 'BOOLEAN', nulls: 'pass',
    impl: (ret: boolean | null, should: boolean | null) => {
      if (!should) throw new Error('When condition in case is not running lazily!');
      return ret;
    },
  }),
]);

/** Checks that CASE evaluates its THEN / ELSE results lazily. */
export const whenResult = scalar('whenresult', meta, [
  overload({
    params: ['retValue: INTEGER', 'shouldBeEvaluated: BOOLEAN'], returns: 'INTEGER', nulls: 'pass',
    impl: (ret: number | null, should: boolean | null) => {
      if (!should) throw new Error('Then/Else expression in case is not running lazily!');
      return ret;
    },
  }),
]);
