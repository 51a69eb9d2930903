/** COUNT, COUNT_DISTINCT, SUM, SUM_LIST, AVG, MIN, MAX, ATTR with ksqlDB's types and null rules. */
import { SqlTypes, type SqlType } from '../../types/sql-type.js';
import { compareValues, valueKey } from '../compare.js';
import type { AggregateFunction } from '../types.js';
import { aggregate, type AggregateOverloadSpec } from './declare-aggregate.js';
import { numOps } from './numeric.js';
import { addDistinct, countDistinct, emptyDistinct, mergeDistinct, type DistinctAcc } from './distinct-count.js';

const meta = (description: string) => ({ category: 'AGGREGATE', description });

const count = aggregate('COUNT', meta('Counts records (COUNT(*)) or non-null values of a column.'), [
  {
    params: [], returns: 'BIGINT',
    create: () => ({
      initialize: () => 0,
      aggregate: (_a, acc: number) => acc + 1,
      undo: (_a, acc: number) => acc - 1,
      merge: (a: number, b: number) => a + b,
      map: (acc) => acc,
    }),
  },
  {
    params: ['col: ANY'], returns: 'BIGINT',
    create: () => ({
      initialize: () => 0,
      aggregate: (a, acc: number) => (a[0] === null ? acc : acc + 1),
      undo: (a, acc: number) => (a[0] === null ? acc : acc - 1),
      merge: (a: number, b: number) => a + b,
      map: (acc) => acc,
    }),
  },
]);

const countDistinctFn = aggregate('COUNT_DISTINCT', meta('Returns the approximate number of distinct non-null values of the column.'), [
  {
    params: ['col: ANY'], returns: 'BIGINT', aggregateType: 'ARRAY<INTEGER>',
    create: () => ({
      initialize: emptyDistinct,
      aggregate: (a, acc: DistinctAcc) => (a[0] === null ? acc : addDistinct(acc, a[0])),
      merge: mergeDistinct,
      map: countDistinct,
    }),
  },
]);

function sumOverload(type: string): AggregateOverloadSpec {
  return {
    params: [`col: ${type}`],
    returns: (ctx) => ctx.argTypes[0] as SqlType,
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
  };
}

const sum = aggregate('SUM', meta('Sums the column values.'), ['INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL'].map(sumOverload));

function sumListOverload(type: string): AggregateOverloadSpec {
  return {
    params: [`list: ARRAY<${type}>`],
    returns: type,
    create: (ctx) => {
      const ops = numOps((ctx.columnTypes[0] as { element: SqlType }).element);
      const total = (list: unknown): unknown => {
        let s = ops.zero;
        if (Array.isArray(list)) for (const v of list) if (v !== null) s = ops.add(s, v);
        return s;
      };
      return {
        initialize: () => ops.zero,
        aggregate: (a, acc) => (a[0] === null ? acc : ops.add(acc, total(a[0]))),
        undo: (a, acc) => (a[0] === null ? acc : ops.sub(acc, total(a[0]))),
        merge: (x, y) => ops.add(x, y),
        map: (acc) => acc,
      };
    },
  };
}

const sumList = aggregate('SUM_LIST', meta('Sums the elements of the array column.'), ['INTEGER', 'BIGINT', 'DOUBLE'].map(sumListOverload));

/** AVG keeps {SUM, COUNT} (ksqlDB's STRUCT<SUM, COUNT>) and divides as doubles. */
function avgOverload(type: string): AggregateOverloadSpec {
  return {
    params: [`col: ${type}`],
    returns: 'DOUBLE',
    aggregateType: (ctx) => SqlTypes.struct([{ name: 'SUM', type: ctx.argTypes[0] as SqlType }, { name: 'COUNT', type: SqlTypes.BIGINT }]),
    create: (ctx) => {
      const ops = numOps(ctx.columnTypes[0]!);
      type Acc = { SUM: unknown; COUNT: number };
      return {
        initialize: (): Acc => ({ SUM: ops.zero, COUNT: 0 }),
        aggregate: (a, acc: Acc) => (a[0] === null ? acc : { SUM: ops.add(acc.SUM, a[0]), COUNT: acc.COUNT + 1 }),
        undo: (a, acc: Acc) => (a[0] === null ? acc : { SUM: ops.sub(acc.SUM, a[0]), COUNT: acc.COUNT - 1 }),
        merge: (x: Acc, y: Acc) => ({ SUM: ops.add(x.SUM, y.SUM), COUNT: x.COUNT + y.COUNT }),
        map: (acc: Acc) => (acc.COUNT === 0 ? 0 : ops.toDouble(acc.SUM) / acc.COUNT),
      };
    },
  };
}

// No DECIMAL overload (as ksqlDB): DECIMAL arguments widen to DOUBLE.
const avg = aggregate('AVG', meta('Returns the average of the column values.'), ['INTEGER', 'BIGINT', 'DOUBLE'].map(avgOverload));

const ORDERED_TYPES = ['INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL', 'STRING', 'BYTES', 'DATE', 'TIME', 'TIMESTAMP', 'BOOLEAN'];

function extremum(name: string, sign: 1 | -1, description: string): AggregateFunction {
  return aggregate(name, meta(description), ORDERED_TYPES.map((type): AggregateOverloadSpec => ({
    params: [`col: ${type}`],
    returns: (ctx) => ctx.argTypes[0] as SqlType,
    create: () => {
      const pick = (acc: unknown, v: unknown) => (acc === null ? v : v === null ? acc : sign * compareValues(v, acc) > 0 ? v : acc);
      return {
        initialize: () => null,
        aggregate: (a, acc) => pick(acc, a[0]),
        merge: (x, y) => pick(x, y),
        map: (acc) => acc,
      };
    },
  })));
}

const min = extremum('MIN', -1, 'Returns the minimum value of the column.');
const max = extremum('MAX', 1, 'Returns the maximum value of the column.');

/** ATTR: the value when every input had the same value, else NULL; counts per value make it undoable. */
const attr = aggregate('ATTR', meta('Returns the value of the column if all values are the same, otherwise NULL.'), [
  {
    params: ['col: T'], returns: 'T',
    aggregateType: (ctx) => SqlTypes.array(SqlTypes.struct([{ name: 'VALUE', type: ctx.argTypes[0] as SqlType }, { name: 'COUNT', type: SqlTypes.INTEGER }])),
    create: () => {
      type Acc = { VALUE: unknown; COUNT: number }[];
      const change = (acc: Acc, v: unknown, d: number): Acc => {
        const k = valueKey(v);
        const out: Acc = [];
        let found = false;
        for (const e of acc) {
          if (valueKey(e.VALUE) === k) {
            found = true;
            if (e.COUNT + d > 0) out.push({ VALUE: e.VALUE, COUNT: e.COUNT + d });
          } else out.push(e);
        }
        if (!found && d > 0) out.push({ VALUE: v, COUNT: d });
        return out;
      };
      return {
        initialize: (): Acc => [],
        aggregate: (a, acc: Acc) => change(acc, a[0], 1),
        undo: (a, acc: Acc) => change(acc, a[0], -1),
        merge: (x: Acc, y: Acc) => y.reduce((m, e) => change(m, e.VALUE, e.COUNT), x),
        map: (acc: Acc) => (acc.length === 1 ? acc[0]!.VALUE : null),
      };
    },
  },
]);

export const basicAggregates: readonly AggregateFunction[] = [count, countDistinctFn, sum, sumList, avg, min, max, attr];
