/** The schema-registry formats' wire format, generated schemas, schema evolution on read and errors. */
import { describe, expect, it } from 'vitest';
import { createSerde, validateFormat, unframe, frame, schemaFormat } from '../../engine/serde/index.js';
import { decodeIndexes, encodeIndexes } from '../../engine/serde/protobuf.js';
import { InMemorySchemaRegistry } from '../../engine/schema/memory-registry.js';
import { parseAvroSchema } from '../../engine/schema/avro-types.js';
import { Decimal } from '../../engine/types/decimal.js';
import { SqlTypes as T, type StructType } from '../../engine/types/sql-type.js';

const col = (name: string, type: ReturnType<typeof T.decimal> | typeof T.INTEGER) => ({ name, type });

describe('AVRO', () => {
  it('writes the Confluent frame with the id of the schema it registers under <topic>-value', () => {
    const sr = new InMemorySchemaRegistry();
    const s = createSerde([col('ID', T.INTEGER), col('PRICE', T.decimal(4, 2))], { format: 'AVRO' }, 'value', { topic: 'orders', schemaRegistry: sr });
    const bytes = s.serialize([7, Decimal.parse('12.50')])!;
    expect(bytes[0]).toBe(0);
    const { id } = unframe(bytes);
    expect(sr.getLatest('orders-value')?.id).toBe(id);
    const schema = JSON.parse(sr.getById(id)!.schema);
    expect(schema).toMatchObject({
      type: 'record', name: 'KsqlDataSourceSchema', namespace: 'io.confluent.ksql.avro_schemas',
      fields: [
        { name: 'ID', type: ['null', 'int'], default: null },
        { name: 'PRICE', type: ['null', { type: 'bytes', logicalType: 'decimal', precision: 4, scale: 2 }], default: null },
      ],
    });
    expect(s.deserialize(bytes)).toEqual([7, Decimal.parse('12.50')]);
  });

  it('names the record by the full schema name and writes maps as MapEntry arrays', () => {
    const sr = new InMemorySchemaRegistry();
    const s = createSerde([{ name: 'M', type: T.map(T.STRING, T.INTEGER) }], { format: 'AVRO', properties: { fullSchemaName: 'com.acme.Thing' } }, 'value', { topic: 't', schemaRegistry: sr });
    const bytes = s.serialize([new Map([['a', 1]])])!;
    const schema = JSON.parse(sr.getById(unframe(bytes).id)!.schema);
    expect(schema).toMatchObject({ name: 'Thing', namespace: 'com.acme' });
    expect(schema.fields[0].type[1]).toMatchObject({ type: 'array', items: { type: 'record', 'connect.internal.type': 'MapEntry' } });
    expect(s.deserialize(bytes)).toEqual([new Map([['a', 1]])]);
  });

  it('reads with the writer schema: fields by name (case-insensitive), missing ones null, int widened', () => {
    const sr = new InMemorySchemaRegistry();
    const writer = { type: 'record', name: 'W', fields: [{ name: 'extra', type: 'string' }, { name: 'amount', type: 'int' }, { name: 'when', type: { type: 'long', logicalType: 'timestamp-millis' } }] };
    const id = sr.register('t-value', { schemaType: 'AVRO', schema: JSON.stringify(writer) });
    const payload = parseAvroSchema(sr.getById(id)!, sr).type.toBuffer({ extra: 'x', amount: 5, when: 1000n });
    const s = createSerde([{ name: 'AMOUNT', type: T.BIGINT }, { name: 'WHEN', type: T.TIMESTAMP }, { name: 'GONE', type: T.STRING }], { format: 'AVRO' }, 'value', { topic: 't', schemaRegistry: sr });
    expect(s.deserialize(frame(id, payload))).toEqual([5, 1000, null]);
  });

  it('rejects bytes without the magic byte and unknown ids', () => {
    const s = createSerde([col('ID', T.INTEGER)], { format: 'AVRO' }, 'value', { topic: 't', schemaRegistry: new InMemorySchemaRegistry() });
    expect(() => s.deserialize(Buffer.from('{"ID":1}'))).toThrow(/Unknown magic byte/);
    expect(() => s.deserialize(frame(99, Buffer.from([2])))).toThrow(/Schema 99 not found/);
  });

  it('reports ksqlDB\'s schema errors', () => {
    expect(() => validateFormat([{ name: 'M', type: T.map(T.INTEGER, T.STRING) }], { format: 'AVRO' }, 'value')).toThrow(/Avro only supports MAPs with STRING keys/);
    expect(() => validateFormat([{ name: '1abc', type: T.INTEGER }], { format: 'AVRO' }, 'value'))
      .toThrow(/Schema is not compatible with Avro: Illegal initial character: 1abc/);
    expect(() => validateFormat([{ name: 'V', type: T.INTEGER }], { format: 'JSON', properties: { fullSchemaName: 'x' } }, 'value'))
      .toThrow('JSON does not support the following configs: [fullSchemaName]');
  });

  it('writes with a registered schema given by id (schemaId), using field defaults', () => {
    const sr = new InMemorySchemaRegistry();
    const id = sr.register('out-value', { schemaType: 'AVRO', schema: JSON.stringify({ type: 'record', name: 'R', fields: [{ name: 'c1', type: 'int' }, { name: 'c2', type: 'int', default: 100 }] }) }, { id: 42 });
    const s = createSerde([{ name: 'c1', type: T.INTEGER }], { format: 'AVRO', properties: { schemaId: '42' }, wrapSingle: true }, 'value', { topic: 'out', schemaRegistry: sr });
    const bytes = s.serialize([4])!;
    expect(unframe(bytes).id).toBe(id);
    expect(parseAvroSchema(sr.getById(id)!, sr).type.fromBuffer(unframe(bytes).payload)).toMatchObject({ c1: 4, c2: 100 });
    // a null for a non-nullable field with a default is written as the default
    const both = createSerde([{ name: 'c1', type: T.INTEGER }, { name: 'c2', type: T.INTEGER }], { format: 'AVRO', properties: { schemaId: '42' } }, 'value', { topic: 'out', schemaRegistry: sr });
    expect(both.deserialize(both.serialize([5, null]))).toEqual([5, 100]);
  });
});

describe('JSON_SR', () => {
  it('is JSON text after the frame, with a Connect-annotated JSON schema', () => {
    const sr = new InMemorySchemaRegistry();
    const s = createSerde([col('ID', T.INTEGER)], { format: 'JSON_SR' }, 'value', { topic: 't', schemaRegistry: sr });
    const bytes = s.serialize([3])!;
    const { id, payload } = unframe(bytes);
    expect(payload.toString()).toBe('{"ID":3}');
    expect(JSON.parse(sr.getById(id)!.schema)).toEqual({
      type: 'object', properties: { ID: { 'connect.index': 0, oneOf: [{ type: 'null' }, { type: 'integer', 'connect.type': 'int32' }] } },
    });
    expect(s.deserialize(bytes)).toEqual([3]);
  });
});

describe('PROTOBUF', () => {
  it('encodes message indexes like Confluent ([0] is one zero byte)', () => {
    expect(encodeIndexes([0])).toEqual(Buffer.from([0]));
    expect(encodeIndexes([1])).toEqual(Buffer.from([2, 2]));
    expect(encodeIndexes([1, 0, 2])).toEqual(Buffer.from([6, 2, 0, 4]));
    expect(decodeIndexes(Buffer.from([6, 2, 0, 4, 0x08]))).toEqual({ indexes: [1, 0, 2], offset: 4 });
    expect(decodeIndexes(Buffer.from([0x08, 1]))).toEqual({ indexes: [0], offset: 0 }); // no prefix: a field tag
  });

  it('generates ConnectDefault1 and reads unset proto3 scalars as defaults', () => {
    const sr = new InMemorySchemaRegistry();
    const s = createSerde([{ name: 'F1', type: T.INTEGER }, { name: 'S', type: T.STRING }], { format: 'PROTOBUF' }, 'key', { topic: 't', schemaRegistry: sr });
    const bytes = s.serialize([null, null])!;
    expect(sr.getById(unframe(bytes).id)!.schema).toBe('syntax = "proto3";\n\nmessage ConnectDefault1 {\n  int32 F1 = 1;\n  string S = 2;\n}\n');
    expect(s.deserialize(bytes)).toEqual([0, '']);
  });

  it('keeps nulls with OPTIONAL and WRAPPER nullable representations', () => {
    for (const nullableRepresentation of ['OPTIONAL', 'WRAPPER']) {
      const sr = new InMemorySchemaRegistry();
      const cols = [{ name: 'I', type: T.INTEGER }, { name: 'L', type: T.BIGINT }, { name: 'B', type: T.BOOLEAN }];
      const s = createSerde(cols, { format: 'PROTOBUF', properties: { nullableRepresentation } }, 'value', { topic: 't', schemaRegistry: sr });
      expect(s.deserialize(s.serialize([null, 0, null]))).toEqual([null, 0, null]);
      expect(s.deserialize(s.serialize([0, null, false]))).toEqual([0, null, false]);
    }
  });

  it('selects a message by full name and reads decimals, dates and enums', () => {
    const sr = new InMemorySchemaRegistry();
    const id = sr.register('t-value', {
      schemaType: 'PROTOBUF',
      schema: `syntax = "proto3"; import "confluent/type/decimal.proto"; import "google/type/date.proto";
        message A { int32 x = 1; }
        message B { enum Suit { SPADES = 0; HEARTS = 1; } Suit s = 1; confluent.type.Decimal d = 2 [(confluent.field_meta) = { params: [{ key: "precision", value: "4" }, { key: "scale", value: "2" }] }]; google.type.Date day = 3; uint32 u = 4; }`,
    });
    const cols = [{ name: 'S', type: T.STRING }, { name: 'D', type: T.decimal(4, 2) }, { name: 'DAY', type: T.DATE }, { name: 'U', type: T.BIGINT }];
    const s = createSerde(cols, { format: 'PROTOBUF', properties: { schemaId: String(id), fullSchemaName: 'B' } }, 'value', { topic: 't', schemaRegistry: sr });
    const bytes = s.serialize(['HEARTS', Decimal.parse('10.01'), 19000, 4000000000])!;
    expect(unframe(bytes).payload.subarray(0, 2)).toEqual(Buffer.from([2, 2]));
    expect(s.deserialize(bytes)).toEqual(['HEARTS', Decimal.parse('10.01'), 19000, 4000000000]);
  });

  it('reads and writes a oneof as one struct column <name>_<index>, like ProtobufData', () => {
    const sr = new InMemorySchemaRegistry();
    const id = sr.register('t-value', {
      schemaType: 'PROTOBUF', schema: 'syntax = "proto3"; message M { string id = 1; oneof payload { int32 n = 2; string s = 3; } optional int32 o = 4; }',
    });
    const type = schemaFormat('PROTOBUF')!.toSqlType(sr.getById(id)!, sr, {});
    expect(type).toEqual(T.struct([
      { name: 'id', type: T.STRING },
      { name: 'payload_0', type: T.struct([{ name: 'n', type: T.INTEGER }, { name: 's', type: T.STRING }]) },
      { name: 'o', type: T.INTEGER },
    ]));
    const cols = (type as StructType).fields;
    const s = createSerde(cols, { format: 'PROTOBUF', properties: { schemaId: String(id) } }, 'value', { topic: 't', schemaRegistry: sr });
    expect(s.deserialize(s.serialize(['a', { n: null, s: 'x' }, null]))).toEqual(['a', { n: null, s: 'x' }, null]);
    expect(s.deserialize(s.serialize(['b', null, 3]))).toEqual(['b', null, 3]);
  });

  it('PROTOBUF_NOSR writes the bare message', () => {
    const s = createSerde([{ name: 'A', type: T.STRING }], { format: 'PROTOBUF_NOSR' }, 'value', { topic: 't' });
    const bytes = s.serialize(['hi'])!;
    expect(bytes).toEqual(Buffer.from([0x0a, 2, 0x68, 0x69]));
    expect(s.deserialize(bytes)).toEqual(['hi']);
  });

  it('rejects WRAP_SINGLE_VALUE=false and maps with non-STRING keys', () => {
    expect(() => validateFormat([{ name: 'V', type: T.INTEGER }], { format: 'PROTOBUF', wrapSingle: false }, 'value'))
      .toThrow("Format 'PROTOBUF' does not support 'WRAP_SINGLE_VALUE' set to 'false'.");
    expect(() => validateFormat([{ name: 'M', type: T.map(T.INTEGER, T.STRING) }], { format: 'PROTOBUF' }, 'value'))
      .toThrow(/PROTOBUF format only supports MAP types with STRING keys/);
    expect(() => validateFormat([{ name: 'A', type: T.array(T.array(T.INTEGER)) }], { format: 'PROTOBUF' }, 'value'))
      .toThrow(/does not support an ARRAY or MAP directly inside/);
  });
});

describe('AVRO general unions (Connect reads them as a struct with one field per branch)', () => {
  it('reads and writes ambiguous (wrapped) and unambiguous unions', () => {
    const sr = new InMemorySchemaRegistry();
    const writer = {
      type: 'record', name: 'U', fields: [
        { name: 'num', type: ['null', 'int', 'long'] },
        { name: 'mixed', type: ['null', 'string', { type: 'record', name: 'P', fields: [{ name: 'x', type: 'int' }] }] },
      ],
    };
    const id = sr.register('u-value', { schemaType: 'AVRO', schema: JSON.stringify(writer) });
    const type = schemaFormat('AVRO')!.toSqlType(sr.getById(id)!, sr, {}) as StructType;
    expect(type.fields.map((f) => f.name)).toEqual(['num', 'mixed']);
    expect(type.fields[0]!.type).toEqual(T.struct([{ name: 'int', type: T.INTEGER }, { name: 'long', type: T.BIGINT }]));
    const s = createSerde(type.fields, { format: 'AVRO', properties: { schemaId: String(id) } }, 'value', { topic: 'u', schemaRegistry: sr });
    const row = [{ int: null, long: 7 }, { string: null, P: { x: 1 } }];
    expect(s.deserialize(s.serialize(row))).toEqual(row);
    const row2 = [{ int: 3, long: null }, { string: 'hi', P: null }];
    expect(s.deserialize(s.serialize(row2))).toEqual(row2);
  });
});
