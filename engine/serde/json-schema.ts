/**
 * SQL types ⇄ JSON schemas, following Confluent's JsonSchemaData as ksqlDB uses it: optional
 * values are `{"oneOf": [{"type": "null"}, T]}`, struct fields carry `connect.index`, integers and
 * numbers carry `connect.type`, logical types a `title` (org.apache.kafka.connect.data.Decimal /
 * Date / Time / Timestamp), MAP<STRING, V> is an object with `additionalProperties`.
 * Inference: `integer` is BIGINT unless `connect.type` says int8/16/32, `number` is DOUBLE,
 * a string with `connect.type: bytes` is BYTES.
 */
import { SqlTypes, type SqlType } from '../types/sql-type.js';

type Json = Record<string, unknown>;

const optional = (t: Json): Json => ({ oneOf: [{ type: 'null' }, t] });

function schemaOf(type: SqlType): Json {
  switch (type.base) {
    case 'BOOLEAN': return { type: 'boolean' };
    case 'INTEGER': return { type: 'integer', 'connect.type': 'int32' };
    case 'BIGINT': return { type: 'integer', 'connect.type': 'int64' };
    case 'DOUBLE': return { type: 'number', 'connect.type': 'float64' };
    case 'STRING': return { type: 'string' };
    case 'BYTES': return { type: 'string', 'connect.type': 'bytes' };
    case 'DECIMAL': return {
      type: 'number', title: 'org.apache.kafka.connect.data.Decimal', 'connect.version': 1, 'connect.type': 'bytes',
      'connect.parameters': { scale: String(type.scale), 'connect.decimal.precision': String(type.precision) },
    };
    case 'DATE': return { type: 'integer', title: 'org.apache.kafka.connect.data.Date', 'connect.version': 1, 'connect.type': 'int32' };
    case 'TIME': return { type: 'integer', title: 'org.apache.kafka.connect.data.Time', 'connect.version': 1, 'connect.type': 'int32' };
    case 'TIMESTAMP': return { type: 'integer', title: 'org.apache.kafka.connect.data.Timestamp', 'connect.version': 1, 'connect.type': 'int64' };
    case 'ARRAY': return { type: 'array', items: optional(schemaOf(type.element)) };
    case 'MAP':
      if (type.key.base === 'STRING') return { type: 'object', additionalProperties: optional(schemaOf(type.value)), 'connect.type': 'map' };
      return {
        type: 'array', 'connect.type': 'map',
        items: { type: 'object', properties: { key: { ...optional(schemaOf(type.key)), 'connect.index': 0 }, value: { ...optional(schemaOf(type.value)), 'connect.index': 1 } } },
      };
    case 'STRUCT': return {
      type: 'object',
      properties: Object.fromEntries(type.fields.map((f, i) => [f.name, { 'connect.index': i, ...optional(schemaOf(f.type)) }])),
    };
  }
}

/** The JSON schema ksqlDB would register for a record side (a struct side is not optional). */
export function sqlToJsonSchema(type: SqlType, fullSchemaName?: string): Json {
  const s = type.base === 'STRUCT' ? schemaOf(type) : optional(schemaOf(type));
  return fullSchemaName !== undefined ? { ...s, title: fullSchemaName } : s;
}

function resolveRef(ref: string, root: Json, refs: ReadonlyMap<string, Json>): Json {
  if (ref.startsWith('#/')) {
    let node: unknown = root;
    for (const part of ref.slice(2).split('/')) node = (node as Json)[decodeURIComponent(part)];
    return node as Json;
  }
  const [file, pointer] = ref.split('#');
  const target = refs.get(file!);
  if (!target) throw new Error(`Unresolved $ref: ${ref}`);
  return pointer ? resolveRef(`#${pointer}`, target, refs) : target;
}

/** Connect's reading of a JSON schema as a SQL type (field names as written). */
export function jsonSchemaToSqlType(schema: Json, root: Json = schema, refs: ReadonlyMap<string, Json> = new Map(), depth = 0): SqlType {
  if (depth > 64) throw new Error('Recursive JSON schemas are not supported');
  const next = (s: unknown) => jsonSchemaToSqlType(s as Json, root, refs, depth + 1);
  if (typeof schema.$ref === 'string') return next(resolveRef(schema.$ref, root, refs));
  const union = (schema.oneOf ?? schema.anyOf) as Json[] | undefined;
  if (union) {
    const branches = union.filter((b) => b.type !== 'null');
    if (branches.length === 1) return next(branches[0]);
    return SqlTypes.struct(branches.map((b, i) => ({ name: `io.confluent.connect.json.OneOf.field.${i}`, type: next(b) })));
  }
  let type = schema.type;
  if (Array.isArray(type)) type = type.find((t) => t !== 'null');
  const connectType = schema['connect.type'];
  const title = schema.title;
  switch (type) {
    case 'boolean': return SqlTypes.BOOLEAN;
    case 'integer':
      if (title === 'org.apache.kafka.connect.data.Date') return SqlTypes.DATE;
      if (title === 'org.apache.kafka.connect.data.Time') return SqlTypes.TIME;
      if (title === 'org.apache.kafka.connect.data.Timestamp') return SqlTypes.TIMESTAMP;
      return connectType === 'int8' || connectType === 'int16' || connectType === 'int32' ? SqlTypes.INTEGER : SqlTypes.BIGINT;
    case 'number': {
      if (title === 'org.apache.kafka.connect.data.Decimal') {
        const p = (schema['connect.parameters'] ?? {}) as Record<string, string>;
        return SqlTypes.decimal(Number(p['connect.decimal.precision'] ?? 64), Number(p.scale ?? 0));
      }
      return SqlTypes.DOUBLE;
    }
    case 'string': return connectType === 'bytes' ? SqlTypes.BYTES : SqlTypes.STRING;
    case 'array': {
      const items = (schema.items ?? {}) as Json;
      if (connectType === 'map' && items.properties) {
        const props = items.properties as Record<string, Json>;
        return SqlTypes.map(next(props.key), next(props.value));
      }
      return SqlTypes.array(next(items));
    }
    case 'object':
    case undefined: {
      const props = schema.properties as Record<string, Json> | undefined;
      if (props && Object.keys(props).length > 0) {
        const entries = Object.entries(props);
        const indexed = entries.every(([, p]) => typeof p['connect.index'] === 'number');
        if (indexed) entries.sort((a, b) => (a[1]['connect.index'] as number) - (b[1]['connect.index'] as number));
        return SqlTypes.struct(entries.map(([name, p]) => ({ name, type: next(p) })));
      }
      if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        return SqlTypes.map(SqlTypes.STRING, next(schema.additionalProperties));
      }
      if (type === 'object') return SqlTypes.struct([]);
      throw new Error(`Unsupported JSON schema: ${JSON.stringify(schema)}`);
    }
    default: throw new Error(`Unsupported JSON schema type: ${JSON.stringify(type)}`);
  }
}
