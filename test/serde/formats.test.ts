import { describe, expect, it } from 'vitest';
import {
  compileJsonCoercer, createSerde, deserializeSessionWindowedKey, parseJsonExact, SerdeException, deserializeWindowedKey, FormatException, registeredFormats,
  serializeSessionWindowedKey, serializeWindowedKey, validateFormat, type FormatSpec, type SerdeColumn,
} from '../../engine/serde/index.js';
import { KsqlException } from '../../engine/errors/index.js';
import { SqlTypes as T } from '../../engine/types/sql-type.js';
import { col, serde } from './helpers.js';

describe('KAFKA (conformance kafka.json, key-schemas.json, bytes.json)', () => {
  it('INTEGER is 4 bytes big-endian', () => {
    const s = serde([col('K', T.INTEGER)], 'KAFKA', 'key');
    expect(s.serialize([1])).toEqual(Buffer.from([0, 0, 0, 1]));
    expect(s.serialize([-2])).toEqual(Buffer.from([0xff, 0xff, 0xff, 0xfe]));
    expect(s.deserialize(Buffer.from([0x80, 0, 0, 0]))).toEqual([-2147483648]);
  });

  it('BIGINT is 8 bytes big-endian, exact beyond 2^53', () => {
    const s = serde([col('K', T.BIGINT)], 'KAFKA', 'key');
    for (const v of [0, 1, -1, 2 ** 40 + 3, -(2 ** 52), 9007199254740991, 9223372036854775807n, -9223372036854775808n, 9007199254740993n]) {
      const b = s.serialize([v])!;
      expect(b.length).toBe(8);
      expect(b.readBigInt64BE(0)).toBe(BigInt(v));
      expect(s.deserialize(b)).toEqual([v]);
    }
  });

  it('DOUBLE is 8-byte IEEE 754, STRING UTF-8, BYTES raw ("KAFKA in/out")', () => {
    const d = serde([col('V', T.DOUBLE)], 'KAFKA');
    expect(d.deserialize(d.serialize([-0.5]))).toEqual([-0.5]);
    expect(d.serialize([1])!.readDoubleBE(0)).toBe(1);
    const s = serde([col('V', T.STRING)], 'KAFKA');
    expect(s.serialize(['bär'])).toEqual(Buffer.from('bär', 'utf8'));
    expect(s.deserialize(Buffer.alloc(0))).toEqual(['']);
    const b = serde([col('B', T.BYTES)], 'KAFKA');
    const raw = Buffer.from('variations');
    expect(b.serialize([raw])).toEqual(raw);
    expect(b.deserialize(raw)).toEqual([raw]);
  });

  it('null values are null bytes, and null bytes are null rows', () => {
    const s = serde([col('V', T.INTEGER)], 'KAFKA');
    expect(s.serialize([null])).toBeNull();
    expect(s.serialize(null)).toBeNull();
    expect(s.deserialize(null)).toBeNull();
  });

  it('wrong sizes fail like Kafka\'s deserializers', () => {
    expect(() => serde([col('V', T.INTEGER)], 'KAFKA').deserialize(Buffer.alloc(3))).toThrow('Size of data received by IntegerDeserializer is not 4');
    expect(() => serde([col('V', T.BIGINT)], 'KAFKA').deserialize(Buffer.alloc(4))).toThrow('Size of data received by LongDeserializer is not 8');
    expect(() => serde([col('V', T.DOUBLE)], 'KAFKA').deserialize(Buffer.alloc(9))).toThrow('Size of data received by DoubleDeserializer is not 8');
  });

  it('"in CSAS from keyless stream" (none.json): no columns → bytes ignored, nothing written', () => {
    const s = serde([], 'KAFKA', 'key');
    expect(s.deserialize(Buffer.from('ignored'))).toEqual([]);
    expect(s.serialize([])).toBeNull();
  });
});

describe('NONE (conformance none.json)', () => {
  it('"as key format of keyless stream": data is ignored', () => {
    const s = serde([], 'NONE', 'key');
    expect(s.deserialize(Buffer.from('data that should be ignored'))).toEqual([]);
    expect(s.deserialize(null)).toBeNull();
    expect(s.serialize([])).toBeNull();
  });
});

describe('createSerde', () => {
  it('implements every format', () => {
    expect([...registeredFormats()].sort()).toEqual(['AVRO', 'DELIMITED', 'JSON', 'JSON_SR', 'KAFKA', 'NONE', 'PROTOBUF', 'PROTOBUF_NOSR']);
  });

  it('rejects an unknown format', () => {
    expect(() => createSerde([col('V', T.INTEGER)], { format: 'XML' as never }, 'value')).toThrow(KsqlException);
  });

  it('"invalid value format - create source"', () => {
    expect(() => createSerde([], { format: 'FOO' as FormatSpec['format'] }, 'value')).toThrow('Unknown format: FOO');
  });
});

describe('windowed keys (Kafka Streams layout)', () => {
  it('time windows: inner ++ int64BE(start); end derived from the size', () => {
    const inner = Buffer.from('key');
    const b = serializeWindowedKey(inner, 1_600_000_000_000);
    expect(b.length).toBe(11);
    expect(b.subarray(0, 3)).toEqual(inner);
    expect(b.readBigInt64BE(3)).toBe(1_600_000_000_000n);
    expect(deserializeWindowedKey(b)).toEqual({ inner, start: 1_600_000_000_000 });
    expect(deserializeWindowedKey(b, 30_000)).toEqual({ inner, start: 1_600_000_000_000, end: 1_600_000_030_000 });
  });

  it('session windows: inner ++ int64BE(end) ++ int64BE(start)', () => {
    const inner = Buffer.from([0, 0, 0, 7]);
    const b = serializeSessionWindowedKey(inner, 10, 25);
    expect(b.readBigInt64BE(4)).toBe(25n);
    expect(b.readBigInt64BE(12)).toBe(10n);
    expect(deserializeSessionWindowedKey(b)).toEqual({ inner, start: 10, end: 25 });
  });

  it('a null inner key is empty; short input fails', () => {
    expect(serializeWindowedKey(null, 0).length).toBe(8);
    expect(() => deserializeWindowedKey(Buffer.alloc(7))).toThrow(RangeError);
    expect(() => deserializeSessionWindowedKey(Buffer.alloc(15))).toThrow(RangeError);
  });
});

describe('validateFormat (messages from the conformance cases)', () => {
  const fails = (columns: SerdeColumn[], spec: FormatSpec, role: 'key' | 'value', message: string): void => {
    expect(() => validateFormat(columns, spec, role)).toThrow(FormatException);
    expect(() => validateFormat(columns, spec, role)).toThrow(message);
  };

  it('"create stream explicit unsupported KEY type" (key-schemas.json)', () => {
    fails([col('K', T.BOOLEAN)], { format: 'KAFKA' }, 'key',
      "Key format does not support schema.\nformat: KAFKA\nschema: Persistence{columns=[`K` BOOLEAN KEY], features=[]}\nreason: The 'KAFKA' format does not support type 'BOOLEAN'");
  });

  it('"multiple expressions - KAFKA to non-supported decimal key format…" (group-by.json)', () => {
    fails([col('KEY', T.decimal(2, 1))], { format: 'KAFKA' }, 'key',
      "Key format does not support schema.\nformat: KAFKA\nschema: Persistence{columns=[`KEY` DECIMAL(2, 1) KEY], features=[]}\nreason: The 'KAFKA' format does not support type 'DECIMAL'");
  });

  it('"multiple columns" (partition-by.json): KAFKA supports one column', () => {
    fails([col('ID', T.INTEGER), col('AGE', T.INTEGER)], { format: 'KAFKA' }, 'key',
      "reason: The 'KAFKA' format only supports a single field. Got: [`ID` INTEGER KEY, `AGE` INTEGER KEY]");
  });

  it('"STRUCT - C* - value", "ARRAY - C*AS - value" (kafka.json)', () => {
    fails([col('FOO', T.struct([{ name: 'F1', type: T.DOUBLE }]))], { format: 'KAFKA' }, 'value', "The 'KAFKA' format does not support type 'STRUCT'");
    fails([col('KSQL_COL_0', T.array(T.INTEGER))], { format: 'KAFKA' }, 'value', "The 'KAFKA' format does not support type 'ARRAY'");
  });

  it('"MAP - C* - key" (kafka.json), "nested MAP type - key - C*" (json.json)', () => {
    fails([col('K', T.map(T.INTEGER, T.DOUBLE))], { format: 'KAFKA' }, 'key',
      'Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due to inconsistent serialization. Key column name: `K`. Column type: MAP<INTEGER, DOUBLE>. See https://github.com/confluentinc/ksql/issues/6621 for more.');
    fails([col('K', T.array(T.map(T.INTEGER, T.DOUBLE)))], { format: 'JSON' }, 'key',
      'Key column name: `K`. Column type: ARRAY<MAP<INTEGER, DOUBLE>>.');
    fails([col('KSQL_COL_0', T.struct([{ name: 'F', type: T.map(T.STRING, T.STRING) }]))], { format: 'JSON' }, 'key',
      'Column type: STRUCT<`F` MAP<STRING, STRING>>.');
  });

  it('"STRUCT - C* - key", "ARRAY - C* - value", "MAP - C*AS - value" (delimited.json), "Struct key used in aggregate expression" (group-by.json)', () => {
    fails([col('K', T.struct([{ name: 'F1', type: T.DOUBLE }]))], { format: 'DELIMITED' }, 'key', "The 'DELIMITED' format does not support type 'STRUCT'");
    fails([col('FOO', T.array(T.INTEGER))], { format: 'DELIMITED' }, 'value', "The 'DELIMITED' format does not support type 'ARRAY'");
    fails([col('KSQL_COL_0', T.map(T.INTEGER, T.DOUBLE))], { format: 'DELIMITED' }, 'value', "The 'DELIMITED' format does not support type 'MAP'");
    fails([col('ROWKEY', T.struct([{ name: 'F1', type: T.INTEGER }]))], { format: 'DELIMITED' }, 'value', "The 'DELIMITED' format does not support type 'STRUCT', column: `ROWKEY`");
  });

  it('"as key format of keyed stream", "as value format with value columns" (none.json)', () => {
    fails([col('K', T.STRING)], { format: 'NONE' }, 'key', "The 'NONE' format can only be used when no columns are defined. Got: [`K` STRING KEY]");
    fails([col('FOO', T.INTEGER)], { format: 'NONE' }, 'value', "The 'NONE' format can only be used when no columns are defined. Got: [`FOO` INTEGER]");
    expect(() => validateFormat([], { format: 'NONE' }, 'key')).not.toThrow();
  });

  it('"map with non-string keys - C*" (json.json)', () => {
    fails([col('FOO', T.map(T.INTEGER, T.DOUBLE))], { format: 'JSON' }, 'value', 'JSON only supports MAP types with STRING keys');
  });

  it('WRAP_SINGLE_VALUE: "Wrapped single values" (kafka.json), "deserialize DELIMITED with WRAP_SINGLE_VALUE true", serdes.json', () => {
    fails([col('FOO', T.INTEGER)], { format: 'KAFKA', wrapSingle: true }, 'value', "Format 'KAFKA' does not support 'WRAP_SINGLE_VALUE' set to 'true'.");
    fails([col('FOO', T.INTEGER)], { format: 'DELIMITED', wrapSingle: true }, 'value', "Format 'DELIMITED' does not support 'WRAP_SINGLE_VALUE' set to 'true'.");
    fails([col('FOO', T.INTEGER)], { format: 'PROTOBUF', wrapSingle: false }, 'value', "Format 'PROTOBUF' does not support 'WRAP_SINGLE_VALUE' set to 'false'.");
    fails([col('F0', T.STRING), col('F1', T.STRING)], { format: 'JSON', wrapSingle: true }, 'value', "'WRAP_SINGLE_VALUE' is only valid for single-field value schemas");
    fails([col('F0', T.STRING), col('F1', T.STRING)], { format: 'JSON', wrapSingle: false }, 'value', "'WRAP_SINGLE_VALUE' is only valid for single-field value schemas");
    for (const format of ['KAFKA', 'DELIMITED', 'JSON'] as const) {
      expect(() => validateFormat([col('FOO', T.INTEGER)], { format, wrapSingle: false }, 'value')).not.toThrow();
    }
  });

  it('format properties: "JSON does not support the following configs"; DELIMITED takes delimiter', () => {
    fails([col('V', T.INTEGER)], { format: 'JSON', properties: { fullSchemaName: 'x' } }, 'value', 'JSON does not support the following configs: [fullSchemaName]');
    expect(() => validateFormat([col('V', T.INTEGER)], { format: 'DELIMITED', properties: { delimiter: '|' } }, 'value')).not.toThrow();
  });

  it('"invalid value format - create source" (formats.json)', () => {
    fails([], { format: 'FOO' as FormatSpec['format'] }, 'value', 'Unknown format: FOO');
  });

  it('accepts what the formats support', () => {
    for (const t of [T.INTEGER, T.BIGINT, T.DOUBLE, T.STRING, T.BYTES]) {
      expect(() => validateFormat([col('K', t)], { format: 'KAFKA' }, 'key')).not.toThrow();
    }
    expect(() => validateFormat([col('K', T.decimal(4, 2)), col('T', T.TIMESTAMP)], { format: 'DELIMITED' }, 'value')).not.toThrow();
    expect(() => validateFormat([col('K', T.struct([{ name: 'A', type: T.array(T.INTEGER) }]))], { format: 'JSON' }, 'key')).not.toThrow();
  });
});

describe('compileJsonCoercer (for tools turning JSON test data into rows)', () => {
  it('coerces like the JSON deserializer', () => {
    expect(compileJsonCoercer(T.DOUBLE)(3)).toBe(3);
    expect(compileJsonCoercer(T.BYTES)('dmFyaWF0aW9ucw==')).toEqual(Buffer.from('variations'));
    expect(compileJsonCoercer(T.BIGINT)(parseJsonExact('9223372036854775807'))).toBe(9223372036854775807n);
    expect(compileJsonCoercer(T.decimal(4, 2))(parseJsonExact('1.5'))?.toString()).toBe('1.50');
    expect(compileJsonCoercer(T.STRING)(null)).toBeNull();
    expect(() => compileJsonCoercer(T.BIGINT)(2 ** 60)).toThrow(/parseJsonExact/);
    expect(() => compileJsonCoercer(T.struct([{ name: 'A', type: T.INTEGER }]))({ a: 'x' })).toThrow(SerdeException);
    expect(() => compileJsonCoercer(T.struct([{ name: 'A', type: T.INTEGER }]))({ a: 'x' })).toThrow('path: $.A');
  });
});
