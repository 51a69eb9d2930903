/** Entities for SHOW / LIST / DESCRIBE, in ksqlDB's JSON shapes (reference §1.5). */
import type { DataSource } from '../catalog/source.js';
import type { Column } from '../catalog/schema.js';
import type { SqlType } from '../types/sql-type.js';
import type { EngineContext } from './context.js';
import type { PersistentQuery } from './query.js';

export interface SchemaInfo {
  type: string;
  fields: FieldInfo[] | null;
  memberSchema: SchemaInfo | null;
  parameters?: { precision: number; scale: number };
}

export interface FieldInfo {
  name: string;
  schema: SchemaInfo;
  type?: 'KEY' | 'HEADER';
  headerKey?: string;
}

export function schemaInfo(t: SqlType): SchemaInfo {
  switch (t.base) {
    case 'ARRAY': return { type: 'ARRAY', fields: null, memberSchema: schemaInfo(t.element) };
    case 'MAP': return { type: 'MAP', fields: null, memberSchema: schemaInfo(t.value) };
    case 'STRUCT': return { type: 'STRUCT', fields: t.fields.map((f) => ({ name: f.name, schema: schemaInfo(f.type) })), memberSchema: null };
    case 'DECIMAL': return { type: 'DECIMAL', fields: null, memberSchema: null, parameters: { precision: t.precision, scale: t.scale } };
    default: return { type: t.base, fields: null, memberSchema: null };
  }
}

export function fieldInfo(c: Column): FieldInfo {
  const f: FieldInfo = { name: c.name, schema: schemaInfo(c.type) };
  if (c.namespace === 'KEY') f.type = 'KEY';
  if (c.namespace === 'HEADERS' || c.namespace === 'HEADER') f.type = 'HEADER';
  if (c.namespace === 'HEADER') f.headerKey = c.headerKey!;
  return f;
}

export function runningQuery(q: PersistentQuery) {
  return {
    queryString: q.statementText,
    sinks: q.sinkName ? [q.sinkName] : [],
    sinkKafkaTopics: q.sinkTopic ? [q.sinkTopic] : [],
    id: q.id,
    statusCount: { [q.state]: 1 },
    queryType: 'PERSISTENT',
    state: q.state,
  };
}

export async function sourceDescription(s: DataSource, extended: boolean, ctx: EngineContext) {
  const topic = await ctx.topics.describeTopic(s.topic);
  const queries = (ids: string[]) => ids.map((id) => ctx.queries.get(id)).filter((q): q is PersistentQuery => !!q).map(runningQuery);
  return {
    name: s.name,
    windowType: s.window?.type ?? null,
    readQueries: queries(ctx.metaStore.queriesReading(s.name)),
    writeQueries: queries(ctx.metaStore.queriesWriting(s.name)),
    fields: s.schema.columns.map(fieldInfo),
    type: s.kind,
    timestamp: s.timestampColumn?.column ?? '',
    statistics: '',
    errorStats: '',
    extended,
    keyFormat: s.keyFormat.format,
    valueFormat: s.valueFormat.format,
    topic: s.topic,
    partitions: topic?.partitions ?? 0,
    replication: topic?.replicas ?? 0,
    statement: s.sqlText,
    queryOffsetSummaries: [],
    sourceConstraints: [],
    clusterStatistics: [],
    clusterErrorStats: [],
  };
}

export function sourceInfo(s: DataSource) {
  return { type: s.kind, name: s.name, topic: s.topic, keyFormat: s.keyFormat.format, valueFormat: s.valueFormat.format, isWindowed: s.window !== undefined };
}
