/** CREATE [OR REPLACE] [SOURCE] STREAM|TABLE [IF NOT EXISTS] name (columns) WITH (...) */
import type * as A from '../sql/ast.js';
import { KsqlException } from '../errors/index.js';
import type { Column, LogicalSchema } from '../catalog/schema.js';
import { SYSTEM_COLUMN_NAMES, formatSchema } from '../catalog/schema.js';
import { formatStatement, parseColumnList } from '../sql/index.js';
import type { DataSource, TimestampColumn, WindowInfo, WindowType } from '../catalog/source.js';
import { WithProperties } from '../planner/with-properties.js';
import { parseDurationText } from '../planner/durations.js';
import { resolveTypeNode } from '../analyzer/types.js';
import { formatSqlType, type SqlType } from '../types/sql-type.js';
import { validateFormats } from '../runtime/serdes.js';
import { chooseFormats, keyFeatures, valueFeatures } from './formats.js';
import { inferColumns, registerSchemas, withKeySchemaName } from './infer-schema.js';
import type { EngineContext } from './context.js';
import type { StatementResult } from './results.js';

export async function executeCreateSource(stmt: A.CreateSource, text: string, ctx: EngineContext): Promise<StatementResult> {
  const kindWord = stmt.sourceType === 'STREAM' ? 'Stream' : 'Table';
  const existing = ctx.metaStore.getSource(stmt.name);
  if (existing && stmt.ifNotExists) {
    return { kind: 'status', commandId: `${stmt.sourceType.toLowerCase()}/${stmt.name}/create`,
      message: `Cannot add ${stmt.sourceType.toLowerCase()} '${stmt.name}': A ${existing.kind.toLowerCase()} with the same name already exists.` };
  }
  if (stmt.orReplace && (stmt.isSource || existing?.isSource)) {
    throw new KsqlException(`Cannot add ${stmt.sourceType.toLowerCase()} '${stmt.name}': CREATE OR REPLACE is not supported on source ${stmt.sourceType.toLowerCase()}s.`);
  }
  if (existing && !stmt.orReplace) {
    throw new KsqlException(`Cannot add ${stmt.sourceType.toLowerCase()} '${stmt.name}': A ${existing.kind.toLowerCase()} with the same name already exists`);
  }
  const source = await buildSource(stmt, text, ctx);
  await ensureTopic(source.topic, stmt, new WithProperties(stmt.properties), ctx);
  ctx.metaStore.putSource(source, stmt.orReplace);
  if (stmt.isSource && stmt.sourceType === 'TABLE') await ctx.startSourceTableQuery(source, text);
  return { kind: 'status', commandId: `${stmt.sourceType.toLowerCase()}/${stmt.name}/create`, message: `${kindWord} created` };
}

export async function buildSource(stmt: A.CreateSource, text: string, ctx: EngineContext): Promise<DataSource> {
  const props = new WithProperties(stmt.properties);
  const topic = props.string('KAFKA_TOPIC');
  if (topic === undefined) throw new KsqlException('Missing required property "KAFKA_TOPIC" which has no default value.');
  const { keyFormat, valueFormat } = chooseFormats(props, { config: ctx.config });
  const declared = stmt.elements.map((e) => toColumn(e, ctx));
  const inferred = await inferColumns(stmt, props, topic, keyFormat, valueFormat, declared, ctx);
  const columns = [...(inferred.key ?? []), ...declared, ...(inferred.value ?? [])];
  checkColumns(stmt, columns, keyFormat.format, valueFormat.format);
  const schema: LogicalSchema = { columns: [...columns.filter((c) => c.namespace === 'KEY'), ...columns.filter((c) => c.namespace !== 'KEY')] };
  const keyCount = columns.filter((c) => c.namespace === 'KEY').length;
  const valueCount = columns.filter((c) => c.namespace === 'VALUE').length;
  const window = windowInfo(props);
  if (window && keyCount === 0) throw new KsqlException('Windowed sources require a key column.');
  const kf = withKeySchemaName({ ...keyFormat, features: keyFeatures(keyFormat.format, keyCount) }, stmt.name, keyCount);
  const wrapSingle = props.boolean('WRAP_SINGLE_VALUE') ?? (inferred.valueUnwrapped ? false : undefined);
  const vf = { ...valueFormat, features: valueFeatures(valueFormat.format, valueCount, wrapSingle, ctx.config) };
  validateFormats(schema, kf, vf);
  if (!stmt.isSource) {
    const declaredOnly = (ns: string) => (inferred[ns === 'KEY' ? 'key' : 'value'] ? [] : declared.filter((c) => c.namespace === ns));
    await registerSchemas(topic, declaredOnly('KEY'), declaredOnly('VALUE'), kf, vf, ctx, true);
  }
  return {
    name: stmt.name,
    kind: stmt.sourceType,
    schema,
    topic,
    keyFormat: kf,
    valueFormat: vf,
    ...(window ? { window } : {}),
    ...timestampColumn(props, schema),
    isSource: stmt.isSource,
    isSink: false,
    sqlText: inferred.key || inferred.value ? withInferredColumns(stmt, schema) : text,
  };
}

/**
 * The statement with the inferred columns written out (ksqlDB stores the injected statement, so
 * that DESCRIBE shows the columns and a replay does not depend on the registry's latest schema).
 */
function withInferredColumns(stmt: A.CreateSource, schema: LogicalSchema): string {
  const cols = schema.columns.filter((c) => c.namespace !== 'HEADERS' && c.namespace !== 'HEADER' || stmt.elements.some((e) => e.name === c.name));
  const keySuffix = stmt.sourceType === 'TABLE' ? 'PRIMARY KEY' : 'KEY';
  const elements = parseColumnList(formatSchema({ columns: cols }, { keySuffix }));
  return formatStatement({ ...stmt, elements }) + ';';
}

function toColumn(e: A.TableElement, ctx: EngineContext): Column {
  const type = resolveTypeNode(e.type, (n) => ctx.metaStore.getType(n));
  if (SYSTEM_COLUMN_NAMES.has(e.name)) {
    throw new KsqlException(`'${e.name}' is a reserved column name. You cannot use it as a name for a column.`);
  }
  switch (e.constraint?.kind) {
    case 'Key':
    case 'PrimaryKey': return { name: e.name, type, namespace: 'KEY' };
    case 'Headers': return { name: e.name, type, namespace: 'HEADERS' };
    case 'Header':
      if (type.base !== 'BYTES') throw new KsqlException(`Invalid type for HEADER('${e.constraint.key}') column: expected BYTES, got ${formatSqlType(type)}`);
      return { name: e.name, type, namespace: 'HEADER', headerKey: e.constraint.key };
    default: return { name: e.name, type, namespace: 'VALUE' };
  }
}

function checkColumns(stmt: A.CreateSource, columns: readonly Column[], keyFormat: string, valueFormat: string): void {
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.name)) throw new KsqlException(`Duplicate column names: ${c.name}`);
    seen.add(c.name);
  }
  const inferring = (f: string) => f === 'AVRO' || f === 'PROTOBUF' || f === 'JSON_SR';
  if (columns.length === 0 && !inferring(valueFormat) && valueFormat !== 'NONE') throw new KsqlException('No columns supplied.');
  const keys = columns.filter((c) => c.namespace === 'KEY');
  if (stmt.sourceType === 'TABLE' && keys.length === 0 && !(columns.length === 0 && inferring(keyFormat))) {
    throw new KsqlException('Tables require a PRIMARY KEY. Please define the PRIMARY KEY.');
  }
  if (columns.some((c) => c.namespace === 'HEADERS') && columns.filter((c) => c.namespace === 'HEADERS').length > 1) {
    throw new KsqlException('Schema already contains a HEADERS column.');
  }
  const headers = columns.find((c) => c.namespace === 'HEADERS');
  if (headers && formatSqlType(headers.type) !== 'ARRAY<STRUCT<`KEY` STRING, `VALUE` BYTES>>') {
    throw new KsqlException(`Invalid type for HEADERS column: expected ARRAY<STRUCT<\`KEY\` STRING, \`VALUE\` BYTES>>, got ${formatSqlType(headers.type)}`);
  }
  if (keyFormat === 'NONE' && keys.length > 0) {
    throw new KsqlException(`The 'NONE' format can only be used when no columns are defined. Got: [${formatSchema({ columns: keys })}]`);
  }
  const values = columns.filter((c) => c.namespace === 'VALUE');
  if (valueFormat === 'NONE' && values.length > 0) {
    throw new KsqlException(`The 'NONE' format can only be used when no columns are defined. Got: [${formatSchema({ columns: values })}]`);
  }
}

function windowInfo(props: WithProperties): WindowInfo | undefined {
  const t = props.string('WINDOW_TYPE');
  if (t === undefined) return undefined;
  const type = t.toUpperCase() as WindowType;
  if (type !== 'TUMBLING' && type !== 'HOPPING' && type !== 'SESSION') {
    throw new KsqlException(`Configuration WINDOW_TYPE is invalid: Unknown window type: '${t}'`);
  }
  const size = props.string('WINDOW_SIZE');
  if (type === 'SESSION') {
    if (size !== undefined) throw new KsqlException("'WINDOW_SIZE' should not be set for SESSION windows.");
    return { type };
  }
  if (size === undefined) throw new KsqlException(`${type} windows require 'WINDOW_SIZE' to be provided in the WITH clause. For example: 'WINDOW_SIZE'='10 SECONDS'`);
  return { type, sizeMs: parseDurationText(size, 'WINDOW_SIZE') };
}

function timestampColumn(props: WithProperties, schema: LogicalSchema): { timestampColumn?: TimestampColumn } {
  const raw = props.string('TIMESTAMP');
  if (raw === undefined) return {};
  const name = raw.startsWith('`') && raw.endsWith('`') ? raw.slice(1, -1) : raw.toUpperCase();
  const col = schema.columns.find((c) => c.name === name);
  if (!col) throw new KsqlException(`The TIMESTAMP column set in the WITH clause does not exist in the schema: '${name}'`);
  const format = props.string('TIMESTAMP_FORMAT');
  checkTimestampType(col.type, name, format);
  return { timestampColumn: format === undefined ? { column: name } : { column: name, format } };
}

export function checkTimestampType(type: SqlType, name: string, format: string | undefined): void {
  const ok = type.base === 'BIGINT' || type.base === 'TIMESTAMP' || (type.base === 'STRING' && format !== undefined);
  if (!ok) {
    throw new KsqlException(`Timestamp column, \`${name}\`, should be LONG(INT64), TIMESTAMP, or a String with a timestamp_format specified.`);
  }
}

/** Creates the topic when it does not exist (PARTITIONS required), or checks PARTITIONS against it. */
export async function ensureTopic(topic: string, stmt: { sourceType: string }, props: WithProperties, ctx: EngineContext): Promise<void> {
  const existing = await ctx.topics.describeTopic(topic);
  const partitions = props.integer('PARTITIONS');
  const replicas = props.integer('REPLICAS');
  if (existing) {
    if (partitions !== undefined && partitions !== existing.partitions) {
      throw new KsqlException(`A Kafka topic with the name '${topic}' already exists, with different partition/replica configuration than required. KSQL expects ${partitions} partitions (topic has ${existing.partitions}), ${replicas ?? existing.replicas} replication factor (topic has ${existing.replicas}).`);
    }
    return;
  }
  if (partitions === undefined) {
    const kind = stmt.sourceType.toLowerCase();
    throw new KsqlException(`Topic '${topic}' does not exist. If you want to create a new topic for the ${kind} please re-run the statement providing the required 'PARTITIONS' configuration in the WITH clause (and optionally 'REPLICAS'). For example: CREATE ${stmt.sourceType} ${topic.toUpperCase()} (ID INT) WITH (KAFKA_TOPIC='${topic}', PARTITIONS=2, REPLICAS=1, FORMAT='JSON');`);
  }
  await ctx.topics.createTopic(topic, { partitions, replicas: replicas ?? 1 });
}
