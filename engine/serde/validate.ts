/**
 * Planning-time checks that a schema and WITH properties suit a format, with ksqlDB's messages
 * (from the conformance cases' expectedException). Throws FormatException (a KsqlException); the
 * analyzer adds the statement text.
 */
import { FormatException } from './errors.js';
import { getFormat } from './registry.js';
import { FORMAT_NAMES, type FormatName, type FormatSpec, type SerdeColumn, type SerdeRole } from './types.js';
import { containsBase, formatColumns } from './util.js';
import { formatSqlType } from '../types/sql-type.js';

/** WRAP_SINGLE_VALUE support of the formats that are not implemented here. */
const WRAPPING: Partial<Record<FormatName, { canWrap: boolean; canUnwrap: boolean }>> = {
  AVRO: { canWrap: true, canUnwrap: true },
  JSON_SR: { canWrap: true, canUnwrap: true },
  PROTOBUF: { canWrap: true, canUnwrap: false },
  PROTOBUF_NOSR: { canWrap: true, canUnwrap: false },
};

export function isFormatName(name: string): name is FormatName {
  return (FORMAT_NAMES as readonly string[]).includes(name);
}

/**
 * Checks, in order: the format name; for keys, that no column contains a MAP; WRAP_SINGLE_VALUE
 * (values only); format properties; then the format's own schema rules, reported as ksqlDB does:
 * "Key format does not support schema.\nformat: KAFKA\nschema: Persistence{columns=[…], features=[]}\nreason: …".
 */
export function validateFormat(columns: readonly SerdeColumn[], spec: FormatSpec, role: SerdeRole): void {
  const name = String(spec.format).toUpperCase();
  if (!isFormatName(name)) throw new FormatException(`Unknown format: ${spec.format}`);
  if (role === 'key') {
    for (const c of columns) {
      if (containsBase(c.type, (t) => t.base === 'MAP')) {
        throw new FormatException('Map keys, including types that contain maps, are not supported as they may lead to '
          + `unexpected behavior due to inconsistent serialization. Key column name: \`${c.name}\`. `
          + `Column type: ${formatSqlType(c.type)}. See https://github.com/confluentinc/ksql/issues/6621 for more.`);
      }
    }
  }
  const impl = getFormat(name);
  if (role === 'value' && spec.wrapSingle !== undefined) {
    const wrapping = impl ?? WRAPPING[name];
    if (wrapping !== undefined && !(spec.wrapSingle ? wrapping.canWrap : wrapping.canUnwrap)) {
      throw new FormatException(`Format '${name}' does not support 'WRAP_SINGLE_VALUE' set to '${spec.wrapSingle}'.`);
    }
    if (columns.length !== 1) throw new FormatException("'WRAP_SINGLE_VALUE' is only valid for single-field value schemas");
  }
  if (impl === undefined) return;
  const unsupported = Object.keys(spec.properties ?? {}).filter((k) => !impl.properties.includes(k.toLowerCase()));
  if (unsupported.length > 0) throw new FormatException(`${name} does not support the following configs: [${unsupported.join(', ')}]`);
  const reason = impl.checkSchema(columns, role);
  if (reason !== undefined) {
    const features = spec.wrapSingle === undefined ? '[]' : spec.wrapSingle ? '[WRAP_SINGLES]' : '[UNWRAP_SINGLES]';
    throw new FormatException(`${role === 'key' ? 'Key' : 'Value'} format does not support schema.\nformat: ${name}\n`
      + `schema: Persistence{columns=${formatColumns(columns, role)}, features=${features}}\nreason: ${reason}`);
  }
}
