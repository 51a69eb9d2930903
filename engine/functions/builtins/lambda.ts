/** Lambda (higher-order) functions: TRANSFORM, FILTER, REDUCE over arrays and maps (ksqlDB udf/lambda). */
import { KsqlException } from '../../errors/index.js';
import { overload, scalar } from '../declare.js';
import { valueKey } from '../compare.js';
import type { ScalarFunction } from '../types.js';

const CAT = 'LAMBDA';

type Fn1 = (a: unknown) => unknown;
type Fn2 = (a: unknown, b: unknown) => unknown;
type Fn3 = (a: unknown, b: unknown, c: unknown) => unknown;

/**
 * Java's Collectors.toMap, which ksqlDB's map lambdas use: a NULL value or a duplicate key is an error
 * (so the function yields NULL), e.g. transform-map.json "transform a map" with an empty array value.
 */
function putStrict(out: Map<unknown, unknown>, seen: Set<string>, k: unknown, v: unknown): void {
  if (v === null || v === undefined) throw new KsqlException('Map lambda produced a NULL value');
  const key = valueKey(k);
  if (seen.has(key)) throw new KsqlException(`Duplicate key ${String(k)}`);
  seen.add(key);
  out.set(k, v);
}

export const lambdaFunctions: readonly ScalarFunction[] = [
  scalar('transform', { category: CAT, description: 'Applies a lambda to each element of an array, or to each key and value of a map.' }, [
    overload({
      params: ['array: ARRAY<T>', 'function: LAMBDA<(T) => U>'], returns: 'ARRAY<U>',
      impl: (a: unknown[], fn: Fn1) => a.map((x) => fn(x)),
    }),
    overload({
      params: ['map: MAP<K, V>', 'key_function: LAMBDA<(K, V) => K1>', 'value_function: LAMBDA<(K, V) => V1>'], returns: 'MAP<K1, V1>',
      impl: (m: Map<unknown, unknown>, kf: Fn2, vf: Fn2) => {
        const out = new Map<unknown, unknown>();
        const seen = new Set<string>();
        for (const [k, v] of m) putStrict(out, seen, kf(k, v), vf(k, v));
        return out;
      },
    }),
  ]),
  scalar('filter', { category: CAT, description: 'Keeps the array elements, or map entries, for which the lambda returns true.' }, [
    overload({
      params: ['array: ARRAY<T>', 'function: LAMBDA<(T) => BOOLEAN>'], returns: 'ARRAY<T>',
      impl: (a: unknown[], fn: Fn1) => a.filter((x) => fn(x) === true),
    }),
    overload({
      params: ['map: MAP<K, V>', 'function: LAMBDA<(K, V) => BOOLEAN>'], returns: 'MAP<K, V>',
      impl: (m: Map<unknown, unknown>, fn: Fn2) => {
        const out = new Map<unknown, unknown>();
        const seen = new Set<string>();
        for (const [k, v] of m) if (fn(k, v) === true) putStrict(out, seen, k, v);
        return out;
      },
    }),
  ]),
  scalar('reduce', { category: CAT, description: 'Folds an array or map into a single value, starting from the initial state.' }, [
    overload({
      params: ['array: ARRAY<T>', 'initialState: S', 'function: LAMBDA<(S, T) => S>'], returns: 'S', nulls: 'pass',
      impl: (a: unknown[] | null, s: unknown, fn: Fn2) => {
        if (a === null || a === undefined) return s;
        if (s === null || s === undefined) return null;
        let state: unknown = s;
        for (const x of a) state = fn(state, x);
        return state;
      },
    }),
    overload({
      params: ['map: MAP<K, V>', 'initialState: S', 'function: LAMBDA<(S, K, V) => S>'], returns: 'S', nulls: 'pass',
      impl: (m: Map<unknown, unknown> | null, s: unknown, fn: Fn3) => {
        if (m === null || m === undefined) return s;
        if (s === null || s === undefined) return null;
        let state: unknown = s;
        for (const [k, v] of m) state = fn(state, k, v);
        return state;
      },
    }),
  ]),
];
