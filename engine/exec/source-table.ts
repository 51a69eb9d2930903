/**
 * CREATE SOURCE TABLE: the table is materialised by a persistent query `CST_<NAME>_<n>` that reads
 * the topic into the source's key-value store (no sink), so pull queries can read it.
 */
import type { DataSource } from '../catalog/source.js';
import type { PhysicalPlan, SourceStep } from '../physical/steps.js';
import { sourceStep } from '../planner/source-rows.js';
import type { EngineContext } from './context.js';
import type { PersistentQuery } from './query.js';

export async function startSourceTableQuery(source: DataSource, text: string, ctx: EngineContext): Promise<PersistentQuery> {
  const queryId = `CST_${source.name}_${ctx.nextQueryNumber()}`.toUpperCase();
  const root: SourceStep = { ...sourceStep(source, source.name, 'KsqlTopic/Source'), materialize: true };
  const plan: PhysicalPlan = { version: 1, queryId, root, sources: [source.name] };
  const query: PersistentQuery = {
    id: queryId, statementText: text, plan, sourceNames: [source.name], sourceTopics: [source.topic],
    properties: ctx.config, state: 'RUNNING',
  };
  ctx.queries.set(queryId, query);
  ctx.metaStore.linkQuery(queryId, [source.name], source.name);
  await ctx.host.start(query);
  return query;
}
