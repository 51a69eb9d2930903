/**
 * SQL types ⇄ Avro schemas, following ksqlDB (AvroSchemas + Confluent's AvroData):
 *   - every field and element is optional: `["null", T]` with `"default": null`;
 *   - the top-level record is `io.confluent.ksql.avro_schemas.KsqlDataSourceSchema` unless a
 *     full schema name is given; nested records are named `<parent>_<FIELD>`;
 *   - DECIMAL is bytes with the decimal logical type, DATE int/date, TIME int/time-millis,
 *     TIMESTAMP long/timestamp-millis (with Connect's annotations);
 *   - MAP (optional STRING keys in Connect) is an array of `{key, value}` records marked
 *     `"connect.internal.type": "MapEntry"`; reading also accepts Avro maps.
 * Inference (toSqlType) maps int→INTEGER, long→BIGINT, float/double→DOUBLE, enum→STRING,
 * fixed→BYTES and unwraps `["null", T]` unions.
 */
import { SqlTypes, type SqlType } from '../types/sql-type.js';
import type { AvroNode } from '../schema/avro-types.js';

export const DEFAULT_AVRO_NAMESPACE = 'io.confluent.ksql.avro_schemas';
export const DEFAULT_AVRO_NAME = 'KsqlDataSourceSchema';

const NAME_START = /^[A-Za-z_]/;
const NAME_REST = /^[A-Za-z0-9_]*$/;

/** Avro's name rules, with the messages of Avro's SchemaParseException. */
export function checkAvroName(name: string): string | undefined {
  if (name.length === 0) return 'Empty name';
  if (!NAME_START.test(name)) return `Illegal initial character: ${name}`;
  if (!NAME_REST.test(name)) return `Illegal character in: ${name}`;
  return undefined;
}

function splitName(full: string): { name: string; namespace?: string } {
  const i = full.lastIndexOf('.');
  return i < 0 ? { name: full } : { name: full.slice(i + 1), namespace: full.slice(0, i) };
}

const optional = (t: unknown): unknown => ['null', t];

function typeSchema(type: SqlType, path: string): unknown {
  switch (type.base) {
    case 'BOOLEAN': return 'boolean';
    case 'INTEGER': return 'int';
    case 'BIGINT': return 'long';
    case 'DOUBLE': return 'double';
    case 'STRING': return 'string';
    case 'BYTES': return 'bytes';
    case 'DECIMAL': return {
      type: 'bytes', scale: type.scale, precision: type.precision, 'connect.version': 1,
      'connect.parameters': { scale: String(type.scale), 'connect.decimal.precision': String(type.precision) },
      'connect.name': 'org.apache.kafka.connect.data.Decimal', logicalType: 'decimal',
    };
    case 'DATE': return { type: 'int', 'connect.version': 1, 'connect.name': 'org.apache.kafka.connect.data.Date', logicalType: 'date' };
    case 'TIME': return { type: 'int', 'connect.version': 1, 'connect.name': 'org.apache.kafka.connect.data.Time', logicalType: 'time-millis' };
    case 'TIMESTAMP': return { type: 'long', 'connect.version': 1, 'connect.name': 'org.apache.kafka.connect.data.Timestamp', logicalType: 'timestamp-millis' };
    case 'ARRAY': return { type: 'array', items: optional(typeSchema(type.element, path)) };
    case 'MAP': {
      if (type.key.base !== 'STRING') throw new Error('Avro only supports MAPs with STRING keys');
      return {
        type: 'array',
        items: {
          type: 'record', name: `${path}_MapEntry`,
          fields: [
            { name: 'key', type: optional('string'), default: null },
            { name: 'value', type: optional(typeSchema(type.value, `${path}_MapValue`)), default: null },
          ],
          'connect.internal.type': 'MapEntry',
        },
      };
    }
    case 'STRUCT': return recordSchema(type.fields, path);
  }
}

function recordSchema(fields: readonly { name: string; type: SqlType }[], name: string, namespace?: string): unknown {
  for (const f of fields) {
    const problem = checkAvroName(f.name);
    if (problem) throw new Error(`Schema is not compatible with Avro: ${problem}`);
  }
  return {
    type: 'record', name, ...(namespace ? { namespace } : {}),
    fields: fields.map((f) => ({ name: f.name, type: optional(typeSchema(f.type, `${name}_${f.name}`)), default: null })),
  };
}

/** The Avro schema ksqlDB would register for a record side of this SQL type. */
export function sqlToAvroSchema(type: SqlType, fullSchemaName?: string): unknown {
  const { name, namespace } = splitName(fullSchemaName ?? `${DEFAULT_AVRO_NAMESPACE}.${DEFAULT_AVRO_NAME}`);
  if (type.base === 'STRUCT') {
    const s = recordSchema(type.fields, name, namespace) as Record<string, unknown>;
    return fullSchemaName === undefined ? { ...s, 'connect.name': `${namespace}.${name}` } : s;
  }
  return typeSchema(type, name);
}

/** Non-null branches of a union (or the node itself). */
export function nonNullBranches(node: AvroNode): readonly AvroNode[] {
  return node.kind === 'union' ? node.branches.filter((b) => b.kind !== 'null') : [node];
}

/** Connect's reading of an Avro schema as a SQL type (field names as written). */
export function avroToSqlType(node: AvroNode, depth = 0): SqlType {
  if (depth > 64) throw new Error('Recursive Avro schemas are not supported');
  switch (node.kind) {
    case 'union': {
      const branches = nonNullBranches(node);
      if (branches.length === 1) return avroToSqlType(branches[0]!, depth + 1);
      // Connect turns a general union into a struct with one optional field per branch.
      return SqlTypes.struct(branches.map((b, i) => ({ name: unionFieldName(b, i), type: avroToSqlType(b, depth + 1) })));
    }
    case 'null': throw new Error('Avro null type is not supported');
    case 'boolean': return SqlTypes.BOOLEAN;
    case 'int':
      if (node.logical === 'date') return SqlTypes.DATE;
      if (node.logical === 'time-millis') return SqlTypes.TIME;
      return SqlTypes.INTEGER;
    case 'long':
      if (node.logical === 'timestamp-millis') return SqlTypes.TIMESTAMP;
      return SqlTypes.BIGINT;
    case 'float':
    case 'double': return SqlTypes.DOUBLE;
    case 'string':
    case 'enum': return SqlTypes.STRING;
    case 'bytes':
    case 'fixed':
      if (node.logical === 'decimal') return SqlTypes.decimal(node.precision ?? 64, node.scale ?? 0);
      return SqlTypes.BYTES;
    case 'array':
      if (node.mapEntry && node.items.kind === 'record') {
        const k = node.items.fields.find((f) => f.name === 'key');
        const v = node.items.fields.find((f) => f.name === 'value');
        if (k && v) return SqlTypes.map(avroToSqlType(k.type, depth + 1), avroToSqlType(v.type, depth + 1));
      }
      return SqlTypes.array(avroToSqlType(node.items, depth + 1));
    case 'map': return SqlTypes.map(SqlTypes.STRING, avroToSqlType(node.values, depth + 1));
    case 'record': return SqlTypes.struct(node.fields.map((f) => ({ name: f.name, type: avroToSqlType(f.type, depth + 1) })));
  }
}

/** Connect's field names for union branches: the branch's type name (`int`, `string`, record name). */
export function unionFieldName(b: AvroNode, i: number): string {
  if (b.kind === 'record' || b.kind === 'enum' || b.kind === 'fixed') return b.name.split('.').pop() ?? `branch${i}`;
  return b.kind === 'union' ? `branch${i}` : b.kind;
}
