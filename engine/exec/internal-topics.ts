/**
 * Internal topics of a persistent query, named as ksqlDB names them
 * (`_confluent-ksql-<service id>query_<query id>-<name>`): the repartition topic of a GROUP BY that
 * changes the key and the changelog of each aggregation store. Sluice keeps state in RocksDB and
 * re-keys inside one task, so it does not write them in embedded mode; they are created so that
 * topic listings (and QTT `post.topics` checks) see what ksqlDB would create.
 */
import type { ExecutionStep } from '../physical/steps.js';
import type { EngineContext } from './context.js';

export function internalTopicNames(root: ExecutionStep | { type: string }, serviceId: string, queryId: string): { name: string; compact: boolean }[] {
  const out: { name: string; compact: boolean }[] = [];
  const visit = (s: { type: string; source?: unknown; sources?: readonly unknown[]; repartitionTopic?: unknown; storeName?: unknown }): void => {
    if (typeof s.repartitionTopic === 'string') out.push({ name: s.repartitionTopic, compact: false });
    if (s.type.endsWith('AggregateV1') && typeof s.storeName === 'string') {
      out.push({ name: `_confluent-ksql-${serviceId}query_${queryId}-${s.storeName}-changelog`, compact: true });
    }
    if (s.source) visit(s.source as typeof s);
    for (const c of s.sources ?? []) visit(c as typeof s);
  };
  visit(root as Parameters<typeof visit>[0]);
  return out;
}

export async function createInternalTopics(root: ExecutionStep, queryId: string, sourceTopics: readonly string[], ctx: EngineContext): Promise<void> {
  const names = internalTopicNames(root, ctx.serviceId, queryId);
  if (names.length === 0) return;
  let partitions = 1;
  for (const t of sourceTopics) partitions = Math.max(partitions, (await ctx.topics.describeTopic(t))?.partitions ?? 1);
  for (const { name, compact } of names) {
    if (await ctx.topics.describeTopic(name)) continue;
    await ctx.topics.createTopic(name, { partitions, replicas: 1, configs: { 'cleanup.policy': compact ? 'compact' : 'delete' } });
  }
}
