/** CSAS / CTAS / INSERT INTO … SELECT: plan the query, register the sink, start it. */
import type * as A from '../sql/ast.js';
import { KsqlException, KsqlStatementException } from '../errors/index.js';
import { formatStatement } from '../sql/format-statement.js';
import { createInternalTopics } from './internal-topics.js';
import type { DataSource, FormatInfo } from '../catalog/source.js';
import { formatSchema, keyColumns, serializedValueColumns, type LogicalSchema } from '../catalog/schema.js';
import { planQuery, type PlannedQuery } from '../planner/query-planner.js';
import { WithProperties } from '../planner/with-properties.js';
import type { PhysicalPlan, SinkStep } from '../physical/steps.js';
import { validateFormats } from '../runtime/serdes.js';
import { chooseFormats, keyFeatures, valueFeatures } from './formats.js';
import { checkTimestampType } from './create-source.js';
import { checkCopartitioning } from './copartition.js';
import type { EngineContext } from './context.js';
import type { PersistentQuery } from './query.js';
import type { StatementResult } from './results.js';
import { sqlTypeEquals } from '../types/sql-type.js';

const CSAS_PROPS = new Set([
  'KAFKA_TOPIC', 'KEY_FORMAT', 'VALUE_FORMAT', 'FORMAT', 'PARTITIONS', 'REPLICAS', 'RETENTION_MS', 'TIMESTAMP',
  'TIMESTAMP_FORMAT', 'WRAP_SINGLE_VALUE', 'KEY_DELIMITER', 'VALUE_DELIMITER', 'KEY_SCHEMA_ID', 'VALUE_SCHEMA_ID',
  'KEY_SCHEMA_FULL_NAME', 'VALUE_SCHEMA_FULL_NAME', 'VALUE_AVRO_SCHEMA_FULL_NAME', 'KEY_PROTOBUF_NULLABLE_REPRESENTATION',
  'VALUE_PROTOBUF_NULLABLE_REPRESENTATION', 'QUERY_ID',
]);

export async function executeCreateAsSelect(stmt: A.CreateAsSelect, text: string, ctx: EngineContext): Promise<StatementResult> {
  const existing = ctx.metaStore.getSource(stmt.name);
  const kindLower = stmt.sourceType.toLowerCase();
  if (existing && stmt.ifNotExists) {
    return { kind: 'status', commandId: `${kindLower}/${stmt.name}/create`,
      message: `Cannot add ${kindLower} '${stmt.name}': A ${existing.kind.toLowerCase()} with the same name already exists.` };
  }
  if (existing && !stmt.orReplace) {
    throw new KsqlException(`Cannot add ${kindLower} '${stmt.name}': A ${existing.kind.toLowerCase()} with the same name already exists`);
  }
  const props = new WithProperties(stmt.properties, CSAS_PROPS);
  const queryNumber = ctx.nextQueryNumber();
  const queryId = (props.string('QUERY_ID') ?? `${stmt.sourceType === 'STREAM' ? 'CSAS' : 'CTAS'}_${stmt.name}_${queryNumber}`).toUpperCase();
  const tsName = props.string('TIMESTAMP');
  const planned = planQuery(stmt.query, {
    metaStore: ctx.metaStore, functions: ctx.functions, queryId, sinkName: stmt.name, statementText: text, properties: ctx.config,
    ...(tsName !== undefined ? { sinkTimestampColumn: tsName.startsWith('`') && tsName.endsWith('`') ? tsName.slice(1, -1) : tsName.toUpperCase() } : {}),
  });
  await checkCopartitioning(planned, ctx);
  if (planned.kind !== stmt.sourceType) {
    const other = planned.kind === 'STREAM' ? 'CREATE STREAM AS SELECT' : 'CREATE TABLE AS SELECT';
    throw new KsqlException(`Invalid result type. Your SELECT query produces a ${planned.kind}. Please use ${other} statement instead.`);
  }
  const first = planned.sources[0]!;
  const keyDefault = planned.keyless ? { format: 'NONE', properties: {}, features: [] } : first.keyFormat;
  const { keyFormat, valueFormat } = chooseFormats(props, { config: ctx.config, keyFormat: keyDefault, valueFormat: first.valueFormat });
  const schema = planned.schema;
  const kf: FormatInfo = { ...keyFormat, features: keyFeatures(keyFormat.format, keyColumns(schema).length) };
  const vf: FormatInfo = {
    ...valueFormat,
    features: valueFeatures(valueFormat.format, serializedValueColumns(schema).length, props.boolean('WRAP_SINGLE_VALUE'), ctx.config),
  };
  try {
    validateFormats(schema, kf, vf);
  } catch (e) {
    // ksqlDB checks the formats of aggregations on its rewritten statement, and quotes that one.
    if (planned.rewrittenQuery && e instanceof KsqlException && !(e instanceof KsqlStatementException)) {
      throw new KsqlStatementException(e.message, formatStatement({ ...stmt, query: planned.rewrittenQuery }), { cause: e });
    }
    throw e;
  }
  const prefix = String(ctx.config['ksql.output.topic.name.prefix'] ?? '');
  const topic = props.string('KAFKA_TOPIC') ?? prefix + stmt.name;
  await ensureSinkTopic(topic, props, planned, ctx);
  const tsCol = sinkTimestamp(props, schema);
  const sink: DataSource = {
    name: stmt.name, kind: stmt.sourceType, schema, topic, keyFormat: kf, valueFormat: vf,
    ...(planned.window ? { window: planned.window } : {}),
    ...(tsCol ? { timestampColumn: tsCol } : {}),
    isSource: false, isSink: true, sqlText: text,
  };
  if (existing && stmt.orReplace) await replaceQueriesWriting(stmt.name, ctx);
  ctx.metaStore.putSource(sink, stmt.orReplace);
  await startQuery(queryId, text, planned, sink, ctx);
  return { kind: 'status', commandId: `${kindLower}/${stmt.name}/create`, message: `Created query with ID ${queryId}`, queryId };
}

export async function executeInsertInto(stmt: A.InsertInto, text: string, ctx: EngineContext): Promise<StatementResult> {
  const target = ctx.metaStore.getSource(stmt.target);
  if (!target) throw new KsqlException(`${stmt.target} does not exist.`);
  if (target.kind !== 'STREAM') throw new KsqlException(`INSERT INTO can only be used to insert into a stream. ${target.name} is a table.`);
  if (target.isSource) throw new KsqlException(`Cannot insert into read-only stream: ${target.name}`);
  if (target.schema.columns.some((c) => c.namespace === 'HEADERS' || c.namespace === 'HEADER')) {
    throw new KsqlException(`Cannot insert into ${target.name} because it has header columns`);
  }
  const props = new WithProperties(stmt.properties, new Set(['QUERY_ID']));
  const queryNumber = ctx.nextQueryNumber();
  const queryId = (props.string('QUERY_ID') ?? `INSERTQUERY_${queryNumber}`).toUpperCase();
  const planned = planQuery(stmt.query, {
    metaStore: ctx.metaStore, functions: ctx.functions, queryId, sinkName: target.name, statementText: text, properties: ctx.config,
  });
  await checkCopartitioning(planned, ctx);
  if (planned.kind !== 'STREAM') throw new KsqlException(`INSERT INTO can only be used with a stream source query. ${target.name}`);
  if (!schemasCompatible(planned.schema, target.schema)) {
    throw new KsqlException(
      `Incompatible schema between results and sink.\nResult schema is ${formatSchema(planned.schema)}\nSink schema is ${formatSchema(target.schema)}`,
    );
  }
  await startQuery(queryId, text, planned, target, ctx);
  return { kind: 'status', commandId: `stream/${target.name}/create`, message: `Created query with ID ${queryId}`, queryId };
}

function schemasCompatible(a: LogicalSchema, b: LogicalSchema): boolean {
  const bCols = b.columns.filter((c) => c.namespace === 'KEY' || c.namespace === 'VALUE');
  return a.columns.length === bCols.length && a.columns.every((c, i) => {
    const o = bCols[i]!;
    return c.name === o.name && c.namespace === o.namespace && sqlTypeEquals(c.type, o.type);
  });
}

async function ensureSinkTopic(topic: string, props: WithProperties, planned: PlannedQuery, ctx: EngineContext): Promise<void> {
  const existing = await ctx.topics.describeTopic(topic);
  const src = await ctx.topics.describeTopic(planned.sources[0]!.topic);
  const partitions = props.integer('PARTITIONS') ?? Number(ctx.config['ksql.sink.partitions'] ?? src?.partitions ?? 1);
  const replicas = props.integer('REPLICAS') ?? Number(ctx.config['ksql.sink.replicas'] ?? src?.replicas ?? 1);
  if (existing) {
    if (props.integer('PARTITIONS') !== undefined && existing.partitions !== partitions) {
      throw new KsqlException(`A Kafka topic with the name '${topic}' already exists, with different partition/replica configuration than required. KSQL expects ${partitions} partitions (topic has ${existing.partitions}), ${replicas} replication factor (topic has ${existing.replicas}).`);
    }
    return;
  }
  const retention = props.string('RETENTION_MS');
  await ctx.topics.createTopic(topic, {
    partitions, replicas,
    configs: { 'cleanup.policy': planned.kind === 'TABLE' ? 'compact' : 'delete', ...(retention ? { 'retention.ms': retention } : {}) },
  });
}

function sinkTimestamp(props: WithProperties, schema: LogicalSchema) {
  const raw = props.string('TIMESTAMP');
  if (raw === undefined) return undefined;
  const name = raw.startsWith('`') && raw.endsWith('`') ? raw.slice(1, -1) : raw.toUpperCase();
  const col = schema.columns.find((c) => c.name === name);
  if (!col) throw new KsqlException(`The TIMESTAMP column set in the WITH clause does not exist in the schema: '${name}'`);
  const format = props.string('TIMESTAMP_FORMAT');
  checkTimestampType(col.type, name, format);
  return format === undefined ? { column: name } : { column: name, format };
}

async function replaceQueriesWriting(name: string, ctx: EngineContext): Promise<void> {
  for (const id of ctx.metaStore.queriesWriting(name)) {
    const q = ctx.queries.get(id);
    if (!q) continue;
    await ctx.host.stop(q, { cleanup: false });
    ctx.queries.delete(id);
    ctx.metaStore.unlinkQuery(id);
  }
}

async function startQuery(queryId: string, text: string, planned: PlannedQuery, sink: DataSource, ctx: EngineContext): Promise<void> {
  if (ctx.queries.has(queryId)) throw new KsqlException(`Query with id ${queryId} already exists.`);
  const sinkStep: SinkStep = {
    type: sink.kind === 'STREAM' ? 'streamSinkV1' : 'tableSinkV1',
    id: `${sink.name}`,
    schema: planned.root.schema,
    source: planned.root,
    topic: sink.topic,
    keyFormat: sink.keyFormat,
    valueFormat: sink.valueFormat,
    sinkSchema: sink.schema,
    ...(sink.timestampColumn ? { timestampColumn: sink.timestampColumn } : {}),
    ...(planned.window ? { window: planned.window } : {}),
  };
  const plan: PhysicalPlan = { version: 1, queryId, sink: sinkStep, root: sinkStep, sources: planned.sources.map((s) => s.name) };
  const query: PersistentQuery = {
    id: queryId, statementText: text, plan, sinkName: sink.name, sinkTopic: sink.topic,
    sourceNames: planned.sources.map((s) => s.name), sourceTopics: planned.sources.map((s) => s.topic),
    properties: ctx.config, state: 'RUNNING',
  };
  ctx.queries.set(queryId, query);
  ctx.metaStore.linkQuery(queryId, query.sourceNames, sink.name);
  await createInternalTopics(planned.root, queryId, query.sourceTopics, ctx);
  await ctx.host.start(query);
}
