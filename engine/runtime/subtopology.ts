/**
 * Splits a physical plan into sub-topologies at its repartition boundaries (Kafka Streams'
 * sub-topologies). A step carrying `repartitionTopic` (GROUP BY on other columns, a join re-key)
 * re-keys its rows; every record of one new key must reach the same task, so:
 *
 * - the upstream sub-topology ends in a `repartitionSinkV1` over the re-keying step, which writes
 *   each re-keyed record to the repartition topic at partition murmur2(serialised key) % partitions;
 * - the downstream sub-topology reads that topic through a `repartitionSourceV1` standing where the
 *   re-keying step stood, and hands the next operator the rows the re-keying step would have.
 *
 * Sub-topologies are numbered upstream first (the one holding the query's sink is last), and each
 * runs as one task per partition. The two synthetic step kinds exist only at runtime: persisted
 * plans are unchanged and an old plan splits the same way. A plan without repartitions is one
 * sub-topology: its root unchanged.
 */
import type { ExecutionStep, OtherStep } from '../physical/steps.js';
import type { RowSchema } from '../analyzer/row-schema.js';
import type { Topics } from '../topics/topics.js';

/** Writes the re-keyed rows of `source` (the re-keying step) to `topic`. */
export interface RepartitionSinkStep {
  readonly type: 'repartitionSinkV1';
  readonly id: string;
  readonly schema: RowSchema;
  readonly source: ExecutionStep;
  readonly topic: string;
}

/** Reads `topic` back into the rows `rekeyed` emits; `rekeyed` (not a `source`: it runs upstream) gives the key's types and format. */
export interface RepartitionSourceStep {
  readonly type: 'repartitionSourceV1';
  readonly id: string;
  readonly schema: RowSchema;
  readonly topic: string;
  readonly rekeyed: ExecutionStep;
}

export interface SubTopology {
  /** 0-based, upstream sub-topologies first. */
  readonly id: number;
  readonly root: ExecutionStep | RepartitionSinkStep;
  /** Topics its tasks read: source topics and repartition topics. */
  readonly sourceTopics: readonly string[];
  /** Repartition topics its tasks write. */
  readonly repartitionTopics: readonly string[];
}

type AnyStep = ExecutionStep | OtherStep | RepartitionSinkStep | RepartitionSourceStep;

function repartitionTopicOf(step: AnyStep): string | undefined {
  const t = (step as { repartitionTopic?: unknown }).repartitionTopic;
  return typeof t === 'string' ? t : undefined;
}

/** The plan's sub-topologies; exactly one when nothing re-keys through a topic. */
export function splitPlan(root: ExecutionStep): SubTopology[] {
  const roots: (ExecutionStep | RepartitionSinkStep)[] = [];
  const rewriteChildren = (step: AnyStep): AnyStep => {
    const s = step as OtherStep;
    if (s.source) {
      const source = rewrite(s.source);
      return source === s.source ? step : { ...s, source } as AnyStep;
    }
    if (s.sources) {
      const sources = s.sources.map((c) => rewrite(c));
      return sources.every((c, i) => c === s.sources![i]) ? step : { ...s, sources } as AnyStep;
    }
    return step;
  };
  const rewrite = (step: AnyStep): ExecutionStep => {
    const topic = repartitionTopicOf(step);
    const upstream = rewriteChildren(step) as ExecutionStep;
    if (topic === undefined) return upstream;
    roots.push({ type: 'repartitionSinkV1', id: `${step.id}-RepartitionSink`, schema: step.schema, source: upstream, topic });
    const source: RepartitionSourceStep = { type: 'repartitionSourceV1', id: `${step.id}-RepartitionSource`, schema: step.schema, topic, rekeyed: upstream };
    return source as unknown as ExecutionStep;
  };
  roots.push(rewrite(root));
  return roots.map((r, id) => ({ id, root: r, sourceTopics: topicsRead(r), repartitionTopics: topicsWritten(r) }));
}

/** Every repartition topic of the plan, in sub-topology order. */
export function repartitionTopics(root: ExecutionStep): string[] {
  return splitPlan(root).flatMap((s) => s.repartitionTopics);
}

function walk(step: AnyStep, visit: (s: AnyStep) => void): void {
  visit(step);
  const s = step as OtherStep;
  if (s.source) walk(s.source, visit);
  for (const c of s.sources ?? []) walk(c, visit);
}

function topicsRead(root: AnyStep): string[] {
  const out = new Set<string>();
  walk(root, (s) => { if (s.type.endsWith('SourceV1')) out.add((s as { topic: string }).topic); });
  return [...out];
}

function topicsWritten(root: AnyStep): string[] {
  return root.type === 'repartitionSinkV1' ? [(root as RepartitionSinkStep).topic] : [];
}

/**
 * The state task id of a sub-topology's task for one partition: the bare partition number when the
 * plan is one sub-topology (so state persisted before sub-topologies existed keeps its id),
 * `<subtopology>_<partition>` (Kafka Streams' task id) otherwise.
 */
export function taskIdFor(subtopology: number, subtopologies: number, partition: number): string {
  return subtopologies === 1 ? String(partition) : `${subtopology}_${partition}`;
}

/**
 * Creates the missing repartition topics with the source's partition count and the delete policy
 * (ksqlDB's internal repartition topics), and records their partition counts in `counts`.
 */
export async function createRepartitionTopics(
  topics: Pick<Topics, 'describeTopic' | 'createTopic'>, names: readonly string[], partitions: number, counts: Map<string, number>,
): Promise<void> {
  for (const name of names) {
    const existing = await topics.describeTopic(name);
    if (!existing) await topics.createTopic(name, { partitions, replicas: 1, configs: { 'cleanup.policy': 'delete' } });
    counts.set(name, existing?.partitions ?? partitions);
  }
}
