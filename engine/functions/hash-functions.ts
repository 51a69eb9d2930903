/** Declaration of MD5; implementation in hash.ts. */
import { overload, scalar } from './declare.js';
import type { ScalarFunction } from './types.js';
import { md5 } from './hash.js';

export const hashFunctions: readonly ScalarFunction[] = [
  scalar('md5', { category: 'STRING', description: 'Returns the hex-encoded MD5 hash of the given string.' }, [
    overload({ params: ['input: STRING'], returns: 'STRING', impl: md5 }),
  ]),
];

