/**
 * LATEST_BY_OFFSET / EARLIEST_BY_OFFSET, single and n-valued, with and without ignoring nulls
 * (default: nulls ignored). Accumulators carry a sequence number ({SEQ, VAL}, ksqlDB's
 * STRUCT<SEQ BIGINT, VAL T>) so that merged session windows keep processing order.
 */
import { SqlTypes, type SqlType } from '../../types/sql-type.js';
import type { AggregateFunction } from '../types.js';
import { KsqlFunctionException } from './numeric.js';
import { aggregate, type AggregateCreateContext, type AggregateImpl, type AggregateOverloadSpec } from './declare-aggregate.js';

interface Entry { readonly SEQ: number; readonly VAL: unknown }

/**
 * Process-wide sequence, started from the clock so that values aggregated after a restart sort
 * after the ones restored from state (the accumulator's own SEQ is also a floor, see `next`).
 */
let sequence = Date.now() * 1000;

function next(after: number): number {
  sequence = Math.max(sequence + 1, after + 1);
  return sequence;
}

function entryType(ctx: AggregateCreateContext | { argTypes: readonly unknown[] }): SqlType {
  return SqlTypes.struct([{ name: 'SEQ', type: SqlTypes.BIGINT }, { name: 'VAL', type: ctx.argTypes[0] as SqlType }]);
}

function single(latest: boolean, ignoreNulls: boolean): AggregateImpl<Entry | null> {
  return {
    initialize: () => null,
    aggregate: (a, acc) => {
      const v = a[0] ?? null;
      if (v === null && ignoreNulls) return acc;
      if (!latest && acc !== null) return acc;
      return { SEQ: next(acc?.SEQ ?? 0), VAL: v };
    },
    merge: (x, y) => {
      if (x === null) return y;
      if (y === null) return x;
      return latest ? (y.SEQ > x.SEQ ? y : x) : (y.SEQ < x.SEQ ? y : x);
    },
    map: (acc) => acc?.VAL ?? null,
  };
}

function multiple(latest: boolean, n: number, ignoreNulls: boolean): AggregateImpl<Entry[]> {
  const keep = (list: Entry[]): Entry[] => (list.length <= n ? list : latest ? list.slice(list.length - n) : list.slice(0, n));
  return {
    initialize: () => [],
    aggregate: (a, acc) => {
      const v = a[0] ?? null;
      if (v === null && ignoreNulls) return acc;
      if (!latest && acc.length >= n) return acc;
      const last = acc.length ? acc[acc.length - 1]!.SEQ : 0;
      return keep([...acc, { SEQ: next(last), VAL: v }]);
    },
    merge: (x, y) => keep([...x, ...y].sort((p, q) => p.SEQ - q.SEQ)),
    map: (acc) => acc.map((e) => e.VAL),
  };
}

function offsetFunction(name: string, latest: boolean): AggregateFunction {
  const what = latest ? 'latest' : 'earliest';
  const nName = latest ? 'latestN' : 'earliestN';
  const overloads: AggregateOverloadSpec[] = [
    { params: ['val: T'], returns: 'T', aggregateType: entryType, create: () => single(latest, true) },
    { params: ['val: T', 'ignoreNulls: BOOLEAN'], literals: 1, returns: 'T', aggregateType: entryType, create: (ctx) => single(latest, ctx.literals[0] === true) },
    {
      params: ['val: T', `${nName}: INTEGER`], literals: 1, returns: 'ARRAY<T>', aggregateType: (ctx) => SqlTypes.array(entryType(ctx)),
      create: (ctx) => multiple(latest, checkN(ctx.literals[0], latest), true),
    },
    {
      params: ['val: T', `${nName}: INTEGER`, 'ignoreNulls: BOOLEAN'], literals: 2, returns: 'ARRAY<T>', aggregateType: (ctx) => SqlTypes.array(entryType(ctx)),
      create: (ctx) => multiple(latest, checkN(ctx.literals[0], latest), ctx.literals[1] === true),
    },
  ];
  return aggregate(name, { category: 'AGGREGATE', description: `Returns the ${what} value(s) of the column, by offset.` }, overloads);
}

function checkN(v: unknown, latest: boolean): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new KsqlFunctionException(`${latest ? 'latestN' : 'earliestN'} must be 1 or greater`);
  return n;
}

export const offsetAggregates: readonly AggregateFunction[] = [
  offsetFunction('LATEST_BY_OFFSET', true),
  offsetFunction('EARLIEST_BY_OFFSET', false),
];
