/** Key/value format selection from WITH properties and config defaults (ksqlDB's SourcePropertiesUtil). */
import { KsqlException } from '../errors/index.js';
import type { FormatInfo, SerdeFeature } from '../catalog/source.js';
import type { WithProperties } from '../planner/with-properties.js';
import { getFormat, type FormatName } from '../serde/index.js';

export const KNOWN_FORMATS = new Set(['KAFKA', 'JSON', 'DELIMITED', 'NONE', 'AVRO', 'JSON_SR', 'PROTOBUF', 'PROTOBUF_NOSR']);
/** Formats that can wrap a single field in a record/object. */
export const WRAPPING_FORMATS = new Set(['JSON', 'AVRO', 'JSON_SR', 'PROTOBUF', 'PROTOBUF_NOSR']);

export function checkFormatName(name: string): string {
  const upper = name.toUpperCase();
  if (!KNOWN_FORMATS.has(upper)) throw new KsqlException(`Unknown format: ${upper}`);
  return upper;
}

export interface FormatDefaults {
  readonly keyFormat?: FormatInfo;
  readonly valueFormat?: FormatInfo;
  readonly config: Readonly<Record<string, unknown>>;
}

export function chooseFormats(props: WithProperties, defaults: FormatDefaults): { keyFormat: FormatInfo; valueFormat: FormatInfo } {
  const both = props.string('FORMAT');
  const keyName = props.string('KEY_FORMAT');
  const valueName = props.string('VALUE_FORMAT');
  if (both !== undefined && keyName !== undefined) {
    throw new KsqlException("Cannot supply both 'KEY_FORMAT' and 'FORMAT' properties, as 'FORMAT' sets both key and value formats. Either use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'.");
  }
  if (both !== undefined && valueName !== undefined) {
    throw new KsqlException("Cannot supply both 'VALUE_FORMAT' and 'FORMAT' properties, as 'FORMAT' sets both key and value formats. Either use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'.");
  }
  const configKey = defaults.config['ksql.persistence.default.format.key'] as string | undefined;
  const configValue = defaults.config['ksql.persistence.default.format.value'] as string | undefined;
  const key = both ?? keyName ?? defaults.keyFormat?.format ?? configKey ?? 'KAFKA';
  const value = both ?? valueName ?? defaults.valueFormat?.format ?? configValue;
  if (value === undefined) {
    throw new KsqlException("Statement is missing the 'VALUE_FORMAT' property from the WITH clause. Either provide one or set a default via the 'ksql.persistence.default.format.value' config.");
  }
  const keyProps: Record<string, string> = {};
  const valueProps: Record<string, string> = {};
  const keyDelim = props.string('KEY_DELIMITER');
  const valueDelim = props.string('VALUE_DELIMITER');
  // Stored as written (`SPACE`, `TAB` or the character): the DELIMITED serde resolves it again.
  if (keyDelim !== undefined) { validateDelimiter(keyDelim, 'KEY_DELIMITER'); keyProps.delimiter = keyDelim; }
  if (valueDelim !== undefined) { validateDelimiter(valueDelim, 'VALUE_DELIMITER'); valueProps.delimiter = valueDelim; }
  schemaProperties(props, 'KEY', keyProps);
  schemaProperties(props, 'VALUE', valueProps);
  const inheritedKey = both === undefined && keyName === undefined ? defaults.keyFormat : undefined;
  const inheritedValue = both === undefined && valueName === undefined ? defaults.valueFormat : undefined;
  return {
    keyFormat: { format: checkFormatName(key), properties: { ...inheritable(inheritedKey?.properties), ...keyProps }, features: [] },
    valueFormat: { format: checkFormatName(value), properties: { ...inheritable(inheritedValue?.properties), ...valueProps }, features: [] },
  };
}

/** A sink does not write with its source's registered schema id, nor under its schema name. */
function inheritable(props: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = { ...(props ?? {}) };
  delete out.schemaId;
  delete out.fullSchemaName;
  return out;
}

/**
 * The schema-registry format properties (ksqlDB's names): `fullSchemaName` from
 * KEY_/VALUE_SCHEMA_FULL_NAME or VALUE_AVRO_SCHEMA_FULL_NAME, `schemaId` from KEY_/VALUE_SCHEMA_ID,
 * `nullableRepresentation` from KEY_/VALUE_PROTOBUF_NULLABLE_REPRESENTATION.
 */
function schemaProperties(props: WithProperties, side: 'KEY' | 'VALUE', out: Record<string, string>): void {
  const fullName = props.string(`${side}_SCHEMA_FULL_NAME`) ?? (side === 'VALUE' ? props.string('VALUE_AVRO_SCHEMA_FULL_NAME') : undefined);
  if (fullName !== undefined) {
    if (fullName.trim() === '') throw new KsqlException('fullSchemaName cannot be empty. Format configuration: {fullSchemaName=}');
    out.fullSchemaName = fullName.trim();
  }
  const id = props.integer(`${side}_SCHEMA_ID`);
  if (id !== undefined) out.schemaId = String(id);
  const nullable = props.string(`${side}_PROTOBUF_NULLABLE_REPRESENTATION`);
  if (nullable !== undefined) {
    const upper = nullable.toUpperCase();
    if (upper !== 'OPTIONAL' && upper !== 'WRAPPER') {
      throw new KsqlException(`Invalid value for ${side}_PROTOBUF_NULLABLE_REPRESENTATION: ${nullable}. Valid values are OPTIONAL and WRAPPER.`);
    }
    out.nullableRepresentation = upper;
  }
}

function validateDelimiter(d: string, name: string): string {
  if (d.length === 0) {
    throw new KsqlException(`Failed to prepare statement: Configuration ${name} is invalid: Delimiter cannot be empty, if you meant to have a tab or space for delimiter, please use the special values 'TAB' or 'SPACE'`);
  }
  const upper = d.toUpperCase();
  if (upper === 'TAB') return '\t';
  if (upper === 'SPACE') return ' ';
  if (d.length !== 1) {
    throw new KsqlException(`Failed to prepare statement: Configuration ${name} is invalid: Invalid delimiter value: '${d}'. Delimiter must be a single character or TAB or SPACE`);
  }
  return d;
}

/** Key features: a single key column in a wrapping format is unwrapped (ksqlDB's default). */
export function keyFeatures(format: string, keyCount: number): SerdeFeature[] {
  const canUnwrap = getFormat(format as FormatName)?.canUnwrap ?? true;
  return keyCount === 1 && WRAPPING_FORMATS.has(format) && canUnwrap ? ['UNWRAP_SINGLES'] : [];
}

export function valueFeatures(format: string, valueCount: number, wrapSingle: boolean | undefined, config: Readonly<Record<string, unknown>>): SerdeFeature[] {
  if (wrapSingle !== undefined) {
    const impl = getFormat(format as FormatName);
    const allowed = impl ? (wrapSingle ? impl.canWrap : impl.canUnwrap) : WRAPPING_FORMATS.has(format);
    if (!allowed) {
      throw new KsqlException(`Format '${format}' does not support 'WRAP_SINGLE_VALUE' set to '${wrapSingle}'.`);
    }
    if (valueCount !== 1) throw new KsqlException("'WRAP_SINGLE_VALUE' is only valid for single-field value schemas");
    return [wrapSingle ? 'WRAP_SINGLES' : 'UNWRAP_SINGLES'];
  }
  const cfg = config['ksql.persistence.wrap.single.values'];
  if (cfg !== undefined && cfg !== null && valueCount === 1 && WRAPPING_FORMATS.has(format)) {
    return [String(cfg) === 'false' ? 'UNWRAP_SINGLES' : 'WRAP_SINGLES'];
  }
  return [];
}
