import { describe, expect, it } from 'vitest';
import * as json from '../../engine/functions/json.js';
import { javaBigDecimalToString, parseJson, writeJson } from '../../engine/functions/json-node.js';
import { createFunctionRegistry } from '../../engine/functions/registry.js';
import type { ArgShape } from '../../engine/functions/types.js';
import { Decimal } from '../../engine/types/decimal.js';
import { type SqlType, SqlTypes } from '../../engine/types/sql-type.js';

const { INTEGER, BIGINT, DOUBLE, STRING, BOOLEAN, BYTES, DATE, TIME, TIMESTAMP } = SqlTypes;
const v = (type: SqlType | null): ArgShape => ({ kind: 'value', type });
const registry = createFunctionRegistry();
const call = (name: string, args: readonly ArgShape[], values: unknown[]): unknown => registry.scalar(name)!.resolve(args).invoke(...values);

describe('extract-json-field.json: array bounds', () => {
  it.each([
    ['{"array": [1, 2, 3]}', [null, '1', '2']],
    ['{"array": [1.23450]}', [null, '1.23450', null]],
  ])('%s', (input, out) => {
    expect(['$.array[-1]', '$.array[0]', '$.array[1]'].map((p) => call('EXTRACTJSONFIELD', [v(STRING), v(STRING)], [input, p]))).toEqual(out);
  });
  it('returns text unquoted and other nodes as compact JSON', () => {
    const doc = '{"a": {"b": [1, {"c": "x\\ny"}]}, "s": "str", "n": null, "t": true, "e": 1E2, "k": {"5": 1, "1": 2}}';
    expect(json.extractJsonField(doc, '$.a')).toBe('{"b":[1,{"c":"x\\ny"}]}');
    expect(json.extractJsonField(doc, '$.a.b[1].c')).toBe('x\ny');
    expect(json.extractJsonField(doc, '$.s')).toBe('str');
    expect(json.extractJsonField(doc, '$.n')).toBe('null');
    expect(json.extractJsonField(doc, '$.t')).toBe('true');
    expect(json.extractJsonField(doc, '$.e')).toBe('1E+2');
    expect(json.extractJsonField(doc, '$.k')).toBe('{"5":1,"1":2}');
    expect(json.extractJsonField(doc, '$["a"]["b"][0]')).toBe('1');
    expect(json.extractJsonField(doc, '$.a.b.c')).toBeNull();
    expect(json.extractJsonField(doc, '$.s.x')).toBeNull();
    expect(json.extractJsonField(doc, '$.missing')).toBeNull();
    expect(json.extractJsonField(doc, '$')).toBe(writeJson(parseJson(doc)));
    expect(json.extractJsonField('{"a b":1, "q\\"":2}', '$["a b"]')).toBe('1');
    expect(json.extractJsonField('{"a b":1, "q\\"":2}', '$["q\\""]')).toBe('2');
  });
  it('throws for bad paths and bad JSON, null for no document', () => {
    expect(() => json.extractJsonField('{}', 'a')).toThrow("Invalid JSON path: 'a'");
    expect(() => json.extractJsonField('{}', '$.')).toThrow('Invalid JSON path');
    expect(() => json.extractJsonField('{}', '$[1')).toThrow('Invalid JSON path');
    expect(() => json.extractJsonField('{', '$.a')).toThrow('Invalid JSON format:{');
    expect(call('EXTRACTJSONFIELD', [v(STRING), v(STRING)], [null, '$.a'])).toBeNull();
    expect(json.extractJsonField('', '$.a')).toBeNull();
  });
  it('reads JSON with Jackson\'s relaxed UdfJsonMapper features', () => {
    expect(json.extractJsonField("{'a': 1}", '$.a')).toBe('1');
    expect(json.extractJsonField('{a: 1}', '$.a')).toBe('1');
    expect(json.extractJsonField('/* c */ {"a": 1 // c\n}', '$.a')).toBe('1');
    expect(json.extractJsonField('{"a": 1} trailing', '$.a')).toBe('1');
  });
});

describe('is_json_string.json', () => {
  it.each([
    ['1', true], ['abc', false], ['[1, 2, 3]', true], ['"abc"', true], ['', false], [null, false],
    [' ', false], ['{"a": 1}', true], ['{"a": 1', false], ['1x', false], ['01', false], ['-', false], ['1.', false],
    ['truex', false], ['true]', true], ['[1] tail', true], ['NaN', false], ['"\u0001"', false],
  ])('IS_JSON_STRING(%j) = %s', (input, out) => {
    expect(call('IS_JSON_STRING', [v(STRING)], [input])).toBe(out);
  });
});

describe('json_array_contains.json', () => {
  it.each([
    ['["Red", "Green"]', false],
    ['["Black"]', false],
    ['["Pink", "Yellow", "Pink"]', true],
    ['["White", "Pink"]', true],
    ['["Pink", null]', true],
  ])('JSON_ARRAY_CONTAINS(%s, Pink) = %s', (input, out) => {
    expect(call('JSON_ARRAY_CONTAINS', [v(STRING), v(STRING)], [input, 'Pink'])).toBe(out);
  });
  it('null array gives null (row filtered)', () => {
    expect(call('JSON_ARRAY_CONTAINS', [v(STRING), v(STRING)], [null, 'Pink'])).toBeNull();
  });
  it('matches only compatible JSON types', () => {
    expect(json.jsonArrayContains('[1, 2]', 2, INTEGER)).toBe(true);
    expect(json.jsonArrayContains('[1, 2]', 2, BIGINT)).toBe(true);
    expect(json.jsonArrayContains('[1, 2]', 2, DOUBLE)).toBe(false);
    expect(json.jsonArrayContains('[1.0, 2.5]', 2.5, DOUBLE)).toBe(true);
    expect(json.jsonArrayContains('[1.0]', 1, INTEGER)).toBe(false);
    expect(json.jsonArrayContains('["1"]', 1, INTEGER)).toBe(false);
    expect(json.jsonArrayContains('[true]', true, BOOLEAN)).toBe(true);
    expect(json.jsonArrayContains('[[1], {"a": 1}, 1]', 1, INTEGER)).toBe(true);
    expect(json.jsonArrayContains('[9223372036854775807]', 9223372036854775807n, BIGINT)).toBe(true);
    expect(json.jsonArrayContains('[3000000000, 1]', 1, INTEGER)).toBe(false);
    expect(call('JSON_ARRAY_CONTAINS', [v(STRING), v(null)], ['[1, null]', null])).toBe(true);
    expect(call('JSON_ARRAY_CONTAINS', [v(STRING), v(INTEGER)], ['[1, 2]', null])).toBe(false);
  });
  it('streams: true on a match before a syntax error, false otherwise', () => {
    expect(json.jsonArrayContains('["Pink", oops', 'Pink', STRING)).toBe(true);
    expect(json.jsonArrayContains('["Red", oops, "Pink"]', 'Pink', STRING)).toBe(false);
    expect(json.jsonArrayContains('', 'Pink', STRING)).toBe(false);
    expect(json.jsonArrayContains('{"Pink": 1}', 'Pink', STRING)).toBe(false);
    expect(json.jsonArrayContains('[]', 'Pink', STRING)).toBe(false);
  });
});

describe('json_array_length.json', () => {
  it.each([
    ['["Red", "Green"]', 2], ['["Black"]', 1], ['[]', 0], ['', null], [null, null], ['{"a": 1}', null], ['1', null],
  ])('JSON_ARRAY_LENGTH(%j) = %s', (input, out) => {
    expect(call('JSON_ARRAY_LENGTH', [v(STRING)], [input])).toBe(out);
  });
  it('throws on invalid JSON', () => {
    expect(() => json.jsonArrayLength('[1,')).toThrow('Invalid JSON format');
  });
});

describe('json_concat.json: concat 3 JSON arguments', () => {
  it.each([
    [['{"a": 1}', '{"b": 2}', '{"c": 3}'], '{"a":1,"b":2,"c":3}'],
    [['{}', '{}', '{}'], '{}'],
    [['{"a": {"5": 6}}', '{"a": {"3": 4}}', '{"a": {"7": 8}}'], '{"a":{"7":8}}'],
    [['[1, 2]', '[3, 4]', '[5, 6]'], '[1,2,3,4,5,6]'],
    [['null', 'null', 'null'], '[null,null,null]'],
    [['[1, 2]', '{"a": 1}', '4'], '[1,2,{"a":1},4]'],
    [['[]', '[]', '[]'], '[]'],
    [['1', '', '2'], null],
    [['', '1', '1'], null],
    [['', '', ''], null],
    [[null, null, null], null],
  ])('JSON_CONCAT(%j) = %s', (args, out) => {
    expect(call('JSON_CONCAT', args.map(() => v(STRING)), args)).toBe(out);
  });
  it('keeps the position of overwritten keys', () => {
    expect(json.jsonConcat(['{"a": 1, "b": 2}', '{"a": 3}'])).toBe('{"a":3,"b":2}');
    expect(json.jsonConcat(['"x"'])).toBe('"x"');
  });
});

describe('json_keys.json, json_records.json, json_items', () => {
  it.each([
    ['{"Red": 3, "Green": 5}', ['Red', 'Green']], ['{"Black": 2}', ['Black']], ['{}', []], [null, null], ['', null], ['[1]', null],
  ])('JSON_KEYS(%j)', (input, out) => {
    expect(call('JSON_KEYS', [v(STRING)], [input])).toEqual(out);
  });
  it.each([
    ['{"Red": 3, "Green": 5}', new Map([['Red', '3'], ['Green', '5']])],
    ['{"White": "Seven"}', new Map([['White', 'Seven']])],
    ['{"a": {"b": [1, "x"]}, "n": null}', new Map([['a', '{"b":[1,"x"]}'], ['n', 'null']])],
    ['{}', new Map()], [null, null], ['', null],
  ])('JSON_RECORDS(%j)', (input, out) => {
    expect(call('JSON_RECORDS', [v(STRING)], [input])).toEqual(out);
  });
  it('JSON_RECORDS(...)[key] (extract records from a json objects nested)', () => {
    const m = json.jsonRecords('{"Red": 3, "Green": 5}')!;
    expect(m.get('Red')).toBe('3');
    expect(json.jsonRecords('{"Black": 2}')!.get('Red')).toBeUndefined();
  });
  it('JSON_ITEMS', () => {
    expect(call('JSON_ITEMS', [v(STRING)], ['[{"type": "A"}, "b", 1, null]'])).toEqual(['{"type":"A"}', '"b"', '1', 'null']);
    expect(call('JSON_ITEMS', [v(STRING)], ['{}'])).toBeNull();
    expect(call('JSON_ITEMS', [v(STRING)], ['[]'])).toEqual([]);
  });
});

describe('to_json_string.json', () => {
  const cases: [string, SqlType, unknown, string][] = [
    ['INT', INTEGER, 1, '1'],
    ['VARCHAR', STRING, 'abc', '"abc"'],
    ['BOOLEAN', BOOLEAN, true, 'true'],
    ['BIGINT', BIGINT, 123, '123'],
    ['DOUBLE', DOUBLE, 123.456, '123.456'],
    ['DECIMAL', SqlTypes.decimal(6, 3), Decimal.parse('123.456'), '123.456'],
    ['DATE', DATE, 1000, '"1972-09-27"'],
    ['TIMESTAMP', TIMESTAMP, 60220000000, '"1971-11-28T23:46:40.000"'],
    ['ARRAY', SqlTypes.array(INTEGER), [1, 2, 3], '[1,2,3]'],
  ];
  it.each(cases)('convert %s to JSON string', (_n, type, value, out) => {
    expect(call('TO_JSON_STRING', [v(type)], [value])).toBe(out);
    expect(call('TO_JSON_STRING', [v(type)], [null])).toBe('null');
  });
  it('serialises every type', () => {
    const struct = SqlTypes.struct([
      { name: 'Name', type: STRING }, { name: 'N', type: SqlTypes.array(DOUBLE) },
      { name: 'M', type: SqlTypes.map(STRING, SqlTypes.decimal(4, 2)) }, { name: 'MISSING', type: INTEGER },
    ]);
    const value = { Name: 'a"\u0001', N: [1, 1e10, 1e-5, -0, NaN, Infinity], M: new Map([['k', Decimal.parse('1.50')]]), MISSING: null };
    expect(json.toJsonString(value, struct))
      .toBe('{"Name":"a\\"\\u0001","N":[1.0,1.0E10,1.0E-5,-0.0,"NaN","Infinity"],"M":{"k":1.50},"MISSING":null}');
    expect(json.toJsonString(Buffer.from('hi'), BYTES)).toBe('"aGk="');
    expect(json.toJsonString(5500, TIME)).toBe('"00:00:05"');
    expect(json.toJsonString(new Map([[1, true]]), SqlTypes.map(INTEGER, BOOLEAN))).toBe('{"1":true}');
    expect(json.toJsonString(9223372036854775807n, BIGINT)).toBe('9223372036854775807');
    expect(json.toJsonString(Decimal.parse('0.0000001'), SqlTypes.decimal(8, 7))).toBe('1E-7');
    expect(call('TO_JSON_STRING', [v(null)], [null])).toBe('null');
  });
});

describe('Java number formatting', () => {
  it('Double.toString (core\'s formatJavaDouble) in TO_JSON_STRING', () => {
    expect([1, 0.001, 1e-4, 1234567, 1e7, 1.5e300, 123.456, 0.1 + 0.2, Number.MIN_VALUE].map((d) => json.toJsonString(d, DOUBLE)))
      .toEqual(['1.0', '0.001', '1.0E-4', '1234567.0', '1.0E7', '1.5E300', '123.456', '0.30000000000000004', '4.9E-324']);
  });
  it('BigDecimal.toString', () => {
    const s = (t: string): string => { const d = Decimal.parse(t); return javaBigDecimalToString(d.unscaled, d.scale); };
    expect(['1.23450', '0', '0.000001', '0.0000001', '1E2', '1.0E10', '-0.0', '123', '-1.5', '0E+3', '12E-10'].map(s))
      .toEqual(['1.23450', '0', '0.000001', '1E-7', '1E+2', '1.0E+10', '0.0', '123', '-1.5', '0E+3', '1.2E-9']);
  });
});
