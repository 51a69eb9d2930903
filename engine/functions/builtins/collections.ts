/** Array and map functions (ksqlDB udf/array, udf/map). */
import { KsqlException } from '../../errors/index.js';
import { type SqlType, SqlTypes } from '../../types/sql-type.js';
import { type CallContext, overload, scalar } from '../declare.js';
import { compareNullsLast, compareValues, distinctValues, valueKey, valuesEqual } from '../compare.js';
import { javaToString } from '../java-text.js';
import type { ScalarFunction } from '../types.js';

const ARRAY = 'ARRAY';
const MAP = 'MAP';

function elementType(ctx: CallContext, i = 0): SqlType | undefined {
  const t = ctx.argTypes[i];
  return t && 'base' in t && t.base === 'ARRAY' ? t.element : undefined;
}

function keySet(values: readonly unknown[]): Set<string> {
  return new Set(values.map(valueKey));
}

const PRIMITIVE_ARRAY_TYPES = ['BOOLEAN', 'INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL', 'STRING', 'BYTES', 'DATE', 'TIME', 'TIMESTAMP'];

function requireComparable(fn: string) {
  return (ctx: CallContext): SqlType => {
    const el = elementType(ctx);
    if (el && !PRIMITIVE_ARRAY_TYPES.includes(el.base)) {
      throw new KsqlException(`Function '${fn}' does not support ARRAY<${el.base}>: only arrays of primitive types can be ordered.`);
    }
    return el ? SqlTypes.array(el) : SqlTypes.array(SqlTypes.STRING);
  };
}

function arrayExtremum(name: 'array_max' | 'array_min', want: number): ScalarFunction {
  return scalar(name, { category: ARRAY, description: `Returns the ${want > 0 ? 'maximum' : 'minimum'} non-null value of an array, or NULL for an empty array.` }, [
    overload({
      params: ['list: ARRAY<T>'], returns: 'T',
      impl: (list: unknown[]) => {
        let best: unknown = null;
        for (const v of list) {
          if (v === null || v === undefined) continue;
          if (best === null || compareValues(v, best) * want > 0) best = v;
        }
        return best;
      },
    }),
  ]);
}

function sortArray(list: unknown[], direction: string): unknown[] | null {
  const d = direction.toUpperCase();
  if (d !== 'ASC' && d !== 'DESC') return null;
  const sign = d === 'ASC' ? 1 : -1;
  return [...list].sort((a, b) => {
    if (a === null || a === undefined) return b === null || b === undefined ? 0 : 1;
    if (b === null || b === undefined) return -1;
    return compareValues(a, b) * sign;
  });
}

export const collectionFunctions: readonly ScalarFunction[] = [
  scalar('array_concat', { category: ARRAY, description: 'Concatenates two arrays; a NULL array counts as empty unless both are NULL.' }, [
    overload({
      params: ['left: ARRAY<T>', 'right: ARRAY<T>'], returns: 'ARRAY<T>', nulls: 'pass',
      impl: (l: unknown[] | null, r: unknown[] | null) => (l === null && r === null ? null : [...(l ?? []), ...(r ?? [])]),
    }),
  ]),
  scalar('array_contains', { category: ARRAY, description: 'Returns whether the array contains the value (which may be NULL).' }, [
    overload({
      params: ['array: ARRAY<T>', 'val: T'], returns: 'BOOLEAN', nulls: 'pass',
      impl: (a: unknown[] | null, v: unknown) => (a === null ? false : a.some((e) => valuesEqual(e, v))),
    }),
  ]),
  scalar('array_distinct', { category: ARRAY, description: 'Returns the distinct values of an array, in order of first occurrence.' }, [
    overload({ params: ['input: ARRAY<T>'], returns: 'ARRAY<T>', impl: (a: unknown[]) => distinctValues(a) }),
  ]),
  scalar('array_except', { category: ARRAY, description: 'Returns the distinct values of the left array that are not in the right array.' }, [
    overload({
      params: ['left: ARRAY<T>', 'right: ARRAY<T>'], returns: 'ARRAY<T>',
      impl: (l: unknown[], r: unknown[]) => { const ex = keySet(r); return distinctValues(l.filter((v) => !ex.has(valueKey(v)))); },
    }),
  ]),
  scalar('array_intersect', { category: ARRAY, description: 'Returns the distinct values present in both arrays.' }, [
    overload({
      params: ['left: ARRAY<T>', 'right: ARRAY<T>'], returns: 'ARRAY<T>',
      impl: (l: unknown[], r: unknown[]) => { const keep = keySet(r); return distinctValues(l.filter((v) => keep.has(valueKey(v)))); },
    }),
  ]),
  scalar('array_join', { category: ARRAY, description: 'Joins the elements of an array of primitives into a string, with a delimiter (default \',\').' }, [
    overload({
      params: ['array: ARRAY<T>'], returns: (ctx) => joinType(ctx), returnDoc: 'VARCHAR',
      implFor: (ctx) => { const el = elementType(ctx); return (a: unknown[]) => a.map((v) => javaToString(v, el)).join(','); },
    }),
    overload({
      params: ['array: ARRAY<T>', 'delimiter: STRING'], returns: (ctx) => joinType(ctx), returnDoc: 'VARCHAR', nulls: 'pass',
      implFor: (ctx) => {
        const el = elementType(ctx);
        return (a: unknown[] | null, d: string | null) => (a === null ? null : a.map((v) => javaToString(v, el)).join(d ?? ''));
      },
    }),
  ]),
  scalar('array_length', { category: ARRAY, description: 'Returns the number of elements of an array.' }, [
    overload({ params: ['array: ARRAY<T>'], returns: 'INTEGER', impl: (a: unknown[]) => a.length }),
  ]),
  arrayExtremum('array_max', 1),
  arrayExtremum('array_min', -1),
  scalar('array_remove', { category: ARRAY, description: 'Removes every element equal to the value (which may be NULL).' }, [
    overload({
      params: ['array: ARRAY<T>', 'victim: T'], returns: 'ARRAY<T>', nulls: 'pass',
      impl: (a: unknown[] | null, v: unknown) => (a === null ? null : a.filter((e) => !valuesEqual(e, v))),
    }),
  ]),
  scalar('array_sort', { category: ARRAY, description: 'Sorts an array of primitives, ASC (default) or DESC; NULLs go last.' }, [
    overload({ params: ['input: ARRAY<T>'], returns: requireComparable('array_sort'), returnDoc: 'ARRAY<T>', impl: (a: unknown[]) => sortArray(a, 'ASC') }),
    overload({
      params: ['input: ARRAY<T>', 'direction: STRING'], returns: requireComparable('array_sort'), returnDoc: 'ARRAY<T>',
      impl: (a: unknown[], d: string) => sortArray(a, d),
    }),
  ]),
  scalar('array_union', { category: ARRAY, description: 'Returns the distinct values of both arrays.' }, [
    overload({
      params: ['left: ARRAY<T>', 'right: ARRAY<T>'], returns: 'ARRAY<T>',
      impl: (l: unknown[], r: unknown[]) => distinctValues([...l, ...r]),
    }),
  ]),
  scalar('slice', { category: ARRAY, description: 'Returns the elements from position `from` to `to` inclusive (1-based); NULL when out of bounds.' }, [
    overload({
      params: ['list: ARRAY<T>', 'from: INTEGER', 'to: INTEGER'], returns: 'ARRAY<T>', nulls: 'pass',
      impl: (list: unknown[] | null, from: number | null, to: number | null) => {
        if (list === null) return null;
        const start = from === null ? 0 : from - 1;
        const end = to === null ? list.length : to;
        if (start < 0 || end > list.length || start > end) return null;
        return list.slice(start, end);
      },
    }),
  ]),
  scalar('as_map', { category: MAP, description: 'Constructs a map from a list of keys and a list of values.' }, [
    overload({
      params: ['keys: ARRAY<STRING>', 'values: ARRAY<T>'], returns: 'MAP<STRING, T>',
      impl: (keys: (string | null)[], values: unknown[]) => {
        const m = new Map<string | null, unknown>();
        for (let i = 0; i < keys.length; i++) m.set(keys[i]!, i < values.length ? values[i] : null);
        return m;
      },
    }),
  ]),
  scalar('entries', { category: MAP, description: 'Returns the entries of a map as an array of structs with fields K and V, optionally sorted by key.' }, [
    overload({
      params: ['map: MAP<STRING, T>', 'sorted: BOOLEAN'], returnDoc: 'ARRAY<STRUCT<K VARCHAR, V T>>',
      returns: (ctx) => SqlTypes.array(SqlTypes.struct([
        { name: 'K', type: SqlTypes.STRING },
        { name: 'V', type: ctx.bindings.get('T') ?? SqlTypes.STRING },
      ])),
      impl: (m: Map<string, unknown>, sorted: boolean) => {
        const entries = [...m].map(([K, V]) => ({ K, V }));
        if (sorted) entries.sort((a, b) => compareNullsLast(a.K, b.K));
        return entries;
      },
    }),
  ]),
  scalar('map_keys', { category: MAP, description: 'Returns the keys of a map as an array.' }, [
    overload({ params: ['input: MAP<K, V>'], returns: 'ARRAY<K>', impl: (m: Map<unknown, unknown>) => [...m.keys()] }),
  ]),
  scalar('map_values', { category: MAP, description: 'Returns the values of a map as an array.' }, [
    overload({ params: ['input: MAP<K, V>'], returns: 'ARRAY<V>', impl: (m: Map<unknown, unknown>) => [...m.values()] }),
  ]),
  scalar('map_union', { category: MAP, description: 'Merges two maps; entries of the second map win. NULL maps count as empty unless both are NULL.' }, [
    overload({
      params: ['map1: MAP<K, V>', 'map2: MAP<K, V>'], returns: 'MAP<K, V>', nulls: 'pass',
      impl: (a: Map<unknown, unknown> | null, b: Map<unknown, unknown> | null) => {
        if (a === null && b === null) return null;
        const out = new Map(a ?? []);
        for (const [k, v] of b ?? []) out.set(k, v);
        return out;
      },
    }),
  ]),
];

function joinType(ctx: CallContext): SqlType {
  const el = elementType(ctx);
  if (el && !PRIMITIVE_ARRAY_TYPES.includes(el.base)) {
    throw new KsqlException(`Function 'array_join' only supports arrays of primitive types, but got ARRAY<${el.base}>.`);
  }
  return SqlTypes.STRING;
}
