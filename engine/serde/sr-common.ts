/**
 * What the schema-registry formats (AVRO, JSON_SR, PROTOBUF, and PROTOBUF_NOSR without the
 * registry) share: the Confluent wire format, the SQL shape of one record side, and one RowSerde
 * built over a per-format `SchemaFormat`.
 *
 * A record side is one SQL value: a STRUCT of the columns when wrapped (several columns, or one
 * column with WRAP_SINGLES), else the single column's own type. Each format converts between that
 * value and its bytes for one physical schema (the writer's on read, ours or the registered
 * `schemaId` one on write), so inference, serdes and the test runner's spec conversion all reuse
 * the same converters.
 */
import { Decimal } from '../types/decimal.js';
import { SqlTypes, type SqlType, type StructType } from '../types/sql-type.js';
import type { RegisteredSchema, SchemaDefinition, SchemaRegistryClient, SchemaType } from '../schema/types.js';
import { InMemorySchemaRegistry } from '../schema/memory-registry.js';
import type { FormatSpec, RowSerde, SerdeColumn, SerdeOptions, SerdeRole } from './types.js';
import { deserializeError, serializeError } from './util.js';

export const MAGIC_BYTE = 0;

/** Confluent framing: magic byte 0, 4-byte big-endian schema id, then the payload. */
export function frame(id: number, payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(5 + payload.length);
  out[0] = MAGIC_BYTE;
  out.writeInt32BE(id, 1);
  payload.copy(out, 5);
  return out;
}

export function unframe(bytes: Buffer): { id: number; payload: Buffer } {
  if (bytes.length < 5 || bytes[0] !== MAGIC_BYTE) throw new Error('Unknown magic byte!');
  return { id: bytes.readInt32BE(1), payload: bytes.subarray(5) };
}

/** Encodes and decodes values of one SQL type with one physical schema. */
export interface SchemaCodec {
  encode(value: unknown): Buffer;
  decode(payload: Buffer): unknown;
  /** Optional fast path: the framed record (header, then the payload) in one buffer. */
  encodeFramed?(id: number, value: unknown): Buffer;
}

export interface SchemaFormat {
  readonly schemaType: SchemaType;
  /** Physical schema ksqlDB would generate for a SQL type (record/message name from `fullSchemaName`). */
  fromSqlType(type: SqlType, options: { fullSchemaName?: string; role: SerdeRole; properties: Readonly<Record<string, string>> }): SchemaDefinition;
  /** SQL type of a registered schema (Connect translation), field names as in the schema. */
  toSqlType(def: SchemaDefinition, sr: SchemaRegistryClient | undefined, options: { fullSchemaName?: string }): SqlType;
  /** Codec for values of `type` written with `def`. */
  codec(def: SchemaDefinition, sr: SchemaRegistryClient | undefined, type: SqlType, options: { fullSchemaName?: string; properties: Readonly<Record<string, string>> }): SchemaCodec;
}

/**
 * The registry used by serdes created without one: the server's (set at start-up, so that a code
 * path that forgets to pass the registry still reads and writes the right subjects), else one
 * in-memory registry per process (unit tests, tools).
 */
let fallback: SchemaRegistryClient | undefined;
export function defaultSchemaRegistry(): SchemaRegistryClient {
  return (fallback ??= new InMemorySchemaRegistry());
}

export function setDefaultSchemaRegistry(sr: SchemaRegistryClient | undefined): void {
  fallback = sr;
}

export function isWrappedSide(columns: readonly SerdeColumn[], spec: FormatSpec, role: SerdeRole): boolean {
  if (columns.length !== 1) return true;
  // Protobuf cannot carry a bare value: one column is a one-field message.
  if (String(spec.format).toUpperCase().startsWith('PROTOBUF')) return true;
  return spec.wrapSingle ?? role === 'value';
}

/** The SQL type of one record side. */
export function sideType(columns: readonly SerdeColumn[], wrapped: boolean): SqlType {
  return wrapped ? SqlTypes.struct(columns.map((c) => ({ name: c.name, type: c.type }))) : columns[0]!.type;
}

export function fullSchemaNameOf(spec: FormatSpec): string | undefined {
  const p = spec.properties ?? {};
  return p.fullSchemaName ?? p.fullschemaname;
}

export function schemaIdOf(spec: FormatSpec): number | undefined {
  const p = spec.properties ?? {};
  const v = p.schemaId ?? p.schemaid;
  return v === undefined ? undefined : Number(v);
}

/** A struct field by exact name, else case-insensitively (Connect translation is lenient). */
export function structGet(obj: Record<string, unknown>, name: string): unknown {
  if (Object.prototype.hasOwnProperty.call(obj, name)) return obj[name];
  const upper = name.toUpperCase();
  for (const k of Object.keys(obj)) if (k.toUpperCase() === upper) return obj[k];
  return undefined;
}

/** Two's complement big-endian bytes of a decimal's unscaled value (Connect's Decimal logical type). */
export function decimalToBytes(d: Decimal, scale: number, size?: number): Buffer {
  let u = d.setScale(scale, 'HALF_UP').unscaled;
  const neg = u < 0n;
  let hex = (neg ? -u : u).toString(16);
  let len = Math.ceil((hex.length + 1) / 2);
  if (size !== undefined) len = size;
  if (neg) u = (1n << BigInt(len * 8)) + u;
  hex = u.toString(16).padStart(len * 2, neg ? 'f' : '0');
  return Buffer.from(hex.slice(-len * 2), 'hex');
}

export function bytesToDecimal(b: Buffer, scale: number): Decimal {
  if (b.length === 0) return new Decimal(0n, scale);
  let u = BigInt('0x' + b.toString('hex'));
  if (b[0]! & 0x80) u -= 1n << BigInt(b.length * 8);
  return new Decimal(u, scale);
}

/** Columns as the struct type of a wrapped side. */
export function rowStruct(type: SqlType): StructType | undefined {
  return type.base === 'STRUCT' ? type : undefined;
}

interface WriterPlan { readonly id: number; readonly codec: SchemaCodec }

/**
 * The RowSerde of a schema-registry format. Writing uses the schema registered under `schemaId`
 * (KEY_/VALUE_SCHEMA_ID) or the schema generated from the columns, registered under
 * `<topic>-key|value` on first use; reading uses the writer schema named by each record's id.
 */
export function createSrSerde(
  format: SchemaFormat, columns: readonly SerdeColumn[], spec: FormatSpec, role: SerdeRole, options: SerdeOptions,
  framed = true,
): RowSerde {
  const sr = options.schemaRegistry ?? defaultSchemaRegistry();
  const wrapped = isWrappedSide(columns, spec, role);
  const type = sideType(columns, wrapped);
  const fullSchemaName = fullSchemaNameOf(spec);
  const properties = spec.properties ?? {};
  const schemaId = schemaIdOf(spec);
  const subject = `${options.topic ?? ''}-${role}`;
  const codecOptions = { ...(fullSchemaName !== undefined ? { fullSchemaName } : {}), properties };
  const n = columns.length;
  const names = columns.map((c) => c.name);

  let writer: WriterPlan | undefined;
  const writerPlan = (): WriterPlan => {
    if (writer) return writer;
    let def: SchemaDefinition;
    let id: number;
    if (schemaId !== undefined && framed) {
      const registered = sr.getById(schemaId);
      if (!registered) throw new Error(`Schema ${schemaId} not found in the schema registry`);
      def = registered;
      id = schemaId;
    } else {
      def = format.fromSqlType(type, { ...(fullSchemaName !== undefined ? { fullSchemaName } : {}), role, properties });
      id = framed ? sr.register(subject, def) : 0;
    }
    writer = { id, codec: format.codec(def, sr, type, codecOptions) };
    return writer;
  };
  const readers = new Map<number, SchemaCodec>();
  const reader = (id: number): SchemaCodec => {
    let c = readers.get(id);
    if (!c) {
      const def: RegisteredSchema | undefined = sr.getById(id);
      if (!def) throw new Error(`Schema ${id} not found`);
      c = format.codec(def, sr, type, codecOptions);
      readers.set(id, c);
    }
    return c;
  };
  let nosrReader: SchemaCodec | undefined;

  const toValue = (values: readonly unknown[]): unknown => {
    if (!wrapped) return values[0] ?? null;
    const o: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) o[names[i]!] = values[i] ?? null;
    return o;
  };
  const toRow = (v: unknown): unknown[] | null => {
    if (!wrapped) return [v];
    if (v === null || v === undefined) return null;
    const o = v as Record<string, unknown>;
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = o[names[i]!] ?? null;
    return out;
  };

  return {
    serialize(values) {
      if (values === null) return null;
      const v = toValue(values);
      if (v === null) return null;
      try {
        const w = writerPlan();
        if (framed && w.codec.encodeFramed) return w.codec.encodeFramed(w.id, v);
        const payload = w.codec.encode(v);
        return framed ? frame(w.id, payload) : payload;
      } catch (e) { throw serializeError(role, options, e); }
    },
    deserialize(bytes) {
      if (bytes === null) return null;
      try {
        let v: unknown;
        if (framed) {
          const { id, payload } = unframe(bytes);
          v = reader(id).decode(payload);
        } else {
          nosrReader ??= format.codec(format.fromSqlType(type, { ...(fullSchemaName !== undefined ? { fullSchemaName } : {}), role, properties }), sr, type, codecOptions);
          v = nosrReader.decode(bytes);
        }
        if (v === null || v === undefined) return wrapped ? null : [null];
        return toRow(v);
      } catch (e) { throw deserializeError(role, options, e); }
    },
  };
}
