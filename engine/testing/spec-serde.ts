/**
 * How the QTT runner turns record specs into bytes and bytes back into comparable values, per
 * format (reference §4.3, "Serde behaviour per format"). JSON specs are written as JSON text with
 * exact numbers; DELIMITED specs are the text itself; KAFKA specs are coerced by the column type.
 */
import type { Column } from '../catalog/schema.js';
import type { FormatInfo } from '../catalog/source.js';
import { KsqlException } from '../errors/index.js';
import { JsonNumber, isJsonNumber, parseJsonExact } from '../serde/json-exact.js';
import { formatSpec, rowSerde } from '../runtime/serdes.js';
import type { SchemaRegistryClient } from '../schema/types.js';
import { frame, isWrappedSide, schemaFormat, sideType, unframe } from '../serde/index.js';
import { ActualDouble } from './record-compare.js';
import { specToSql, sqlToSpec } from './spec-sql.js';

/** Where the schema-registry formats find their schemas: subjects `<topic>-key|value`. */
export interface SpecSrContext {
  readonly registry: SchemaRegistryClient;
  readonly topic: string;
}

export function stringifySpec(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (isJsonNumber(v)) return v.text;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(stringifySpec).join(',')}]`;
  return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${JSON.stringify(k)}:${stringifySpec(x)}`).join(',')}}`;
}

/** A spec scalar coerced to the runtime value of a primitive column type (KAFKA format). */
function specToPrimitive(v: unknown, column: Column): unknown {
  if (v === null || v === undefined) return null;
  const base = column.type.base;
  const num = isJsonNumber(v) ? v : typeof v === 'string' && base !== 'STRING' && base !== 'BYTES' ? new JsonNumber(v) : undefined;
  switch (base) {
    case 'INTEGER': return num ? Number(num.toBigInt()) | 0 : v;
    case 'BIGINT': { if (!num) return v; const b = num.toBigInt(); return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b; }
    case 'DOUBLE': return num ? num.toNumber() : v;
    case 'STRING': return isJsonNumber(v) ? v.text : typeof v === 'string' ? v : stringifySpec(v);
    case 'BYTES': return typeof v === 'string' ? Buffer.from(v, 'base64') : v;
    default: return v;
  }
}

export function specToBytes(
  spec: unknown, columns: readonly Column[], format: FormatInfo, role: 'key' | 'value', sr?: SpecSrContext,
): Buffer | null {
  if (spec === null || spec === undefined) return null;
  switch (format.format) {
    case 'AVRO':
    case 'JSON_SR':
    case 'PROTOBUF': {
      if (!sr) throw new KsqlException(`The ${format.format} format needs a schema registry`);
      const f = schemaFormat(format.format)!;
      const subject = `${sr.topic}-${role}`;
      let latest = sr.registry.getLatest(subject);
      if (!latest) {
        const fs = formatSpec(format);
        const type = sideType(columns, isWrappedSide(columns, fs, role));
        const def = f.fromSqlType(type, { role, properties: format.properties, ...(format.properties.fullSchemaName ? { fullSchemaName: format.properties.fullSchemaName } : {}) });
        sr.registry.register(subject, def);
        latest = sr.registry.getLatest(subject)!;
      }
      const options = { properties: format.properties, ...(format.properties.fullSchemaName ? { fullSchemaName: format.properties.fullSchemaName } : {}) };
      const type = f.toSqlType(latest, sr.registry, options);
      return frame(latest.id, f.codec(latest, sr.registry, type, options).encode(specToSql(spec, type)));
    }
    case 'PROTOBUF_NOSR': {
      const fs = formatSpec(format);
      const wrapped = isWrappedSide(columns, fs, role);
      const v = specToSql(spec, sideType(columns, wrapped));
      const values = wrapped ? columns.map((c) => (v as Record<string, unknown>)[c.name] ?? null) : [v];
      return rowSerde(format, columns, role).serialize(values);
    }
    case 'JSON': return Buffer.from(stringifySpec(spec), 'utf8');
    case 'DELIMITED': return Buffer.from(isJsonNumber(spec) ? spec.text : typeof spec === 'string' ? spec : stringifySpec(spec), 'utf8');
    case 'NONE': return null;
    case 'KAFKA': {
      if (columns.length === 0) return Buffer.from(typeof spec === 'string' ? spec : stringifySpec(spec), 'utf8');
      return rowSerde(format, columns, role).serialize([specToPrimitive(spec, columns[0]!)]);
    }
    default: throw new KsqlException(`The test runner does not support the ${format.format} format yet`);
  }
}

/** Bytes of a record side in the form the comparator expects. */
export function bytesToActual(
  bytes: Buffer | null, columns: readonly Column[], format: FormatInfo, role: 'key' | 'value', sr?: SpecSrContext,
): unknown {
  if (bytes === null) return null;
  switch (format.format) {
    case 'JSON': return parseJsonExact(bytes.toString('utf8'));
    case 'AVRO':
    case 'JSON_SR':
    case 'PROTOBUF': {
      if (!sr) throw new KsqlException(`The ${format.format} format needs a schema registry`);
      const f = schemaFormat(format.format)!;
      const { id, payload } = unframe(bytes);
      const def = sr.registry.getById(id);
      if (!def) throw new KsqlException(`Schema ${id} not found`);
      const options = { properties: format.properties, ...(format.properties.fullSchemaName ? { fullSchemaName: format.properties.fullSchemaName } : {}) };
      const type = f.toSqlType(def, sr.registry, options);
      return sqlToSpec(f.codec(def, sr.registry, type, options).decode(payload), type);
    }
    case 'PROTOBUF_NOSR': {
      const fs = formatSpec(format);
      const wrapped = isWrappedSide(columns, fs, role);
      const row = rowSerde(format, columns, role).deserialize(bytes);
      if (row === null) return null;
      const type = sideType(columns, wrapped);
      if (!wrapped) return sqlToSpec(row[0], type);
      const o: Record<string, unknown> = {};
      columns.forEach((c, i) => { o[c.name] = row[i]; });
      return sqlToSpec(o, type);
    }
    case 'DELIMITED': return bytes.toString('utf8');
    case 'NONE': return null;
    case 'KAFKA': {
      if (columns.length === 0) return bytes.toString('utf8');
      const v = rowSerde(format, columns, role).deserialize(bytes)?.[0] ?? null;
      return columns[0]!.type.base === 'DOUBLE' && typeof v === 'number' ? new ActualDouble(v) : v;
    }
    default: throw new KsqlException(`The test runner does not support the ${format.format} format yet`);
  }
}
