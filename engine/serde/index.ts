/**
 * Serialisation of record keys and values (DESIGN.md "Serdes").
 *
 *   const serde = createSerde(columns, { format: 'JSON' }, 'value', { topic: 'orders' });
 *   serde.deserialize(bytes)   // → values in column order, or null (tombstone)
 *   serde.serialize(values)    // → bytes, or null
 *
 * Call `validateFormat` when planning (it raises ksqlDB's errors for unsupported combinations);
 * `createSerde` assumes a valid combination. Formats live one per file behind `FormatImpl` and are
 * registered in `formats.ts`. The schema-registry formats share `sr-common.ts`.
 */
import './formats.js';
import { KsqlException } from '../errors/index.js';
import { getFormat } from './registry.js';
import type { FormatSpec, RowSerde, SerdeColumn, SerdeOptions, SerdeRole } from './types.js';
import { isFormatName } from './validate.js';
import { compileReader } from './json-read.js';
import { CoercionError, NEEDS_EXACT } from './json-scalars.js';
import { SerdeException } from './errors.js';
import type { SqlType } from '../types/sql-type.js';

export type { FormatImpl, FormatName, FormatSpec, RowSerde, SerdeColumn, SerdeOptions, SerdeRole } from './types.js';
export { FORMAT_NAMES } from './types.js';
export { SerdeException, FormatException } from './errors.js';
export { validateFormat, isFormatName } from './validate.js';
export { registerFormat, getFormat, registeredFormats } from './registry.js';
export { parseDelimiter } from './delimited.js';
export { schemaFormat, supportsInference } from './schema-formats.js';
export {
  createSrSerde, defaultSchemaRegistry, setDefaultSchemaRegistry, frame, unframe, isWrappedSide, sideType, type SchemaFormat, type SchemaCodec,
} from './sr-common.js';
export { JsonNumber, isJsonNumber, parseJsonExact, stringifyJsonTree } from './json-exact.js';
export {
  serializeWindowedKey, serializeSessionWindowedKey, deserializeWindowedKey, deserializeSessionWindowedKey,
  type WindowedKey,
} from './windowed.js';
export { formatJavaDouble, javaBigDecimalToString, parseJavaDouble } from '../types/java-format.js';

/**
 * Builds the serde for one side of a topic's records. `role` decides the JSON default for a single
 * column (keys unwrapped, values wrapped) and the wording of errors.
 * Throws KsqlException for a format that is not implemented.
 */
export function createSerde(
  columns: readonly SerdeColumn[], spec: FormatSpec, role: SerdeRole, options: SerdeOptions = {},
): RowSerde {
  const name = String(spec.format).toUpperCase();
  if (!isFormatName(name)) throw new KsqlException(`Unknown format: ${spec.format}`);
  const impl = getFormat(name);
  if (impl === undefined) throw new KsqlException(`The '${name}' format is not yet supported by Sluice`);
  return impl.create(columns, spec, role, options);
}

/**
 * A function that coerces one parsed JSON value (from `JSON.parse` or `parseJsonExact`) to the
 * runtime representation of `type`, with the JSON deserializer's rules (e.g. `3` → 3 for DOUBLE,
 * base64 text → Buffer for BYTES, `"1.5"` → Decimal for DECIMAL). null/undefined give null. Meant for
 * tools such as the conformance runner, which turn JSON test data into rows for any format.
 * Throws SerdeException; with `JSON.parse` input, integers beyond 2^53 have already lost digits and
 * raise an error asking for `parseJsonExact` instead.
 */
export function compileJsonCoercer(type: SqlType): (value: unknown) => unknown {
  const read = compileReader(type);
  return (value) => {
    if (value === null || value === undefined) return null;
    try {
      return read(value);
    } catch (e) {
      if (e === NEEDS_EXACT) throw new SerdeException('Integer beyond 2^53 in JSON.parse output: parse with parseJsonExact');
      const detail = e instanceof CoercionError ? new CoercionError(e.rawMessage, '$' + e.path).message : e instanceof Error ? e.message : String(e);
      throw new SerdeException(detail, { cause: e });
    }
  };
}
