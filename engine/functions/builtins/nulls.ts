/** NULL handling functions (ksqlDB udf/nulls). */
import { overload, scalar } from '../declare.js';
import { valuesEqual } from '../compare.js';
import type { ScalarFunction } from '../types.js';

const CAT = 'CONDITIONAL';

export const nullFunctions: readonly ScalarFunction[] = [
  scalar('coalesce', { category: CAT, description: 'Returns the first non-null parameter, or NULL when all are NULL.' }, [
    overload({
      params: ['first: T', 'others: ...T'], returns: 'T', nulls: 'pass',
      impl: (first: unknown, others: unknown[]) => {
        if (first !== null && first !== undefined) return first;
        for (const v of others) if (v !== null && v !== undefined) return v;
        return null;
      },
    }),
  ]),
  scalar('ifnull', { category: CAT, description: 'Returns the expression, or altValue when the expression is NULL.' }, [
    overload({
      params: ['expression: T', 'altValue: T'], returns: 'T', nulls: 'pass',
      impl: (e: unknown, alt: unknown) => (e === null || e === undefined ? alt : e),
    }),
  ]),
  scalar('nullif', { category: CAT, description: 'Returns NULL when expr1 equals expr2, otherwise expr1.' }, [
    overload({
      params: ['expr1: T', 'expr2: T'], returns: 'T', nulls: 'pass',
      impl: (a: unknown, b: unknown) => (a === null || a === undefined ? null : valuesEqual(a, b) ? null : a),
    }),
  ]),
];
