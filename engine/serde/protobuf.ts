/**
 * The PROTOBUF format (Confluent framing, then the message-index path of the written message, then
 * the Protobuf bytes) and PROTOBUF_NOSR (the bare message, with the schema generated from the
 * columns). Both always wrap: a record side is a message even for one column. The writer schema is
 * generated from the columns (message `ConnectDefault1` or the full schema name; null handling from
 * KEY_/VALUE_PROTOBUF_NULLABLE_REPRESENTATION) unless KEY_/VALUE_SCHEMA_ID names a registered one.
 */
import type protobuf from 'protobufjs';
import type { SqlType, StructType } from '../types/sql-type.js';
import { SqlTypes } from '../types/sql-type.js';
import { messageReader, messageWriter } from './protobuf-convert.js';
import {
  indexesOf, messageAt, messageToSqlType, parseProtobufSchema, selectMessage, sqlToProtoSchema, type NullableRepresentation,
} from './protobuf-schema.js';
import { createSrSerde, type SchemaCodec, type SchemaFormat } from './sr-common.js';
import type { FormatImpl } from './types.js';
import { containsBase } from './util.js';

function writeVarint(out: number[], n: number): void {
  let z = (n << 1) ^ (n >> 31);
  while (z > 0x7f) { out.push((z & 0x7f) | 0x80); z >>>= 7; }
  out.push(z);
}

function readVarint(b: Buffer, at: { i: number }): number {
  let shift = 0;
  let z = 0;
  for (;;) {
    const byte = b[at.i++];
    if (byte === undefined) throw new Error('Truncated Protobuf message indexes');
    z |= (byte & 0x7f) << shift;
    if (!(byte & 0x80)) break;
    shift += 7;
  }
  return (z >>> 1) ^ -(z & 1);
}

/** Confluent's message-index prefix: `[0]` is the single byte 0. */
export function encodeIndexes(indexes: readonly number[]): Buffer {
  if (indexes.length === 1 && indexes[0] === 0) return Buffer.from([0]);
  const out: number[] = [];
  writeVarint(out, indexes.length);
  for (const i of indexes) writeVarint(out, i);
  return Buffer.from(out);
}

/**
 * Reads the message-index prefix. A payload whose first byte is a Protobuf field tag (≥ 0x08: field
 * numbers start at 1) has no prefix: some clients (@kafkajs/confluent-schema-registry 3.x) omit it,
 * and index counts below 4 encode below 0x08, so the two cannot be confused.
 */
export function decodeIndexes(b: Buffer): { indexes: number[]; offset: number } {
  if (b.length === 0 || b[0]! >= 0x08) return { indexes: [0], offset: 0 };
  const at = { i: 0 };
  const n = readVarint(b, at);
  if (n === 0) return { indexes: [0], offset: at.i };
  const indexes: number[] = [];
  for (let k = 0; k < n; k++) indexes.push(readVarint(b, at));
  return { indexes, offset: at.i };
}

function nullableOf(props: Readonly<Record<string, string>>): NullableRepresentation {
  const v = (props.nullableRepresentation ?? '').toUpperCase();
  return v === 'OPTIONAL' || v === 'WRAPPER' ? v : 'DEFAULT';
}

function asStruct(type: SqlType): StructType {
  return type.base === 'STRUCT' ? type : SqlTypes.struct([{ name: 'ROWVAL', type }]);
}

function messageCodec(msgType: protobuf.Type, type: SqlType): { encode(v: unknown): Uint8Array; decode(b: Uint8Array): unknown } {
  const struct = asStruct(type);
  const write = messageWriter(msgType, struct);
  const read = messageReader(msgType, struct);
  const unwrap = type.base !== 'STRUCT';
  return {
    encode: (v) => msgType.encode(msgType.fromObject(write(unwrap ? { ROWVAL: v } : v))).finish(),
    decode: (b) => { const r = read(msgType.decode(b)); return unwrap ? r.ROWVAL : r; },
  };
}

function protobufFormat(framed: boolean): SchemaFormat {
  return {
    schemaType: 'PROTOBUF',
    fromSqlType(type, options) {
      return { schemaType: 'PROTOBUF', schema: sqlToProtoSchema(type, options.fullSchemaName, nullableOf(options.properties)) };
    },
    toSqlType(def, sr, options) {
      const parsed = parseProtobufSchema(def, sr);
      return messageToSqlType(selectMessage(parsed, options.fullSchemaName).type);
    },
    codec(def, sr, type, options): SchemaCodec {
      const parsed = parseProtobufSchema(def, sr);
      const selected = selectMessage(parsed, options.fullSchemaName);
      const writer = messageCodec(selected.type, type);
      if (!framed) return { encode: (v) => Buffer.from(writer.encode(v)), decode: (b) => writer.decode(b) };
      const prefix = encodeIndexes(indexesOf(parsed, selected.type));
      const readers = new Map<string, ReturnType<typeof messageCodec>>();
      return {
        encode: (v) => Buffer.concat([prefix, writer.encode(v)]),
        decode: (payload) => {
          const { indexes, offset } = decodeIndexes(payload);
          const key = indexes.join('.');
          let r = readers.get(key);
          if (!r) { r = messageCodec(messageAt(parsed, indexes), type); readers.set(key, r); }
          return r.decode(payload.subarray(offset));
        },
      };
    },
  };
}

export const PROTOBUF_SCHEMA_FORMAT = protobufFormat(true);
export const PROTOBUF_NOSR_SCHEMA_FORMAT = protobufFormat(false);

function checkProtobuf(columns: readonly { name: string; type: SqlType }[]): string | undefined {
  if (columns.some((c) => containsBase(c.type, (t) => t.base === 'MAP' && t.key.base !== 'STRING'))) {
    return 'PROTOBUF format only supports MAP types with STRING keys';
  }
  const nested = (t: SqlType): boolean => t.base === 'ARRAY' || t.base === 'MAP';
  if (columns.some((c) => containsBase(c.type, (t) => (t.base === 'ARRAY' && nested(t.element)) || (t.base === 'MAP' && nested(t.value))))) {
    return 'PROTOBUF format does not support an ARRAY or MAP directly inside an ARRAY or MAP';
  }
  return undefined;
}

export const PROTOBUF_FORMAT: FormatImpl = {
  name: 'PROTOBUF',
  properties: ['fullschemaname', 'schemaid', 'nullablerepresentation', 'unwrapprimitives'],
  canWrap: true,
  canUnwrap: false,
  checkSchema: checkProtobuf,
  create: (columns, spec, role, options) => createSrSerde(PROTOBUF_SCHEMA_FORMAT, columns, spec, role, options),
};

export const PROTOBUF_NOSR_FORMAT: FormatImpl = {
  name: 'PROTOBUF_NOSR',
  properties: ['fullschemaname', 'nullablerepresentation', 'unwrapprimitives'],
  canWrap: true,
  canUnwrap: false,
  checkSchema: checkProtobuf,
  create: (columns, spec, role, options) => createSrSerde(PROTOBUF_NOSR_SCHEMA_FORMAT, columns, spec, role, options, false),
};
