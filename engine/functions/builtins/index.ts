/**
 * Every built-in scalar function. A function module exports a `readonly ScalarFunction[]` and is listed
 * here once; createFunctionRegistry() registers them all.
 */
import type { ScalarFunction } from '../types.js';
import { stringFunctions } from './string.js';
import { mathFunctions } from './math.js';
import { nullFunctions } from './nulls.js';
import { collectionFunctions } from './collections.js';
import { lambdaFunctions } from './lambda.js';

export function BUILTIN_SCALARS(): readonly ScalarFunction[] {
  return [
    ...stringFunctions,
    ...mathFunctions,
    ...nullFunctions,
    ...collectionFunctions,
    ...lambdaFunctions,
  ];
}
