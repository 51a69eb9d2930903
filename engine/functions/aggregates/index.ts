/** Every built-in aggregate function (UDAF); createFunctionRegistry() registers them all. */
import type { AggregateFunction } from '../types.js';
import { basicAggregates } from './basic.js';
import { collectionAggregates } from './collections.js';
import { offsetAggregates } from './offset.js';
import { statsAggregates } from './stats.js';

export function BUILTIN_AGGREGATES(): readonly AggregateFunction[] {
  return [...basicAggregates, ...offsetAggregates, ...collectionAggregates, ...statsAggregates];
}

export { aggregate, type AggregateImpl, type AggregateOverloadSpec, type AggregateCreateContext } from './declare-aggregate.js';
export { KsqlFunctionException } from './numeric.js';
