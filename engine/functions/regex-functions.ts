/** Declarations of the REGEXP_* functions; implementations in regex.ts. */
import { overload, scalar } from './declare.js';
import type { ScalarFunction } from './types.js';
import * as rx from './regex.js';

const CAT = 'STRING';

export const regexFunctions: readonly ScalarFunction[] = [
  scalar('regexp_extract', { category: CAT, description: 'Extract the first subtring matched by a regex pattern.' }, [
    overload({ params: ['pattern: STRING', 'input: STRING'], returns: 'STRING', impl: (p: string, s: string) => rx.regexpExtract(p, s) }),
    overload({ params: ['pattern: STRING', 'input: STRING', 'group: INTEGER'], returns: 'STRING', impl: rx.regexpExtract }),
  ]),
  scalar('regexp_extract_all', { category: CAT, description: 'Extract all subtrings matched by a regex pattern.' }, [
    overload({ params: ['pattern: STRING', 'input: STRING'], returns: 'ARRAY<STRING>', impl: (p: string, s: string) => rx.regexpExtractAll(p, s) }),
    overload({ params: ['pattern: STRING', 'input: STRING', 'group: INTEGER'], returns: 'ARRAY<STRING>', impl: rx.regexpExtractAll }),
  ]),
  scalar('regexp_replace', { category: CAT, description: 'Replace all matches of a regex in an input string with a new string.' }, [
    overload({ params: ['input: STRING', 'regex: STRING', 'replacement: STRING'], returns: 'STRING', impl: rx.regexpReplace }),
  ]),
  scalar('regexp_split_to_array', { category: CAT, description: 'Splits a string into an array of substrings based on a regexp.' }, [
    overload({ params: ['string: STRING', 'regexp: STRING'], returns: 'ARRAY<STRING>', impl: rx.regexpSplitToArray }),
  ]),
];

