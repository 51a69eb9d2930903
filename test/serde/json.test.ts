import { describe, expect, it } from 'vitest';
import { SerdeException } from '../../engine/serde/index.js';
import { SqlTypes as T } from '../../engine/types/sql-type.js';
import { col, dec, serde } from './helpers.js';

const unwrapped = { wrapSingle: false };

describe('JSON values, single column unwrapped (conformance json.json)', () => {
  it('"BOOLEAN - value - anonymous - deserialize"', () => {
    const s = serde([col('V', T.BOOLEAN)], 'JSON', 'value', unwrapped);
    expect(s.read('true')).toEqual([true]);
    expect(s.read('false')).toEqual([false]);
    expect(s.read(null)).toBeNull();
    expect(s.read('null')).toBeNull();
  });

  it('"INT - value - anonymous - serialize"', () => {
    const s = serde([col('V', T.INTEGER)], 'JSON', 'value', unwrapped);
    expect(s.write([123])).toBe('123');
    expect(s.write(null)).toBeNull();
  });

  it('"DOUBLE - value - anonymous - deserialize" / "- serialize"', () => {
    const s = serde([col('V', T.DOUBLE)], 'JSON', 'value', unwrapped);
    expect(s.read('1234.589')).toEqual([1234.589]);
    expect(s.write([9876.54321])).toBe('9876.54321');
  });

  it('"STRING - value - anonymous - deserialize" / "- serialize"', () => {
    const s = serde([col('V', T.STRING)], 'JSON', 'value', unwrapped);
    expect(s.read('"hello"')).toEqual(['hello']);
    expect(s.write(['world'])).toBe('"world"');
  });

  it('"DECIMAL - value - anonymous - deserialize" keeps the declared scale', () => {
    const s = serde([col('V', T.decimal(4, 2))], 'JSON', 'value', unwrapped);
    const [v] = s.read('10.1')!;
    expect(v).toEqual(dec('10.10'));
    expect(s.write([dec('99.99')])).toBe('99.99');
  });

  it('"ARRAY - value - anonymous - deserialize"', () => {
    const s = serde([col('V', T.array(T.DOUBLE))], 'JSON', 'value', unwrapped);
    expect(s.read('[10.1]')).toEqual([[10.1]]);
    expect(s.write([[99.99]])).toBe('[99.99]');
  });

  it('"MAP - value - anonymous - deserialize"', () => {
    const s = serde([col('V', T.map(T.STRING, T.DOUBLE))], 'JSON', 'value', unwrapped);
    expect(s.read('{"a":45.67}')).toEqual([new Map([['a', 45.67]])]);
  });

  it('"deserialize anonymous array - value - with coercion": numbers read into ARRAY<STRING>', () => {
    const s = serde([col('FOO', T.array(T.STRING))], 'JSON', 'value', unwrapped);
    expect(s.read('[1,2,3]')).toEqual([['1', '2', '3']]);
    expect(s.read('["a","b",null]')).toEqual([['a', 'b', null]]);
  });

  it('"serialize anonymous map - value": a null single value is a tombstone', () => {
    const s = serde([col('FOO', T.map(T.STRING, T.DOUBLE))], 'JSON', 'value', unwrapped);
    expect(s.write([new Map([['a', 1.1], ['b', 2.2], ['c', null]])])).toBe('{"a":1.1,"b":2.2,"c":null}');
    expect(s.serialize([null])).toBeNull();
  });

  it('"serialize anonymous struct - value" / "deserialize and serialize unwrapped struct"', () => {
    const s = serde([col('FOO', T.struct([{ name: 'F0', type: T.INTEGER }]))], 'JSON', 'value', unwrapped);
    expect(s.write([{ F0: 1 }])).toBe('{"F0":1}');
    expect(s.write([{ F0: null }])).toBe('{"F0":null}');
    expect(s.read('{"f0":1}')).toEqual([{ F0: 1 }]);
  });
});

describe('JSON values, wrapped (conformance json.json, joins.json, key-schemas.json)', () => {
  it('"deserialize nested array - value" / "deserialize nested map - value"', () => {
    const a = serde([col('FOO', T.array(T.STRING))], 'JSON');
    expect(a.read('{"FOO":["a","b",null]}')).toEqual([['a', 'b', null]]);
    expect(a.read('{"FOO":null}')).toEqual([null]);
    expect(a.read('null')).toBeNull();
    const m = serde([col('FOO', T.map(T.STRING, T.INTEGER))], 'JSON');
    expect(m.read('{"FOO":{"a":1,"b":2,"c":null}}')).toEqual([new Map<string, unknown>([['a', 1], ['b', 2], ['c', null]])]);
  });

  it('"serialize nested primitive - value" writes exact column names in column order', () => {
    const s = serde([col('FOO', T.BOOLEAN)], 'JSON');
    expect(s.write([true])).toBe('{"FOO":true}');
    expect(s.write([null])).toBe('{"FOO":null}');
    const two = serde([col('ID', T.BIGINT), col('KEY', T.STRING)], 'JSON');
    expect(two.write([1, 'a'])).toBe('{"ID":1,"KEY":"a"}');
  });

  it('"stream implicit KAFKA STRING KEY": lower-case JSON names match upper-case columns', () => {
    const s = serde([col('ID', T.BIGINT)], 'JSON');
    expect(s.read('{"id":1}')).toEqual([1]);
  });

  it('"stream to stream wrapped single field value schema on inputs": unknown fields ignored, missing → null', () => {
    const s = serde([col('NAME', T.STRING)], 'JSON');
    expect(s.read('{"ID":null}')).toEqual([null]);
  });

  it('exact name wins over the case-insensitive match; quoted lower-case names need an exact match', () => {
    const s = serde([col('FOO', T.INTEGER), col('bar', T.INTEGER)], 'JSON');
    expect(s.read('{"foo":1,"FOO":2,"BAR":3}')).toEqual([2, null]);
    expect(s.read('{"Foo":1,"bar":3}')).toEqual([1, 3]);
    // an explicit null does not fall back to other spellings (Jackson returns NullNode)
    expect(s.read('{"FOO":null,"foo":1}')).toEqual([null, null]);
  });

  it('column and field names that are Object.prototype members', () => {
    const s = serde([col('constructor', T.INTEGER), col('__proto__', T.STRING), col('toString', T.STRING)], 'JSON');
    expect(s.read('{}')).toEqual([null, null, null]);
    expect(s.read('{"constructor":1,"__proto__":"p","toString":"t"}')).toEqual([1, 'p', 't']);
    expect(s.write([1, 'p', null])).toBe('{"constructor":1,"__proto__":"p","toString":null}');
    const st = serde([col('S', T.struct([{ name: 'constructor', type: T.INTEGER }, { name: '__proto__', type: T.INTEGER }]))], 'JSON');
    const [v] = st.read('{"S":{"__proto__":5}}')!;
    expect(Object.keys(v as object)).toEqual(['constructor', '__proto__']);
    expect((v as Record<string, unknown>)['constructor']).toBeNull();
    expect(st.write([v])).toBe('{"S":{"constructor":null,"__proto__":5}}');
  });

  it('"Null row filter" (project-filter.json): numbers and booleans read into MAP<STRING, STRING>', () => {
    const s = serde([col('ID', T.BIGINT), col('THING', T.map(T.STRING, T.STRING))], 'JSON');
    expect(s.read('{"id":1,"thing":{"other":11,"status":false}}')).toEqual([1, new Map([['other', '11'], ['status', 'false']])]);
  });

  it('"simple struct read struct as json string" (simple-struct.json): an object read into STRING', () => {
    const s = serde([col('ITEMID', T.STRING)], 'JSON');
    expect(s.read('{"ITEMID":{"ITEMID":6,"CATEGORY":{"ID":2,"NAME":"Food"},"NAME":"Item_6"}}'))
      .toEqual(['{"ITEMID":6,"CATEGORY":{"ID":2,"NAME":"Food"},"NAME":"Item_6"}']);
  });

  it('"array equality" (binary-comparison.json): 2.0 read into ARRAY<INT>', () => {
    const s = serde([col('C', T.array(T.INTEGER))], 'JSON');
    expect(s.read('{"C":[1,2.0]}')).toEqual([[1, 2]]);
  });

  it('"multiple expressions - KAFKA to non-KAFKA key format" (group-by.json): strings read into INT and DECIMAL', () => {
    const s = serde([col('F2', T.INTEGER), col('F3', T.decimal(2, 1))], 'JSON');
    expect(s.read('{"f2":"2","f3":"4"}')).toEqual([2, dec('4.0')]);
  });

  it('"bytes in complex types" (bytes.json): BYTES as base64 in struct, array and map', () => {
    const s = serde([
      col('S', T.struct([{ name: 'B', type: T.BYTES }])), col('A', T.array(T.BYTES)), col('M', T.map(T.STRING, T.BYTES)),
    ], 'JSON');
    const row = s.read('{"S":{"B":"ew=="},"A":["ew==","ew=="],"M":{"B":"ew=="}}')!;
    const b = Buffer.from([0x7b]);
    expect(row).toEqual([{ B: b }, [b, b], new Map([['B', b]])]);
    expect(s.write(row)).toBe('{"S":{"B":"ew=="},"A":["ew==","ew=="],"M":{"B":"ew=="}}');
  });

  it('"ln" (math.json) and correlation-udaf.json: NaN and -Infinity are written as strings', () => {
    const s = serde([col('I', T.DOUBLE), col('L', T.DOUBLE), col('D', T.DOUBLE)], 'JSON');
    expect(s.write([NaN, -Infinity, 0.6931471805599453])).toBe('{"I":"NaN","L":"-Infinity","D":0.6931471805599453}');
    expect(s.read('{"I":"NaN","L":"-Infinity","D":"1.5"}')).toEqual([NaN, -Infinity, 1.5]);
  });

  it('doubles are written like Java: 1.0, 1.0E10, 1.0E-4, -0.0', () => {
    const s = serde([col('A', T.array(T.DOUBLE))], 'JSON');
    expect(s.write([[1, 1e10, 1e-4, -0, 0.5]])).toBe('{"A":[1.0,1.0E10,1.0E-4,-0.0,0.5]}');
    expect(s.read('{"A":[1,2]}')).toEqual([[1, 2]]);
  });

  it('"JSON in/out" (time.json) and TIMESTAMP/DATE as numbers', () => {
    const s = serde([col('TIME', T.TIME), col('TS', T.TIMESTAMP), col('D', T.DATE)], 'JSON');
    expect(s.read('{"time":10,"ts":1528224275715,"d":-10}')).toEqual([10, 1528224275715, -10]);
    expect(s.write([10, 1528224275715, -10])).toBe('{"TIME":10,"TS":1528224275715,"D":-10}');
    expect(s.read('{"ts":"1000"}')).toEqual([null, 1000, null]);
    expect(() => s.read('{"time":86400001}')).toThrow(/Time values must use number of milliseconds/);
  });

  it('nested structs read case-insensitively and written in schema order', () => {
    const t = T.struct([{ name: 'B', type: T.INTEGER }, { name: 'A', type: T.struct([{ name: 'X', type: T.STRING }]) }]);
    const s = serde([col('S', t)], 'JSON');
    const row = s.read('{"s":{"a":{"x":"v","y":1},"z":3}}')!;
    expect(row).toEqual([{ B: null, A: { X: 'v' } }]);
    expect(s.write(row)).toBe('{"S":{"B":null,"A":{"X":"v"}}}');
  });
});

describe('JSON numbers and coercion', () => {
  it('"DECIMAL - key" (json.json): decimal read exactly and fitted to the type scale', () => {
    const s = serde([col('K', T.decimal(6, 4))], 'JSON', 'key');
    const row = s.read('12.365')!;
    expect(row).toEqual([dec('12.3650')]);
    expect(s.write(row)).toBe('12.3650');
  });

  it('"JSON scale in data less than scale in type" (decimal.json): 10 into DECIMAL(6,4) is 10.0000', () => {
    const s = serde([col('DEC', T.decimal(6, 4))], 'JSON');
    for (const [input, out] of [['10', '10.0000'], ['1', '1.0000'], ['0.1', '0.1000'], ['0.0001', '0.0001']]) {
      const row = s.read(`{"DEC":${input}}`)!;
      expect(row).toEqual([dec(out!)]);
      expect(s.write(row)).toBe(`{"DEC":${out}}`);
    }
  });

  it('"JSON in/out" (decimal.json): DECIMAL(21,19) keeps every digit', () => {
    const s = serde([col('DEC', T.decimal(21, 19))], 'JSON');
    expect(s.write(s.read('{"DEC":10.123451234512345}'))).toBe('{"DEC":10.1234512345123450000}');
  });

  it('decimals: strings accepted; overflow and rounding rejected like DecimalUtil.ensureFit', () => {
    const s = serde([col('D', T.decimal(4, 2))], 'JSON');
    expect(s.read('{"D":"12.5"}')).toEqual([dec('12.50')]);
    expect(() => s.read('{"D":123.4}')).toThrow(/Numeric field overflow/);
    expect(() => s.read('{"D":1.234}')).toThrow(/Cannot fit decimal '1.234' into DECIMAL\(4, 2\) without rounding/);
    expect(() => s.read('{"D":true}')).toThrow(SerdeException);
  });

  it('small decimals are written as Java BigDecimal.toString does', () => {
    const s = serde([col('D', T.decimal(10, 8))], 'JSON');
    expect(s.write([dec('0.00000010')])).toBe('{"D":1.0E-7}');
    expect(s.write([dec('0')])).toBe('{"D":0E-8}');
  });

  it('"BIGINT - key" (json.json): integers beyond 2^53 are exact', () => {
    const s = serde([col('K', T.BIGINT)], 'JSON', 'key');
    expect(s.read('998877665544332200')).toEqual([998877665544332200n]);
    expect(s.write([998877665544332200n])).toBe('998877665544332200');
    expect(s.read('9007199254740993')).toEqual([9007199254740993n]);
    expect(s.read('9223372036854775807')).toEqual([9223372036854775807n]);
    expect(s.read('12')).toEqual([12]);
    expect(s.read('"-9223372036854775808"')).toEqual([-9223372036854775808n]);
  });

  it('big integers anywhere they matter are read exactly (fast path retried with the exact parser)', () => {
    const s = serde([col('M', T.map(T.STRING, T.BIGINT)), col('S', T.STRING), col('A', T.array(T.STRING)), col('D', T.DOUBLE)], 'JSON');
    expect(s.read('{"M":{"a":9007199254740993},"S":{"id":12345678901234567890,"x":[1.5]},"A":[9007199254740993],"D":9007199254740993}'))
      .toEqual([new Map([['a', 9007199254740993n]]), '{"id":12345678901234567890,"x":[1.5]}', ['9007199254740993'], 9007199254740992]);
    // fraction digits do not matter, nor do big numbers in fields that are not read
    expect(s.read('{"D":3.8688222734507915,"other":123456789012345678901234}')).toEqual([null, null, null, 3.8688222734507915]);
  });

  it('alternating big and small integers stay exact whichever parser runs', () => {
    const s = serde([col('L', T.BIGINT), col('D', T.DOUBLE)], 'JSON');
    for (let i = 0; i < 600; i++) {
      const big = i % 7 === 0;
      const text = big ? `{"L":${9007199254740993n + BigInt(i)},"D":0.1}` : `{"L":${i},"D":1.5}`;
      expect(s.read(text)).toEqual(big ? [9007199254740993n + BigInt(i), 0.1] : [i, 1.5]);
    }
  });

  it('numbers narrow like Java intValue()/longValue(): truncation toward zero, 32/64-bit wrap', () => {
    const s = serde([col('I', T.INTEGER), col('L', T.BIGINT)], 'JSON');
    expect(s.read('{"I":1.9,"L":-1.9}')).toEqual([1, -1]);
    expect(s.read('{"I":2147483648,"L":1e3}')).toEqual([-2147483648, 1000]);
    expect(s.read('{"I":12345678901234567890,"L":18446744073709551617}')).toEqual([-350287150, 1]);
  });

  it('numbers read into STRING print like Jackson', () => {
    const s = serde([col('S', T.STRING)], 'JSON');
    expect(s.read('{"S":12}')).toEqual(['12']);
    expect(s.read('{"S":1.50}')).toEqual(['1.5']);
    expect(s.read('{"S":1e-7}')).toEqual(['1E-7']);
    expect(s.read('{"S":true}')).toEqual(['true']);
    expect(s.read('{"S":["a",1,null,{"b":2}]}')).toEqual(['[a,1,null,{"b":2}]']);
    expect(s.read('{"S":12345678901234567890}')).toEqual(['12345678901234567890']);
  });

  it('strings coerce to numbers with Java parsers; other mismatches fail with ksqlDB-like messages', () => {
    const s = serde([col('I', T.INTEGER), col('D', T.DOUBLE), col('B', T.BOOLEAN)], 'JSON');
    expect(s.read('{"I":"12","D":"1.5e3"}')).toEqual([12, 1500, null]);
    expect(() => s.read('{"I":"1.5"}')).toThrow("Can't coerce string to type. targetType: INTEGER, path: $.I");
    expect(() => s.read('{"B":"true"}')).toThrow("Can't convert type. sourceType: TextNode, requiredType: BOOLEAN, path: $.B");
    expect(() => s.read('{"D":[1]}')).toThrow(/sourceType: ArrayNode, requiredType: DOUBLE/);
    const nested = serde([col('A', T.array(T.struct([{ name: 'X', type: T.INTEGER }])))], 'JSON');
    expect(() => nested.read('{"A":[{"X":1},{"X":"no"}]}')).toThrow(/path: \$\.A\[1\]\.X/);
  });

  it('a non-object document for a wrapped row fails; malformed JSON fails', () => {
    const s = serde([col('V', T.INTEGER)], 'JSON');
    expect(() => s.read('5')).toThrow(/sourceType: IntNode, requiredType: STRUCT<`V` INTEGER>/);
    expect(() => s.read('{"V":')).toThrow(SerdeException);
    expect(() => s.read('')).toThrow(SerdeException);
    expect(() => s.read('{"V":1}')).not.toThrow();
  });

  it('a UTF-8 byte order mark is skipped', () => {
    const s = serde([col('V', T.INTEGER)], 'JSON');
    expect(s.deserialize(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"V":1}')]))).toEqual([1]);
  });

  it('error messages name the topic', () => {
    const s = serde([col('V', T.INTEGER)], 'JSON');
    expect(() => s.read('[')).toThrow(/^Failed to deserialize value from topic: t\. /);
  });

  it('BYTES: bad base64 fails', () => {
    const s = serde([col('B', T.BYTES)], 'JSON');
    expect(() => s.read('{"B":"not base64!"}')).toThrow(/requiredType: BYTES/);
    expect(() => s.read('{"B":12}')).toThrow(/requiredType: BYTES/);
  });

  it('serialize rejects values of the wrong runtime type', () => {
    const s = serde([col('I', T.INTEGER)], 'JSON');
    expect(() => s.write(['1'])).toThrow(SerdeException);
    expect(() => s.write([1.5])).toThrow(SerdeException);
  });
});

describe('JSON keys (conformance multi-col-keys.json, json.json)', () => {
  it('a single key column is unwrapped by default', () => {
    const s = serde([col('K', T.STRING)], 'JSON', 'key');
    expect(s.write(['hello'])).toBe('"hello"');
    expect(s.read('"hello"')).toEqual(['hello']);
    expect(s.serialize([null])).toBeNull();
  });

  it('"ARRAY - key"', () => {
    const s = serde([col('K', T.array(T.DOUBLE))], 'JSON', 'key');
    expect(s.read('[10.1]')).toEqual([[10.1]]);
    expect(s.write([[10.1]])).toBe('[10.1]');
  });

  it('"select * from stream": several key columns are an object', () => {
    const s = serde([col('K', T.INTEGER), col('K2', T.INTEGER)], 'JSON', 'key');
    expect(s.read('{"K":1,"K2":2}')).toEqual([1, 2]);
    expect(s.read('{"K":null,"K2":2}')).toEqual([null, 2]);
    expect(s.read(null)).toBeNull();
    expect(s.write([1, 2])).toBe('{"K":1,"K2":2}');
    expect(s.write([null, 2])).toBe('{"K":null,"K2":2}');
  });

  it('"struct as column in multi-column key"', () => {
    const s = serde([col('K', T.INTEGER), col('K2', T.struct([{ name: 'F1', type: T.INTEGER }]))], 'JSON', 'key');
    expect(s.read('{"K":1,"K2":{"F1":2}}')).toEqual([1, { F1: 2 }]);
    expect(s.write([1, { F1: 2 }])).toBe('{"K":1,"K2":{"F1":2}}');
  });

  it('wrapSingle=true wraps a single key column', () => {
    const s = serde([col('K', T.INTEGER)], 'JSON', 'key', { wrapSingle: true });
    expect(s.write([1])).toBe('{"K":1}');
  });
});
