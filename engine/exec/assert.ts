/**
 * ASSERT [NOT EXISTS] TOPIC name [WITH (PARTITIONS=n, REPLICAS=n)] [TIMEOUT n unit] and
 * ASSERT [NOT EXISTS] SCHEMA [SUBJECT s] [ID n] [TIMEOUT n unit] (ksqlDB's AssertTopicExecutor,
 * AssertSchemaExecutor and their shared AssertExecutor): succeed with an `assert_topic` /
 * `assert_schema` entity, or fail with an AssertionFailedException (REST 417). The condition is
 * re-checked until the timeout (`ksql.assert.topic.default.timeout.ms` /
 * `ksql.assert.schema.default.timeout.ms`, default 1 s) passes.
 */
import type * as A from '../sql/ast.js';
import { AssertionFailedException, KsqlException } from '../errors/index.js';
import { WithProperties } from '../planner/with-properties.js';
import { SchemaRegistryError } from '../schema/types.js';
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
  await assertWithin(stmt.timeout, ctx, 'ksql.assert.topic.default.timeout.ms', () => topicProblem(stmt, partitions, replicas, ctx));
  return { kind: 'entity', entity: { '@type': 'assert_topic', statementText: text, topicName: stmt.topic, exists: stmt.exists, warnings: [] } };
}

export async function executeAssertSchema(stmt: A.AssertSchema, text: string, ctx: EngineContext): Promise<StatementResult> {
  await assertWithin(stmt.timeout, ctx, 'ksql.assert.schema.default.timeout.ms', async () => {
    const exists = await schemaExists(stmt, ctx);
    if (exists === stmt.exists) return undefined;
    const subject = stmt.subject !== undefined ? ` subject name ${stmt.subject}` : '';
    const id = stmt.id !== undefined ? ` id ${stmt.id}` : '';
    return `Schema with${subject}${id} ${exists ? 'exists' : 'does not exist'}`;
  });
  return {
    kind: 'entity',
    entity: { '@type': 'assert_schema', statementText: text, subject: stmt.subject ?? null, id: stmt.id ?? null, exists: stmt.exists, warnings: [] },
  };
}

/**
 * Re-checks `problem` every POLL_MS until it reports none or the timeout passes; then fails with the
 * last problem. A check that throws is retried too, and its message is the problem (ksqlDB's
 * AssertExecutor retries any exception and reports the last as the assertion failure).
 */
async function assertWithin(
  timeout: A.Duration | undefined, ctx: EngineContext, defaultKey: string, problem: () => Promise<string | undefined>,
): Promise<void> {
  const deadline = Date.now() + (timeout?.millis ?? Number(ctx.config[defaultKey] ?? 1000));
  let found: string | undefined;
  for (;;) {
    try {
      found = await problem();
    } catch (e) {
      if (!(e instanceof KsqlException)) throw e;
      found = e.message;
    }
    if (found === undefined || Date.now() + POLL_MS > deadline) break;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  if (found !== undefined) throw new AssertionFailedException(found);
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

/**
 * Subject and id: the id is registered under that subject; subject only: it has a latest version;
 * id only: the id is known. A registry that cannot answer (other than "not found") fails the statement.
 */
async function schemaExists(stmt: A.AssertSchema, ctx: EngineContext): Promise<boolean> {
  const sr = ctx.schemaRegistry;
  try {
    if (stmt.subject !== undefined && stmt.id !== undefined) return (await sr.fetchSubjectsById(stmt.id))?.includes(stmt.subject) ?? false;
    if (stmt.subject !== undefined) return (await sr.fetchLatest(stmt.subject)) !== undefined;
    if (stmt.id !== undefined) return (await sr.fetchById(stmt.id)) !== undefined;
    throw new KsqlException('ASSERT SCHEMA statements must include a subject name or an id');
  } catch (e) {
    if (e instanceof SchemaRegistryError && e.status === 404) return false;
    if (e instanceof KsqlException) throw e;
    throw new KsqlException(`Cannot check schema existence: ${(e as Error).message}`, { cause: e });
  }
}
