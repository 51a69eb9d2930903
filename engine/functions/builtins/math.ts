/** Mathematical functions (ksqlDB udf/math). */
import { overload, scalar } from '../declare.js';
import type { ScalarFunction } from '../types.js';
import type { Decimal } from '../../types/decimal.js';
import { type Long, longNeg } from '../../types/long.js';

const CAT = 'MATHEMATICAL';

export const mathFunctions: readonly ScalarFunction[] = [
  scalar('abs', { category: CAT, description: 'Returns the absolute value of its argument.' }, [
    overload({ params: ['val: INTEGER'], returns: 'INTEGER', impl: (v: number) => (v < 0 ? -v | 0 : v) }),
    overload({ params: ['val: BIGINT'], returns: 'BIGINT', impl: (v: Long) => (v < 0 ? longNeg(v) : v) }),
    overload({ params: ['val: DOUBLE'], returns: 'DOUBLE', impl: (v: number) => Math.abs(v) }),
    overload({
      params: ['val: DECIMAL'], returns: (ctx) => ctx.argTypes[0] as never, returnDoc: 'DECIMAL',
      impl: (v: Decimal) => v.abs(),
    }),
  ]),
];
