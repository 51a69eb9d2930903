/**
 * Built-in table functions (UDTFs): EXPLODE and CUBE_EXPLODE. A table function returns a list per
 * input row; the flat-map step emits one row per element (engine/runtime/operators/flat-map.ts).
 */
import type { SqlType } from '../../types/sql-type.js';
import { tableFunction, tableOverload } from '../declare.js';
import type { TableFunction } from '../types.js';

const elementType = (ctx: { argTypes: readonly unknown[] }): SqlType => {
  const t = ctx.argTypes[0] as SqlType;
  return t.base === 'ARRAY' ? t.element : t;
};

/** Every combination of the list's elements with each element either kept or nulled (ksqlDB's Cube). */
export function cubeCombinations<T>(columns: readonly (T | null)[]): (T | null)[][] {
  const n = columns.length;
  // A null element gives the same row whether it is kept or not: emit it once.
  let nullMask = 0;
  for (let j = 0; j < n; j++) if (columns[j] === null || columns[j] === undefined) nullMask |= 1 << (n - 1 - j);
  const out: (T | null)[][] = [];
  const total = 2 ** n;
  for (let i = 0; i < total; i++) {
    if ((i & nullMask) !== 0) continue;
    const row = new Array<T | null>(n);
    for (let j = 0; j < n; j++) row[j] = (i & (1 << (n - 1 - j))) === 0 ? null : columns[j]!;
    out.push(row);
  }
  return out;
}

export const tableFunctions: readonly TableFunction[] = [
  tableFunction('explode', {
    category: 'TABLE',
    description: 'Explodes an array. This function outputs one value for each element of the array.',
  }, [
    tableOverload({ params: ['input: ARRAY<DECIMAL>'], returns: elementType, returnDoc: 'DECIMAL', impl: (list: unknown[]) => list }),
    tableOverload({ params: ['list: ARRAY<T>'], returns: 'T', impl: (list: unknown[]) => list }),
  ]),
  tableFunction('cube_explode', {
    category: 'TABLE',
    description: 'Takes as argument a list of columns and outputs all possible combinations of them.',
  }, [
    tableOverload({ params: ['columns: ARRAY<T>'], returns: 'ARRAY<T>', impl: (list: unknown[]) => cubeCombinations(list) }),
  ]),
];
