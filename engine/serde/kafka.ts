/**
 * The KAFKA format: Kafka's primitive serializers for a single column. INTEGER is a 4-byte big-endian
 * int, BIGINT 8 bytes, DOUBLE an 8-byte IEEE 754 double, STRING UTF-8, BYTES raw. With no columns
 * (a keyless source) the bytes are ignored on read and nothing is written. A null value is written
 * as null bytes.
 */
import { normalizeLong } from '../types/long.js';
import type { SqlType } from '../types/sql-type.js';
import type { FormatImpl, RowSerde, SerdeColumn, SerdeOptions, SerdeRole } from './types.js';
import { formatColumns, deserializeError, serializeError } from './util.js';

const SUPPORTED = new Set(['INTEGER', 'BIGINT', 'DOUBLE', 'STRING', 'BYTES']);
const TWO_32 = 4294967296;

interface Primitive {
  write(v: unknown): Buffer;
  read(b: Buffer): unknown;
}

function sizeError(name: string, size: number): Error {
  return new Error(`Size of data received by ${name} is not ${size}`);
}

function primitive(type: SqlType): Primitive {
  switch (type.base) {
    case 'INTEGER':
      return {
        write(v) { const b = Buffer.allocUnsafe(4); b.writeInt32BE(v as number, 0); return b; },
        read(b) { if (b.length !== 4) throw sizeError('IntegerDeserializer', 4); return b.readInt32BE(0); },
      };
    case 'BIGINT':
      return {
        write(v) {
          const b = Buffer.allocUnsafe(8);
          if (typeof v === 'number') {
            const hi = Math.floor(v / TWO_32);
            b.writeInt32BE(hi, 0);
            b.writeUInt32BE(v - hi * TWO_32, 4);
          } else b.writeBigInt64BE(BigInt.asIntN(64, v as bigint), 0);
          return b;
        },
        read(b) {
          if (b.length !== 8) throw sizeError('LongDeserializer', 8);
          const hi = b.readInt32BE(0);
          // |hi| < 2^21 keeps the value a safe integer
          if (hi >= -2097152 && hi < 2097152) return hi * TWO_32 + b.readUInt32BE(4);
          return normalizeLong(b.readBigInt64BE(0));
        },
      };
    case 'DOUBLE':
      return {
        write(v) { const b = Buffer.allocUnsafe(8); b.writeDoubleBE(v as number, 0); return b; },
        read(b) { if (b.length !== 8) throw sizeError('DoubleDeserializer', 8); return b.readDoubleBE(0); },
      };
    case 'STRING':
      return {
        write(v) { return Buffer.from(v as string, 'utf8'); },
        read(b) { return b.toString('utf8'); },
      };
    case 'BYTES':
      return {
        write(v) { if (!Buffer.isBuffer(v)) throw new TypeError('BYTES value must be a Buffer'); return v; },
        read(b) { return b; },
      };
    default:
      throw new Error(`The 'KAFKA' format does not support type '${type.base}'`);
  }
}

export function createKafkaSerde(
  columns: readonly SerdeColumn[], _spec: unknown, role: SerdeRole, options: SerdeOptions,
): RowSerde {
  if (columns.length === 0) {
    return {
      serialize: () => null,
      deserialize: (bytes) => (bytes === null ? null : []),
    };
  }
  const p = primitive(columns[0]!.type);
  return {
    serialize(values) {
      if (values === null) return null;
      const v = values[0];
      if (v === null || v === undefined) return null;
      try { return p.write(v); } catch (e) { throw serializeError(role, options, e); }
    },
    deserialize(bytes) {
      if (bytes === null) return null;
      try { return [p.read(bytes)]; } catch (e) { throw deserializeError(role, options, e); }
    },
  };
}

export const KAFKA_FORMAT: FormatImpl = {
  name: 'KAFKA',
  properties: [],
  canWrap: false,
  canUnwrap: true,
  checkSchema(columns, role) {
    if (columns.length > 1) return `The 'KAFKA' format only supports a single field. Got: ${formatColumns(columns, role)}`;
    const c = columns[0];
    if (c !== undefined && !SUPPORTED.has(c.type.base)) return `The 'KAFKA' format does not support type '${c.type.base}'`;
    return undefined;
  },
  create: createKafkaSerde,
};
