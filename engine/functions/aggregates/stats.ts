/** STDDEV_SAMP (alias STDDEV_SAMPLE) and CORRELATION, with undo for table aggregations. */
import { SqlTypes } from '../../types/sql-type.js';
import type { AggregateFunction } from '../types.js';
import { aggregate, type AggregateOverloadSpec } from './declare-aggregate.js';
import { numOps } from './numeric.js';

const meta = (description: string) => ({ category: 'AGGREGATE', description });

interface Var { readonly SUM: number; readonly COUNT: number; readonly M2: number }

const VAR_TYPE = SqlTypes.struct([
  { name: 'SUM', type: SqlTypes.DOUBLE }, { name: 'COUNT', type: SqlTypes.BIGINT }, { name: 'M2', type: SqlTypes.DOUBLE },
]);

/**
 * Running sum, count and M2 (sum of squared deviations), updated as ksqlDB's
 * StandardDeviationSampUdaf does: with n' = n + 1 and s' = s + x,
 * m2' = m2 + (n'·x − s')² / (n'·(n' − 1)) (same arithmetic order, so doubles match).
 */
function addVar(acc: Var, x: number): Var {
  const count = acc.COUNT + 1;
  const sum = acc.SUM + x;
  if (count < 2) return { SUM: sum, COUNT: count, M2: 0 };
  const delta = x * count - sum;
  return { SUM: sum, COUNT: count, M2: acc.M2 + (delta * delta) / (count * (count - 1)) };
}

/** The inverse of addVar. */
function removeVar(acc: Var, x: number): Var {
  const count = acc.COUNT;
  if (count <= 1) return { SUM: 0, COUNT: 0, M2: 0 };
  const delta = x * count - acc.SUM;
  return { SUM: acc.SUM - x, COUNT: count - 1, M2: Math.max(0, acc.M2 - (delta * delta) / (count * (count - 1))) };
}

function mergeVar(a: Var, b: Var): Var {
  if (a.COUNT === 0) return b;
  if (b.COUNT === 0) return a;
  const n = a.COUNT + b.COUNT;
  const delta = b.SUM / b.COUNT - a.SUM / a.COUNT;
  return { SUM: a.SUM + b.SUM, COUNT: n, M2: a.M2 + b.M2 + delta * delta * a.COUNT * b.COUNT / n };
}

function stddevOverload(type: string): AggregateOverloadSpec {
  return {
    params: [`col: ${type}`], returns: 'DOUBLE', aggregateType: () => VAR_TYPE,
    create: (ctx) => {
      const ops = numOps(ctx.columnTypes[0]!);
      return {
        initialize: (): Var => ({ SUM: 0, COUNT: 0, M2: 0 }),
        aggregate: (a, acc: Var) => (a[0] === null ? acc : addVar(acc, ops.toDouble(a[0]))),
        undo: (a, acc: Var) => (a[0] === null ? acc : removeVar(acc, ops.toDouble(a[0]))),
        merge: mergeVar,
        map: (acc: Var) => (acc.COUNT < 2 ? 0 : Math.sqrt(acc.M2 / (acc.COUNT - 1))),
      };
    },
  };
}

const STDDEV_TYPES = ['INTEGER', 'BIGINT', 'DOUBLE'];
const stddevSamp = aggregate('STDDEV_SAMP', meta('Returns the sample standard deviation of the column.'), STDDEV_TYPES.map(stddevOverload));
const stddevSample = aggregate('STDDEV_SAMPLE', meta('Returns the sample standard deviation of the column.'), STDDEV_TYPES.map(stddevOverload));

interface Corr { readonly X_SUM: number; readonly Y_SUM: number; readonly X_SQUARED_SUM: number; readonly Y_SQUARED_SUM: number; readonly XY_SUM: number; readonly COUNT: number }

const CORR_TYPE = SqlTypes.struct(['X_SUM', 'Y_SUM', 'X_SQUARED_SUM', 'Y_SQUARED_SUM', 'XY_SUM'].map((name) => ({ name, type: SqlTypes.DOUBLE }))
  .concat([{ name: 'COUNT', type: SqlTypes.INTEGER }]));

const CORR_TYPES = ['DOUBLE', 'BIGINT', 'INTEGER'];

const correlation = aggregate('CORRELATION', meta('Returns the correlation coefficient of two columns.'),
  CORR_TYPES.flatMap((x) => CORR_TYPES.map((y): AggregateOverloadSpec => ({
    params: [`x: ${x}`, `y: ${y}`], returns: 'DOUBLE', aggregateType: () => CORR_TYPE,
    create: (ctx) => {
      const fx = numOps(ctx.columnTypes[0]!).toDouble;
      const fy = numOps(ctx.columnTypes[1]!).toDouble;
      const step = (acc: Corr, a: readonly unknown[], d: 1 | -1): Corr => {
        if (a[0] === null || a[1] === null) return acc;
        const vx = fx(a[0]);
        const vy = fy(a[1]);
        return d > 0
          ? { X_SUM: acc.X_SUM + vx, Y_SUM: acc.Y_SUM + vy, X_SQUARED_SUM: acc.X_SQUARED_SUM + vx * vx, Y_SQUARED_SUM: acc.Y_SQUARED_SUM + vy * vy, XY_SUM: acc.XY_SUM + vx * vy, COUNT: acc.COUNT + 1 }
          : { X_SUM: acc.X_SUM - vx, Y_SUM: acc.Y_SUM - vy, X_SQUARED_SUM: acc.X_SQUARED_SUM - vx * vx, Y_SQUARED_SUM: acc.Y_SQUARED_SUM - vy * vy, XY_SUM: acc.XY_SUM - vx * vy, COUNT: acc.COUNT - 1 };
      };
      return {
        initialize: (): Corr => ({ X_SUM: 0, Y_SUM: 0, X_SQUARED_SUM: 0, Y_SQUARED_SUM: 0, XY_SUM: 0, COUNT: 0 }),
        aggregate: (a, acc: Corr) => step(acc, a, 1),
        undo: (a, acc: Corr) => step(acc, a, -1),
        merge: (p: Corr, q: Corr) => ({
          X_SUM: p.X_SUM + q.X_SUM, Y_SUM: p.Y_SUM + q.Y_SUM, X_SQUARED_SUM: p.X_SQUARED_SUM + q.X_SQUARED_SUM,
          Y_SQUARED_SUM: p.Y_SQUARED_SUM + q.Y_SQUARED_SUM, XY_SUM: p.XY_SUM + q.XY_SUM, COUNT: p.COUNT + q.COUNT,
        }),
        // Same evaluation order as ksqlDB's CorrelationUdaf, so results match to the last bit.
        map: (c: Corr) => {
          const n = c.COUNT;
          const num = n * c.XY_SUM - c.X_SUM * c.Y_SUM;
          return num / Math.sqrt((n * c.X_SQUARED_SUM - c.X_SUM * c.X_SUM) * (n * c.Y_SQUARED_SUM - c.Y_SUM * c.Y_SUM));
        },
      };
    },
  }))));

export const statsAggregates: readonly AggregateFunction[] = [stddevSamp, stddevSample, correlation];
