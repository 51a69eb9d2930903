/** Test-only table functions (ksqlDB's TestUdtf and ThrowingUdtf). */
import { tableFunction, tableOverload } from '../../../engine/functions/declare.js';
import { javaToString } from '../../../engine/functions/java-text.js';
import { Decimal } from '../../../engine/types/decimal.js';
import { SqlTypes, type SqlType } from '../../../engine/types/sql-type.js';

const meta = { category: 'TEST', description: 'test-only table function', author: 'sluice-tests', version: '1.0' };
const STRUCT_A = 'STRUCT<A STRING>';

/** String.valueOf of every argument value (lists and map values flattened), in argument order. */
function stringsOf(argTypes: readonly unknown[], shape: 'value' | 'list' | 'map') {
  return (...args: unknown[]): string[] => {
    const out: string[] = [];
    args.forEach((a, i) => {
      if (a === null || a === undefined) return;
      const t = argTypes[i] as SqlType;
      if (shape === 'value') out.push(javaToString(a, t));
      else if (shape === 'list' && t.base === 'ARRAY') for (const e of a as unknown[]) out.push(javaToString(e, t.element));
      else if (shape === 'map' && t.base === 'MAP') for (const v of (a as Map<unknown, unknown>).values()) out.push(javaToString(v, t.value));
    });
    return out;
  };
}

const standard = ['i: INTEGER', 'l: BIGINT', 'd: DOUBLE', 'b: BOOLEAN', 's: STRING', 'bd: DECIMAL', `struct: ${STRUCT_A}`];
const DECIMAL_RESULT = SqlTypes.decimal(30, 10);

export const testUdtf = tableFunction('test_udtf', meta, [
  tableOverload({ params: standard, returns: 'STRING', nulls: 'pass', implFor: (ctx) => stringsOf(ctx.argTypes, 'value') }),
  tableOverload({
    params: standard.map((p) => p.replace(': ', ': ARRAY<') + '>'), returns: 'STRING', nulls: 'pass',
    implFor: (ctx) => stringsOf(ctx.argTypes, 'list'),
  }),
  tableOverload({
    params: standard.map((p) => p.replace(': ', ': MAP<STRING, ') + '>'), returns: 'STRING', nulls: 'pass',
    implFor: (ctx) => stringsOf(ctx.argTypes, 'map'),
  }),
  tableOverload({ params: ['i: INTEGER'], returns: 'INTEGER', impl: (i: number) => [i] }),
  tableOverload({ params: ['l: BIGINT'], returns: 'BIGINT', impl: (l: unknown) => [l] }),
  tableOverload({ params: ['d: DOUBLE'], returns: 'DOUBLE', impl: (d: number) => [d] }),
  tableOverload({ params: ['b: BOOLEAN'], returns: 'BOOLEAN', impl: (b: boolean) => [b] }),
  tableOverload({ params: ['s: STRING'], returns: 'STRING', impl: (s: string) => [s] }),
  tableOverload({
    params: ['bd: DECIMAL'], returns: () => DECIMAL_RESULT, returnDoc: 'DECIMAL(30, 10)',
    impl: (bd: Decimal) => [bd.setScale(10, 'HALF_UP')],
  }),
  tableOverload({ params: [`struct: ${STRUCT_A}`], returns: STRUCT_A, impl: (s: unknown) => [s] }),
]);

export const throwingUdtf = tableFunction('throwing_udtf', meta, [
  tableOverload({
    params: ['b: BOOLEAN'], returns: 'BOOLEAN',
    impl: (b: boolean) => { if (b) throw new Error('You asked me to throw...'); return [b]; },
  }),
]);
