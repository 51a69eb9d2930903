/** Declarations of the JSON functions (ksqlDB udf/json); implementations in json.ts. */
import { overload, scalar } from './declare.js';
import type { ScalarFunction } from './types.js';
import type { SqlType } from '../types/sql-type.js';
import * as json from './json.js';

const CAT = 'JSON';

const argType = (t: unknown): SqlType | null => (t !== null && typeof t === 'object' && 'base' in t ? t as SqlType : null);

export const jsonFunctions: readonly ScalarFunction[] = [
  scalar('extractjsonfield', { category: CAT, description: 'Given a STRING that contains JSON data, extract the value at the specified JSONPath or NULL if the specified path does not exist.' }, [
    overload({ params: ['input: STRING', 'path: STRING'], returns: 'STRING', impl: json.extractJsonField }),
  ]),
  scalar('is_json_string', { category: CAT, description: 'Given a STRING, returns true if it can be parsed as a valid JSON value, false otherwise.' }, [
    overload({ params: ['str: STRING'], returns: 'BOOLEAN', nulls: 'pass', impl: json.isJsonString }),
  ]),
  scalar('json_array_contains', { category: CAT, description: 'Given a STRING containing a JSON array, checks if a search value is contained in the array.' }, [
    overload({
      params: ['jsonArray: STRING', 'val: T'], returns: 'BOOLEAN', nulls: 'pass',
      implFor: (ctx) => {
        const type = argType(ctx.argTypes[1]);
        return (text: string | null, val: unknown) => (text === null ? null : json.jsonArrayContains(text, val ?? null, type));
      },
    }),
  ]),
  scalar('json_array_length', { category: CAT, description: 'Given a STRING containing a JSON array, returns the number of its elements, or NULL if it is not an array.' }, [
    overload({ params: ['jsonArray: STRING'], returns: 'INTEGER', impl: json.jsonArrayLength }),
  ]),
  scalar('json_concat', { category: CAT, description: 'Given 2 or more STRINGs containing JSON objects or arrays, merges them into one.' }, [
    overload({ params: ['jsonStrings: ...STRING'], returns: 'STRING', nulls: 'pass', impl: json.jsonConcat }),
  ]),
  scalar('json_items', { category: CAT, description: 'Given a STRING containing a JSON array, returns its elements as an array of JSON strings.' }, [
    overload({ params: ['jsonItems: STRING'], returns: 'ARRAY<STRING>', impl: json.jsonItems }),
  ]),
  scalar('json_keys', { category: CAT, description: 'Given a STRING containing a JSON object, returns an array of its top-level keys.' }, [
    overload({ params: ['jsonObj: STRING'], returns: 'ARRAY<STRING>', impl: json.jsonKeys }),
  ]),
  scalar('json_records', { category: CAT, description: 'Given a STRING containing a JSON object, returns a map of its top-level keys to their values as strings.' }, [
    overload({ params: ['jsonObj: STRING'], returns: 'MAP<STRING, STRING>', impl: json.jsonRecords }),
  ]),
  scalar('to_json_string', { category: CAT, description: 'Given any ksqlDB type returns the equivalent JSON string.' }, [
    overload({
      params: ['input: T'], returns: 'STRING', nulls: 'pass',
      implFor: (ctx) => json.jsonWriterFor(argType(ctx.argTypes[0])),
    }),
  ]),
];

