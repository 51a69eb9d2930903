/**
 * The AVRO format (ksqlDB's KsqlAvroSerdeFactory): Confluent framing (magic byte, schema id) over
 * Avro binary. Written with the schema ksqlDB generates from the columns (`avro-schema.ts`), named
 * by `fullSchemaName` (VALUE_AVRO_SCHEMA_FULL_NAME / KEY_/VALUE_SCHEMA_FULL_NAME), or with the
 * registered schema given by KEY_/VALUE_SCHEMA_ID; read with each record's writer schema.
 */
import { parseAvroSchema } from '../schema/avro-types.js';
import type { SchemaDefinition } from '../schema/types.js';
import type { SqlType } from '../types/sql-type.js';
import { avroReader, avroWriter } from './avro-convert.js';
import { avroToSqlType, checkAvroName, sqlToAvroSchema } from './avro-schema.js';
import { createSrSerde, type SchemaFormat } from './sr-common.js';
import type { FormatImpl } from './types.js';
import { containsBase } from './util.js';

export const AVRO_SCHEMA_FORMAT: SchemaFormat = {
  schemaType: 'AVRO',
  fromSqlType(type, options): SchemaDefinition {
    return { schemaType: 'AVRO', schema: JSON.stringify(sqlToAvroSchema(type, options.fullSchemaName)) };
  },
  toSqlType(def, sr) {
    return avroToSqlType(parseAvroSchema(def, sr).node);
  },
  codec(def, sr, type) {
    const parsed = parseAvroSchema(def, sr);
    const read = avroReader(parsed.node, type);
    const write = avroWriter(parsed.node, type);
    let scratch = Buffer.allocUnsafe(1024);
    return {
      encode: (v) => parsed.type.toBuffer(write(v)),
      encodeFramed: (id, v) => {
        const value = write(v);
        for (;;) {
          // avsc returns a negative position when the buffer is too small
          const end = parsed.type.encode(value, scratch, 5);
          if (end >= 0) {
            const out = Buffer.allocUnsafe(end);
            scratch.copy(out, 0, 0, end);
            out[0] = 0;
            out.writeInt32BE(id, 1);
            return out;
          }
          scratch = Buffer.allocUnsafe(Math.max(scratch.length * 2, 5 - end));
        }
      },
      decode: (payload) => {
        const raw = parsed.type.fromBuffer(payload) as unknown;
        return raw === null ? null : read(raw);
      },
    };
  },
};

function badName(type: SqlType): string | undefined {
  let found: string | undefined;
  containsBase(type, (t) => {
    if (t.base === 'STRUCT') for (const f of t.fields) found ??= checkAvroName(f.name);
    return found !== undefined;
  });
  return found;
}

export const AVRO_FORMAT: FormatImpl = {
  name: 'AVRO',
  properties: ['fullschemaname', 'schemaid'],
  canWrap: true,
  canUnwrap: true,
  checkSchema(columns) {
    if (columns.some((c) => containsBase(c.type, (t) => t.base === 'MAP' && t.key.base !== 'STRING'))) {
      return 'Avro only supports MAPs with STRING keys';
    }
    for (const c of columns) {
      const problem = checkAvroName(c.name) ?? badName(c.type);
      if (problem) return `Schema is not compatible with Avro: ${problem}`;
    }
    return undefined;
  },
  create: (columns, spec, role, options) => createSrSerde(AVRO_SCHEMA_FORMAT, columns, spec, role, options),
};
