/** Builds and validates key/value serdes for a source or sink from its formats and columns. */
import { keyColumns, serializedValueColumns, type Column, type LogicalSchema } from '../catalog/schema.js';
import type { FormatInfo } from '../catalog/source.js';
import { createSerde, validateFormat, type FormatSpec, type RowSerde, type SerdeOptions } from '../serde/index.js';

export function formatSpec(format: FormatInfo): FormatSpec {
  const wrapSingle = format.features.includes('WRAP_SINGLES') ? true : format.features.includes('UNWRAP_SINGLES') ? false : undefined;
  return { format: format.format as FormatSpec['format'], properties: format.properties, ...(wrapSingle === undefined ? {} : { wrapSingle }) };
}

/** `options` carry the topic (subjects `<topic>-key|value`) and the schema registry for the SR formats. */
export function rowSerde(format: FormatInfo, columns: readonly Column[], role: 'key' | 'value', options: SerdeOptions = {}): RowSerde {
  return createSerde(columns.map((c) => ({ name: c.name, type: c.type })), formatSpec(format), role, options);
}

/** ksqlDB's planning-time format checks for a source or sink schema. */
export function validateFormats(schema: LogicalSchema, keyFormat: FormatInfo, valueFormat: FormatInfo): void {
  const cols = (cs: readonly Column[]) => cs.map((c) => ({ name: c.name, type: c.type }));
  validateFormat(cols(keyColumns(schema)), formatSpec(keyFormat), 'key');
  validateFormat(cols(serializedValueColumns(schema)), formatSpec(valueFormat), 'value');
}
