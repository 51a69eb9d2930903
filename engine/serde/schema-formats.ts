/** The schema-registry formats' schema translators, by format name (inference, the test runner). */
import { AVRO_SCHEMA_FORMAT } from './avro.js';
import { JSON_SR_SCHEMA_FORMAT } from './json-sr.js';
import { PROTOBUF_NOSR_SCHEMA_FORMAT, PROTOBUF_SCHEMA_FORMAT } from './protobuf.js';
import type { SchemaFormat } from './sr-common.js';
import type { FormatName } from './types.js';

const SCHEMA_FORMATS = new Map<string, SchemaFormat>();

export function registerSchemaFormat(name: FormatName, f: SchemaFormat): void {
  SCHEMA_FORMATS.set(name, f);
}

/** The translator of AVRO, JSON_SR, PROTOBUF or PROTOBUF_NOSR; undefined for the other formats. */
export function schemaFormat(name: string): SchemaFormat | undefined {
  return SCHEMA_FORMATS.get(name.toUpperCase());
}

/** Formats whose columns can come from the schema registry. */
export function supportsInference(name: string): boolean {
  const n = name.toUpperCase();
  return n === 'AVRO' || n === 'JSON_SR' || n === 'PROTOBUF';
}

registerSchemaFormat('AVRO', AVRO_SCHEMA_FORMAT);
registerSchemaFormat('JSON_SR', JSON_SR_SCHEMA_FORMAT);
registerSchemaFormat('PROTOBUF', PROTOBUF_SCHEMA_FORMAT);
registerSchemaFormat('PROTOBUF_NOSR', PROTOBUF_NOSR_SCHEMA_FORMAT);
