/** DROP STREAM/TABLE [IF EXISTS] [DELETE TOPIC], DROP TYPE, TERMINATE. */
import { repartitionTopics } from '../runtime/subtopology.js';
import type * as A from '../sql/ast.js';
import { KsqlException } from '../errors/index.js';
import type { EngineContext } from './context.js';
import type { StatementResult } from './results.js';

export async function executeDropSource(stmt: A.DropSource, ctx: EngineContext): Promise<StatementResult> {
  const source = ctx.metaStore.getSource(stmt.name);
  const commandId = `${stmt.sourceType.toLowerCase()}/${stmt.name}/drop`;
  if (!source) {
    const kind = stmt.sourceType === 'STREAM' ? 'Stream' : 'Table';
    if (stmt.ifExists) return { kind: 'status', commandId, message: `${kind} ${stmt.name} does not exist.` };
    throw new KsqlException(`${kind} ${stmt.name} does not exist.`);
  }
  if (source.kind !== stmt.sourceType) {
    const actual = source.kind === 'STREAM' ? 'stream' : 'table';
    throw new KsqlException(`Incompatible data source type is ${actual.toUpperCase()}, but statement was DROP ${stmt.sourceType}`);
  }
  if (stmt.deleteTopic && source.isSource) throw new KsqlException(`Cannot delete topic for read-only source: ${source.name}`);
  // The query that created the source (CSAS/CTAS/CST) is terminated with it; other readers/writers block the drop.
  const writers = ctx.metaStore.queriesWriting(source.name);
  const creator = writers.find((id) => ctx.queries.get(id)?.statementText === source.sqlText);
  const readers = ctx.metaStore.queriesReading(source.name).filter((id) => id !== creator);
  const otherWriters = writers.filter((id) => id !== creator);
  if (readers.length > 0 || otherWriters.length > 0) {
    const parts = [`Cannot drop ${source.name}.`];
    if (readers.length) parts.push(`The following queries read from this source: [${readers.join(', ')}].`);
    if (otherWriters.length) parts.push(`The following queries write into this source: [${otherWriters.join(', ')}].`);
    parts.push('You need to terminate them before dropping ' + source.name + '.');
    throw new KsqlException(parts.join('\n'));
  }
  if (creator) await terminate(creator, ctx);
  ctx.metaStore.deleteSource(source.name);
  if (stmt.deleteTopic) await ctx.topics.deleteTopic(source.topic);
  return { kind: 'status', commandId, message: `Source ${source.name} (topic: ${source.topic}) was dropped.` };
}

export async function terminate(queryId: string, ctx: EngineContext): Promise<void> {
  const q = ctx.queries.get(queryId);
  if (!q) throw new KsqlException(`Unknown queryId: ${queryId}`);
  await ctx.host.stop(q, { cleanup: true });
  // ksqlDB's query cleanup deletes the query's internal topics
  for (const t of repartitionTopics(q.plan.root)) if (await ctx.topics.describeTopic(t)) await ctx.topics.deleteTopic(t);
  ctx.queries.delete(queryId);
  ctx.metaStore.unlinkQuery(queryId);
}

export async function executeTerminate(stmt: A.QueryControl, ctx: EngineContext): Promise<StatementResult> {
  if (stmt.queryId === undefined) {
    for (const id of [...ctx.queries.keys()]) await terminate(id, ctx);
    return { kind: 'status', commandId: 'terminate/ALL/execute', message: 'Query terminated.' };
  }
  const id = stmt.queryId.toUpperCase();
  const actual = ctx.queries.has(stmt.queryId) ? stmt.queryId : id;
  await terminate(actual, ctx);
  return { kind: 'status', commandId: `terminate/${actual}/execute`, message: 'Query terminated.' };
}

export function executeDropType(stmt: A.DropType, ctx: EngineContext): StatementResult {
  const existed = ctx.metaStore.deleteType(stmt.name);
  if (!existed && !stmt.ifExists) throw new KsqlException(`Type ${stmt.name} does not exist.`);
  return { kind: 'status', commandId: `type/${stmt.name}/drop`, message: existed ? `Dropped type '${stmt.name}'` : `Type '${stmt.name}' does not exist` };
}
