/** SHOW / LIST / DESCRIBE statements (no side effects). */
import type * as A from '../sql/ast.js';
import { KsqlException } from '../errors/index.js';
import { formatSqlType } from '../types/sql-type.js';
import type { EngineContext } from './context.js';
import { runningQuery, schemaInfo, sourceDescription, sourceInfo } from './describe.js';
import type { StatementResult } from './results.js';

const INTERNAL_TOPIC = /^(_confluent-ksql-|_schemas|__consumer_offsets|__transaction_state|default_ksql_processing_log$)/;

export async function executeShow(stmt: A.Show, ctx: EngineContext, sessionProps: Readonly<Record<string, unknown>>): Promise<StatementResult> {
  switch (stmt.what) {
    case 'STREAMS':
    case 'TABLES': {
      const kind = stmt.what === 'STREAMS' ? 'STREAM' : 'TABLE';
      const sources = ctx.metaStore.allSources().filter((s) => s.kind === kind).sort((a, b) => a.name.localeCompare(b.name));
      if (stmt.extended) {
        const sourceDescriptions = await Promise.all(sources.map((s) => sourceDescription(s, true, ctx)));
        return { kind: 'entity', entity: { '@type': 'source_descriptions', sourceDescriptions } };
      }
      const key = stmt.what === 'STREAMS' ? 'streams' : 'tables';
      return { kind: 'entity', entity: { '@type': key, [key]: sources.map(sourceInfo) } };
    }
    case 'TOPICS':
    case 'ALL_TOPICS': {
      const topics = (await ctx.topics.listTopics())
        .filter((t) => stmt.what === 'ALL_TOPICS' || !INTERNAL_TOPIC.test(t.name))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      if (stmt.extended) {
        return { kind: 'entity', entity: { '@type': 'kafka_topics_extended', topics: topics.map((t) => ({
          name: t.name, replicaInfo: Array(t.partitions).fill(t.replicas), consumerCount: 0, consumerGroupCount: 0 })) } };
      }
      return { kind: 'entity', entity: { '@type': 'kafka_topics', topics: topics.map((t) => ({ name: t.name, replicaInfo: Array(t.partitions).fill(t.replicas) })) } };
    }
    case 'QUERIES':
      return { kind: 'entity', entity: { '@type': 'queries', queries: [...ctx.queries.values()].map(runningQuery) } };
    case 'FUNCTIONS':
      return { kind: 'entity', entity: { '@type': 'function_names', functions: ctx.functions.list().map((f) => ({
        name: f.name, type: f.kind, category: f.category })) } };
    case 'TYPES': {
      const types: Record<string, unknown> = {};
      for (const [name, t] of ctx.metaStore.allTypes().sort((a, b) => a[0].localeCompare(b[0]))) types[name] = schemaInfo(t);
      return { kind: 'entity', entity: { '@type': 'type_list', types } };
    }
    case 'PROPERTIES': {
      const merged = { ...ctx.config, ...sessionProps };
      const properties = Object.keys(merged).sort().map((name) => ({
        name, scope: name.startsWith('ksql.') ? 'KSQL' : 'KAFKA_STREAMS', value: merged[name] === undefined ? null : String(merged[name]),
        editable: true, level: 'SERVER',
      }));
      return { kind: 'entity', entity: { '@type': 'properties', properties, overwrittenProperties: Object.keys(sessionProps), defaultProperties: [] } };
    }
    case 'VARIABLES':
      return { kind: 'entity', entity: { '@type': 'variables', variables: [] } };
    default:
      throw new KsqlException(`SHOW ${stmt.what} is not supported.`);
  }
}

export async function executeDescribe(stmt: A.DescribeSource | A.DescribeSources | A.DescribeFunction, ctx: EngineContext): Promise<StatementResult> {
  if (stmt.kind === 'DescribeFunction') {
    const fn = ctx.functions.scalar(stmt.name) ?? ctx.functions.aggregate(stmt.name) ?? ctx.functions.table(stmt.name);
    if (!fn) throw new KsqlException(`Can't find any functions with the name '${stmt.name}'`);
    const d = fn.description;
    return { kind: 'entity', entity: {
      '@type': 'describe_function', name: d.name, description: d.description, author: d.author, version: d.version, path: d.path,
      functions: d.signatures.map((s) => ({ arguments: s.arguments, returnType: s.returnType, description: s.description })), type: d.kind,
    } };
  }
  if (stmt.kind === 'DescribeSources') {
    const sources = ctx.metaStore.allSources().filter((s) => s.kind === stmt.sourceType);
    const sourceDescriptions = await Promise.all(sources.map((s) => sourceDescription(s, stmt.extended, ctx)));
    return { kind: 'entity', entity: { '@type': 'source_descriptions', sourceDescriptions } };
  }
  const source = ctx.metaStore.getSource(stmt.name);
  if (!source) throw new KsqlException(`Could not find STREAM/TABLE '${stmt.name}' in the Metastore`);
  return { kind: 'entity', entity: { '@type': 'sourceDescription', sourceDescription: await sourceDescription(source, stmt.extended, ctx) } };
}

export function describeType(name: string, ctx: EngineContext): string {
  const t = ctx.metaStore.getType(name);
  if (!t) throw new KsqlException(`Type ${name} does not exist.`);
  return formatSqlType(t);
}
