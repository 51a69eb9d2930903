/** COLLECT_LIST, COLLECT_SET, HISTOGRAM, TOPK, TOPKDISTINCT. */
import { SqlTypes, type SqlType } from '../../types/sql-type.js';
import { compareValues, valueKey, valuesEqual } from '../compare.js';
import type { AggregateFunction } from '../types.js';
import { KsqlFunctionException } from './numeric.js';
import { aggregate, type AggregateCreateContext, type AggregateOverloadSpec } from './declare-aggregate.js';

const meta = (description: string) => ({ category: 'AGGREGATE', description });

function limit(ctx: AggregateCreateContext, name: string): number {
  const raw = ctx.config[`ksql.functions.${name}.limit`];
  const n = raw === undefined || raw === null ? 1000 : Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : 1000;
}

const collectList = aggregate('COLLECT_LIST', meta('Gathers all values of the column into an array (up to ksql.functions.collect_list.limit).'), [
  {
    params: ['col: T'], returns: 'ARRAY<T>',
    create: (ctx) => {
      const max = limit(ctx, 'collect_list');
      return {
        initialize: (): unknown[] => [],
        aggregate: (a, acc: unknown[]) => (acc.length >= max ? acc : [...acc, a[0] ?? null]),
        undo: (a, acc: unknown[]) => {
          const i = acc.findIndex((x) => valuesEqual(x, a[0] ?? null));
          return i < 0 ? acc : [...acc.slice(0, i), ...acc.slice(i + 1)];
        },
        merge: (x: unknown[], y: unknown[]) => [...x, ...y].slice(0, max),
        map: (acc) => acc,
      };
    },
  },
]);

const collectSet = aggregate('COLLECT_SET', meta('Gathers the distinct values of the column into an array (up to ksql.functions.collect_set.limit).'), [
  {
    params: ['col: T'], returns: 'ARRAY<T>',
    create: (ctx) => {
      const max = limit(ctx, 'collect_set');
      const add = (acc: unknown[], v: unknown): unknown[] => {
        if (acc.length >= max) return acc;
        const k = valueKey(v);
        return acc.some((x) => valueKey(x) === k) ? acc : [...acc, v];
      };
      return {
        initialize: (): unknown[] => [],
        aggregate: (a, acc: unknown[]) => add(acc, a[0] ?? null),
        undo: (a, acc: unknown[]) => {
          const k = valueKey(a[0] ?? null);
          return acc.filter((x) => valueKey(x) !== k);
        },
        merge: (x: unknown[], y: unknown[]) => y.reduce(add, x),
        map: (acc) => acc,
      };
    },
  },
]);

const HISTOGRAM_LIMIT = 1000;

const histogram = aggregate('HISTOGRAM', meta('Returns a map of each distinct String value of the column to the number of times it occurs.'), [
  {
    params: ['col: STRING'], returns: 'MAP<STRING, BIGINT>',
    create: () => {
      const change = (acc: Map<string, number>, v: unknown, d: number): Map<string, number> => {
        if (v === null || v === undefined) return acc;
        const key = v as string;
        const cur = acc.get(key);
        if (cur === undefined && (d < 0 || acc.size >= HISTOGRAM_LIMIT)) return acc;
        const out = new Map(acc);
        const n = (cur ?? 0) + d;
        if (n <= 0) out.delete(key); else out.set(key, n);
        return out;
      };
      return {
        initialize: () => new Map<string, number>(),
        aggregate: (a, acc: Map<string, number>) => change(acc, a[0], 1),
        undo: (a, acc: Map<string, number>) => change(acc, a[0], -1),
        merge: (x: Map<string, number>, y: Map<string, number>) => [...y].reduce((m, [k, n]) => change(m, k, n), x),
        map: (acc) => acc,
      };
    },
  },
]);

const TOPK_TYPES = ['INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL', 'STRING', 'BYTES', 'DATE', 'TIME', 'TIMESTAMP'];

function checkK(v: unknown): number {
  const k = Number(v);
  if (!Number.isInteger(k) || k <= 0) throw new KsqlFunctionException(`TopK must be called with a positive value for k, got ${String(v)}`);
  return k;
}

/** Stable descending insert: a new value goes after the values equal to it. */
function topInsert<T>(list: readonly T[], v: T, k: number, sortKey: (x: T) => unknown): T[] {
  const key = sortKey(v);
  let i = 0;
  while (i < list.length && compareValues(sortKey(list[i]!), key) >= 0) i++;
  if (i >= k) return list as T[];
  const out = [...list.slice(0, i), v, ...list.slice(i)];
  return out.length > k ? out.slice(0, k) : out;
}

const topk = aggregate('TOPK', meta('Returns the top k values of the column (with their other columns as a struct when given).'), [
  ...TOPK_TYPES.map((type): AggregateOverloadSpec => ({
    params: [`col: ${type}`, 'k: INTEGER'], literals: 1, returns: (ctx) => SqlTypes.array(ctx.argTypes[0] as SqlType),
    create: (ctx) => {
      const k = checkK(ctx.literals[0]);
      const id = (x: unknown) => x;
      return {
        initialize: (): unknown[] => [],
        aggregate: (a, acc: unknown[]) => (a[0] === null ? acc : topInsert(acc, a[0], k, id)),
        merge: (x: unknown[], y: unknown[]) => y.reduce((m: unknown[], v) => topInsert(m, v, k, id), x),
        map: (acc) => acc,
      };
    },
  })),
  ...TOPK_TYPES.map((type): AggregateOverloadSpec => ({
    params: [`col: ${type}`, 'others: ...ANY', 'k: INTEGER'], literals: 1,
    returns: (ctx) => SqlTypes.array(topkStruct(ctx.argTypes.slice(0, -1) as SqlType[])),
    create: (ctx) => {
      const k = checkK(ctx.literals[0]);
      const names = ctx.columnTypes.map((_t, i) => (i === 0 ? 'sort_col' : `col${i - 1}`));
      const sortKey = (x: Record<string, unknown>) => x['sort_col'];
      return {
        initialize: (): Record<string, unknown>[] => [],
        aggregate: (a, acc: Record<string, unknown>[]) => {
          if (a[0] === null) return acc;
          const s: Record<string, unknown> = {};
          names.forEach((n, i) => { s[n] = a[i] ?? null; });
          return topInsert(acc, s, k, sortKey);
        },
        merge: (x: Record<string, unknown>[], y: Record<string, unknown>[]) => y.reduce((m: Record<string, unknown>[], v) => topInsert(m, v, k, sortKey), x),
        map: (acc) => acc,
      };
    },
  })),
]);

function topkStruct(types: readonly SqlType[]): SqlType {
  return SqlTypes.struct(types.map((t, i) => ({ name: i === 0 ? 'sort_col' : `col${i - 1}`, type: t })));
}

const topkDistinct = aggregate('TOPKDISTINCT', meta('Returns the distinct top k values of the column.'), TOPK_TYPES.map((type): AggregateOverloadSpec => ({
  params: [`col: ${type}`, 'k: INTEGER'], literals: 1, returns: (ctx) => SqlTypes.array(ctx.argTypes[0] as SqlType),
  create: (ctx) => {
    const k = checkK(ctx.literals[0]);
    const add = (acc: unknown[], v: unknown): unknown[] => {
      if (v === null || acc.some((x) => compareValues(x, v) === 0)) return acc;
      return topInsert(acc, v, k, (x) => x);
    };
    return {
      initialize: (): unknown[] => [],
      aggregate: (a, acc: unknown[]) => add(acc, a[0] ?? null),
      merge: (x: unknown[], y: unknown[]) => y.reduce(add, x),
      map: (acc) => acc,
    };
  },
})));

export const collectionAggregates: readonly AggregateFunction[] = [collectList, collectSet, histogram, topk, topkDistinct];
