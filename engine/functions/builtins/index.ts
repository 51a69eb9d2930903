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
import { datetimeFunctions } from '../datetime-functions.js';
import { jsonFunctions } from '../json-functions.js';
import { urlFunctions } from '../url-functions.js';
import { bytesFunctions } from '../bytes-functions.js';
import { regexFunctions } from '../regex-functions.js';
import { geoFunctions } from '../geo-functions.js';
import { hashFunctions } from '../hash-functions.js';

export function BUILTIN_SCALARS(): readonly ScalarFunction[] {
  return [
    ...stringFunctions,
    ...mathFunctions,
    ...nullFunctions,
    ...collectionFunctions,
    ...lambdaFunctions,
    ...datetimeFunctions,
    ...jsonFunctions,
    ...urlFunctions,
    ...bytesFunctions,
    ...regexFunctions,
    ...geoFunctions,
    ...hashFunctions,
  ];
}
