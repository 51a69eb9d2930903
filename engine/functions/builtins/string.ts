/** String functions (ksqlDB udf/string). */
import { overload, scalar } from '../declare.js';
import type { ScalarFunction } from '../types.js';

const CAT = 'STRING';

export const stringFunctions: readonly ScalarFunction[] = [
  scalar('concat', { category: CAT, description: 'Concatenate an arbitrary number of string or bytes fields together.' }, [
    overload({
      params: ['inputs: ...STRING'], returns: 'STRING', nulls: 'pass',
      impl: (inputs: (string | null)[]) => inputs.filter((s) => s !== null).join(''),
    }),
    overload({
      params: ['inputs: ...BYTES'], returns: 'BYTES', nulls: 'pass',
      impl: (inputs: (Buffer | null)[]) => Buffer.concat(inputs.filter((b): b is Buffer => b !== null)),
    }),
  ]),
  scalar('ucase', { category: CAT, description: 'Returns the input string with all characters converted to upper case.' }, [
    overload({ params: ['input: STRING'], returns: 'STRING', impl: (s: string) => s.toUpperCase() }),
  ]),
  scalar('lcase', { category: CAT, description: 'Returns the input string with all characters converted to lower case.' }, [
    overload({ params: ['input: STRING'], returns: 'STRING', impl: (s: string) => s.toLowerCase() }),
  ]),
];
