/**
 * The serde contracts. A serde is built once per (schema, format, role) when a query is planned and
 * then used on every record, so everything schema-dependent is resolved at construction time.
 */
import type { SqlType } from '../types/sql-type.js';
import type { SchemaRegistryClient } from '../schema/types.js';

export interface SerdeColumn { readonly name: string; readonly type: SqlType }

export type FormatName = 'KAFKA' | 'JSON' | 'DELIMITED' | 'NONE' | 'AVRO' | 'JSON_SR' | 'PROTOBUF' | 'PROTOBUF_NOSR';

export const FORMAT_NAMES: readonly FormatName[] = ['KAFKA', 'JSON', 'DELIMITED', 'NONE', 'AVRO', 'JSON_SR', 'PROTOBUF', 'PROTOBUF_NOSR'];

export type SerdeRole = 'key' | 'value';

export interface FormatSpec {
  readonly format: FormatName;
  /** Format properties, ksqlDB's names: `delimiter` for DELIMITED (a character, `TAB` or `SPACE`). */
  readonly properties?: Readonly<Record<string, string>>;
  /**
   * WRAP_SINGLE_VALUE (true = WRAP_SINGLES, false = UNWRAP_SINGLES). Undefined means the format's
   * default: values are wrapped, keys are not.
   */
  readonly wrapSingle?: boolean;
}

/**
 * Converts one record side (key or value) between bytes and values in column order.
 * Implementations are stateless and may be shared across tasks.
 */
export interface RowSerde {
  /**
   * Values in column order → bytes. A null row gives null bytes (a tombstone); so does a single
   * unwrapped column whose value is null (ksqlDB does the same). The returned buffer may alias an
   * input `Buffer` value (BYTES with KAFKA); callers must not mutate it.
   */
  serialize(values: readonly unknown[] | null): Buffer | null;
  /**
   * Bytes → values in column order (runtime representation of `sql-type.ts`). Null bytes give null;
   * so does a JSON document that is `null`. Throws `SerdeException` on bad data. BYTES values may
   * alias the input buffer.
   */
  deserialize(bytes: Buffer | null): unknown[] | null;
}

export interface SerdeOptions {
  /** Used in error messages only ("... from topic: t"). */
  readonly topic?: string;
  /**
   * Schema registry of the AVRO, JSON_SR and PROTOBUF formats (subjects `<topic>-key|value`).
   * When absent they use a process-wide in-memory registry.
   */
  readonly schemaRegistry?: SchemaRegistryClient;
}

/** One format; registered in `registry.ts`, one file per format. */
export interface FormatImpl {
  readonly name: FormatName;
  /** Format property names it accepts (lower case); others are rejected by `validateFormat`. */
  readonly properties: readonly string[];
  /** Whether WRAP_SINGLE_VALUE=true / =false may be set explicitly. */
  readonly canWrap: boolean;
  readonly canUnwrap: boolean;
  /** ksqlDB's reason the format cannot carry these columns, or undefined when it can. */
  checkSchema(columns: readonly SerdeColumn[], role: SerdeRole): string | undefined;
  /** Builds the serde; may assume `validateFormat` passed. */
  create(columns: readonly SerdeColumn[], spec: FormatSpec, role: SerdeRole, options: SerdeOptions): RowSerde;
}
