/**
 * ASSERT [NOT EXISTS] TOPIC name [WITH (PARTITIONS=n, REPLICAS=n)] [TIMEOUT n unit] (ksqlDB's
 * AssertTopicExecutor): succeeds with an `assert_topic` entity, or fails with an
 * AssertionFailedException (REST 417). The condition is re-checked until the timeout
 * (`ksql.assert.topic.default.timeout.ms`, default 1 s) passes.
 */
import type * as A from '../sql/ast.js';
import { AssertionFailedException, KsqlException } from '../errors/index.js';
import { WithProperties } from '../planner/with-properties.js';
import type { EngineContext } from './context.js';
import type { StatementResult } from './results.js';

const POLL_MS = 100;

export async function executeAssertTopic(stmt: A.AssertTopic, text: string, ctx: EngineContext): Promise<StatementResult> {
  const props = new WithProperties(stmt.properties, new Set(['PARTITIONS', 'REPLICAS']));
  const partitions = props.integer('PARTITIONS');
  const replicas = props.integer('REPLICAS');
  if (!stmt.exists && (partitions !== undefined || replicas !== undefined)) {
    throw new KsqlException('Cannot specify topic configs when asserting a topic does not exist.');
  }
  const timeout = stmt.timeout?.millis ?? Number(ctx.config['ksql.assert.topic.default.timeout.ms'] ?? 1000);
  const deadline = Date.now() + timeout;
  let problem: string | undefined;
  for (;;) {
    problem = await topicProblem(stmt, partitions, replicas, ctx);
    if (problem === undefined || Date.now() + POLL_MS > deadline) break;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  if (problem !== undefined) throw new AssertionFailedException(problem);
  return { kind: 'entity', entity: { '@type': 'assert_topic', statementText: text, topicName: stmt.topic, exists: stmt.exists, warnings: [] } };
}

async function topicProblem(stmt: A.AssertTopic, partitions: number | undefined, replicas: number | undefined, ctx: EngineContext): Promise<string | undefined> {
  const desc = await ctx.topics.describeTopic(stmt.topic);
  if (!stmt.exists) return desc ? `Topic ${stmt.topic} exists` : undefined;
  if (!desc) return `Topic ${stmt.topic} does not exist`;
  const mismatches: string[] = [];
  if (partitions !== undefined && desc.partitions !== partitions) mismatches.push(`For config partitions, expected ${partitions} got ${desc.partitions}`);
  if (replicas !== undefined && desc.replicas !== replicas) mismatches.push(`For config replicas, expected ${replicas} got ${desc.replicas}`);
  return mismatches.length ? `Mismatched configuration for topic ${stmt.topic}: ${mismatches.join('\n')}` : undefined;
}
