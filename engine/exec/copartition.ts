/** ksqlDB's co-partitioning rule for joins whose inputs are read as they are (no re-keying). */
import { KsqlException } from '../errors/index.js';
import type { PlannedQuery } from '../planner/query-planner.js';
import type { EngineContext } from './context.js';

export async function checkCopartitioning(planned: PlannedQuery, ctx: EngineContext): Promise<void> {
  for (const c of planned.copartition ?? []) {
    const l = (await ctx.topics.describeTopic(c.leftTopic))?.partitions;
    const r = (await ctx.topics.describeTopic(c.rightTopic))?.partitions;
    if (l === undefined || r === undefined || l === r) continue;
    throw new KsqlException(
      `Can't join \`${c.left}\` with \`${c.right}\` since the number of partitions don't match. \`${c.left}\` partitions = ${l}; \`${c.right}\` partitions = ${r}. Please repartition either one so that the number of partitions match.`,
    );
  }
}
