/**
 * TERMINATE CLUSTER (ksqlDB's ClusterTerminator, behind POST /ksql/terminate): terminates every
 * persistent query, drops every source, and deletes the Kafka topics of the sources whose topic
 * name fully matches one of `deleteTopicPatterns` (case-insensitive), with their schema-registry
 * subjects. Topics of other sources are left alone. The server deletes its own managed topics.
 */
import { SchemaRegistryError } from '../schema/types.js';
import { supportsInference } from '../serde/schema-formats.js';
import type { EngineContext } from './context.js';
import { terminate } from './drop.js';

/** A deleteTopicList entry as the pattern ksqlDB compiles (Pattern.CASE_INSENSITIVE, matched in full); throws SyntaxError when invalid. */
export function topicPattern(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, 'i');
}

export async function terminateCluster(deleteTopicPatterns: readonly RegExp[], ctx: EngineContext): Promise<{ deletedTopics: string[] }> {
  for (const id of [...ctx.queries.keys()]) await terminate(id, ctx);
  const sources = ctx.metaStore.allSources();
  const doomed = sources.filter((s) => deleteTopicPatterns.some((p) => p.test(s.topic)));
  for (const s of sources) ctx.metaStore.deleteSource(s.name);
  const deletedTopics = [...new Set(doomed.map((s) => s.topic))];
  for (const t of deletedTopics) if (await ctx.topics.describeTopic(t)) await ctx.topics.deleteTopic(t);
  for (const s of doomed) {
    if (supportsInference(s.keyFormat.format)) await deleteSubject(`${s.topic}-key`, ctx);
    if (supportsInference(s.valueFormat.format)) await deleteSubject(`${s.topic}-value`, ctx);
  }
  return { deletedTopics };
}

async function deleteSubject(subject: string, ctx: EngineContext): Promise<void> {
  try {
    await ctx.schemaRegistry.deleteSubjectAsync(subject);
  } catch (e) {
    if (!(e instanceof SchemaRegistryError && e.status === 404)) throw e;
  }
}
