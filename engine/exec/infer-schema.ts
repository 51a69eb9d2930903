/**
 * Schema inference for CREATE STREAM/TABLE (ksqlDB's DefaultSchemaInjector): when no key columns
 * (or no value columns) are declared and the key (value) format supports inference, the columns
 * come from the registry's latest schema under `<topic>-key` (`-value`), or from the schema given
 * by KEY_SCHEMA_ID (VALUE_SCHEMA_ID).
 *
 * Field names are upper-cased (recursively) for the latest schema and kept as written for a given
 * schema id (ksqlDB's UPPERCASE / ORIGINAL field-name translation policies). A value schema that is
 * not a record, or WRAP_SINGLE_VALUE=false, gives one column ROWVAL; a key gives one column ROWKEY
 * when the format can unwrap (AVRO, JSON_SR), else one column per field (PROTOBUF).
 */
import type * as A from '../sql/ast.js';
import { KsqlException } from '../errors/index.js';
import type { Column } from '../catalog/schema.js';
import type { FormatInfo } from '../catalog/source.js';
import type { WithProperties } from '../planner/with-properties.js';
import { isWrappedSide, schemaFormat, sideType, supportsInference } from '../serde/index.js';
import { formatSpec } from '../runtime/serdes.js';
import { formatSqlType, sqlTypeEquals, type SqlType } from '../types/sql-type.js';
import type { EngineContext } from './context.js';

function upperCaseFields(type: SqlType): SqlType {
  switch (type.base) {
    case 'ARRAY': return { base: 'ARRAY', element: upperCaseFields(type.element) };
    case 'MAP': return { base: 'MAP', key: upperCaseFields(type.key), value: upperCaseFields(type.value) };
    case 'STRUCT': return { base: 'STRUCT', fields: type.fields.map((f) => ({ name: f.name.toUpperCase(), type: upperCaseFields(f.type) })) };
    default: return type;
  }
}

export interface InferredColumns {
  readonly key?: readonly Column[];
  readonly value?: readonly Column[];
  /** The value came from a non-record schema (or WRAP_SINGLE_VALUE=false): an unwrapped single column. */
  readonly valueUnwrapped?: boolean;
}

export async function inferColumns(
  stmt: A.CreateSource, props: WithProperties, topic: string, keyFormat: FormatInfo, valueFormat: FormatInfo,
  declared: readonly Column[], ctx: EngineContext,
): Promise<InferredColumns> {
  const keyId = props.integer('KEY_SCHEMA_ID');
  const valueId = props.integer('VALUE_SCHEMA_ID');
  if (keyId !== undefined && !supportsInference(keyFormat.format)) {
    throw new KsqlException(`KEY_FORMAT should support schema inference when KEY_SCHEMA_ID is provided. Current format is ${keyFormat.format}.`);
  }
  if (valueId !== undefined && !supportsInference(valueFormat.format)) {
    throw new KsqlException(`VALUE_FORMAT should support schema inference when VALUE_SCHEMA_ID is provided. Current format is ${valueFormat.format}.`);
  }
  const hasKeys = declared.some((c) => c.namespace === 'KEY');
  const hasValues = declared.some((c) => c.namespace === 'VALUE');
  if (keyId !== undefined && hasKeys) throw new KsqlException('Table elements and KEY_SCHEMA_ID cannot both exist for create statement.');
  if (valueId !== undefined && hasValues) throw new KsqlException('Table elements and VALUE_SCHEMA_ID cannot both exist for create statement.');

  const out: { key?: Column[]; value?: Column[]; valueUnwrapped?: boolean } = {};
  if (!hasKeys && supportsInference(keyFormat.format)) {
    const type = await fetchType(keyFormat, `${topic}-key`, keyId, ctx, keyId !== undefined);
    if (type) {
      const canUnwrap = keyFormat.format !== 'PROTOBUF';
      out.key = canUnwrap || type.base !== 'STRUCT'
        ? [{ name: 'ROWKEY', type, namespace: 'KEY' }]
        : type.fields.map((f) => ({ name: f.name, type: f.type, namespace: 'KEY' as const }));
    }
  }
  if (!hasValues && supportsInference(valueFormat.format)) {
    const type = await fetchType(valueFormat, `${topic}-value`, valueId, ctx, valueId !== undefined);
    if (!type) {
      throw new KsqlException(`Schema for message values on topic '${topic}' does not exist in the Schema Registry.Subject: ${topic}-value\n\n`
        + 'Possible causes include:\n- The topic itself does not exist\n\t-> Use SHOW TOPICS; to check\n'
        + `- Messages on the topic are not serialized using a format Schema Registry supports\n\t-> Use PRINT '${topic}' FROM BEGINNING; to verify\n`
        + '- Messages on the topic have not been serialized using a Confluent Schema Registry supported serializer\n'
        + '\t-> See https://docs.confluent.io/current/schema-registry/docs/serializer-formatter.html\n'
        + '- The schema is registered on a different instance of the Schema Registry\n'
        + "\t-> Use the REST API to list available subjects\thttps://docs.confluent.io/current/schema-registry/docs/api.html#get--subjects\n"
        + '- You do not have Read access to the subject\n\t-> Check with your administrator');
    }
    const unwrap = props.boolean('WRAP_SINGLE_VALUE') === false || type.base !== 'STRUCT';
    out.value = unwrap
      ? [{ name: 'ROWVAL', type, namespace: 'VALUE' }]
      : (type as Extract<SqlType, { base: 'STRUCT' }>).fields.map((f) => ({ name: f.name, type: f.type, namespace: 'VALUE' as const }));
    if (unwrap) out.valueUnwrapped = true;
  }
  void stmt;
  return out;
}

async function fetchType(format: FormatInfo, subject: string, id: number | undefined, ctx: EngineContext, original: boolean): Promise<SqlType | undefined> {
  const sr = ctx.schemaRegistry;
  const def = id !== undefined ? await sr.fetchById(id) : await sr.fetchLatest(subject);
  if (!def) {
    if (id !== undefined) throw new KsqlException(`Schema with id ${id} does not exist in the Schema Registry (subject ${subject}).`);
    return undefined;
  }
  const f = schemaFormat(format.format)!;
  const fullSchemaName = format.properties.fullSchemaName;
  let type: SqlType;
  try {
    type = f.toSqlType(def, sr, fullSchemaName !== undefined ? { fullSchemaName } : {});
  } catch (e) {
    throw new KsqlException(`Unable to verify if the schema for topic ${subject.replace(/-(key|value)$/, '')} is compatible with ksqlDB: ${(e as Error).message}`);
  }
  return original ? type : upperCaseFields(type);
}

/**
 * Registers the schemas ksqlDB would generate for a source or sink under `<topic>-key|value`
 * (ksqlDB's SchemaRegisterInjector). Sides written with a given schema id, or in formats without
 * a registry, are skipped; `onlyIfAbsent` (CREATE with declared columns) leaves an existing subject alone.
 */
export async function registerSchemas(
  topic: string, keyColumns: readonly Column[], valueColumns: readonly Column[], keyFormat: FormatInfo, valueFormat: FormatInfo,
  ctx: EngineContext, onlyIfAbsent: boolean,
): Promise<void> {
  const sides: [Column[], FormatInfo, 'key' | 'value'][] = [[[...keyColumns], keyFormat, 'key'], [[...valueColumns], valueFormat, 'value']];
  for (const [columns, format, role] of sides) {
    if (!supportsInference(format.format) || format.properties.schemaId !== undefined || columns.length === 0) continue;
    const subject = `${topic}-${role}`;
    if (onlyIfAbsent && (await ctx.schemaRegistry.fetchLatest(subject))) continue;
    const wrapped = isWrappedSide(columns, formatSpec(format), role);
    const type: SqlType = sideType(columns, wrapped);
    const f = schemaFormat(format.format)!;
    const fullSchemaName = format.properties.fullSchemaName;
    const def = f.fromSqlType(type, { role, properties: format.properties, ...(fullSchemaName !== undefined ? { fullSchemaName } : {}) });
    try {
      await ctx.schemaRegistry.registerAsync(subject, def);
    } catch (e) {
      throw new KsqlException(`Could not register schema for topic: ${(e as Error).message}`);
    }
  }
}

/**
 * CSAS/CTAS with KEY_/VALUE_SCHEMA_ID: the sink's columns must match the registered schema's
 * columns in order (by name and type; the schema may have more fields), as ksqlDB checks.
 */
export async function checkSinkSchemaIds(
  keyColumns: readonly Column[], valueColumns: readonly Column[], keyFormat: FormatInfo, valueFormat: FormatInfo, ctx: EngineContext,
): Promise<void> {
  const sides: [readonly Column[], FormatInfo, 'key' | 'value'][] = [[keyColumns, keyFormat, 'key'], [valueColumns, valueFormat, 'value']];
  for (const [columns, format, role] of sides) {
    const id = format.properties.schemaId;
    if (id === undefined || columns.length === 0) continue;
    const def = await ctx.schemaRegistry.fetchById(Number(id));
    if (!def) throw new KsqlException(`Schema with id ${id} does not exist in the Schema Registry.`);
    const f = schemaFormat(format.format)!;
    const fullSchemaName = format.properties.fullSchemaName;
    const type = f.toSqlType(def, ctx.schemaRegistry, fullSchemaName !== undefined ? { fullSchemaName } : {});
    const wrapped = isWrappedSide(columns, formatSpec(format), role);
    const registered = wrapped && type.base === 'STRUCT'
      ? type.fields.map((x) => ({ name: x.name, type: x.type }))
      : [{ name: columns[0]!.name, type }];
    const bad = columns.filter((c, i) => {
      const r = registered[i];
      return !r || r.name !== c.name || !sqlTypeEquals(r.type, c.type);
    });
    if (bad.length > 0) {
      const text = (cs: readonly { name: string; type: SqlType }[]) => `[${cs.map((c) => `\`${c.name}\` ${formatSqlType(c.type)}`).join(', ')}]`;
      throw new KsqlException(`The following ${role} columns are changed, missing or reordered: ${text(bad)}. `
        + `Schema from schema registry is ${text(registered)}`);
    }
  }
}

/**
 * ksqlDB names the Avro record of a source's or sink's key `<Name>Key` in its schema namespace
 * (`OUTPUT` → `io.confluent.ksql.avro_schemas.OutputKey`, `LEFT_TABLE` → `…LeftTableKey`) and
 * records it as the key format's `fullSchemaName`.
 */
export function withKeySchemaName(format: FormatInfo, sourceName: string, keyCount: number): FormatInfo {
  if (format.format !== 'AVRO' || keyCount === 0 || format.properties.fullSchemaName !== undefined || format.properties.schemaId !== undefined) {
    return format;
  }
  const pascal = sourceName.split('_').filter((p) => p !== '').map((p) => p[0]!.toUpperCase() + p.slice(1).toLowerCase()).join('');
  return { ...format, properties: { ...format.properties, fullSchemaName: `io.confluent.ksql.avro_schemas.${pascal}Key` } };
}
