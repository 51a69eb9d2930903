/** Facts about a physical plan, and query properties, that the runtime's tasks depend on. */
import type { ExecutionStep, SourceStep } from '../physical/steps.js';
import { tableSourceStoreName } from './operators/source.js';

/** `cache.max.bytes.buffering` (ksqlDB default 10 MB); 0 emits every update. */
export function cacheMaxBytes(properties: Readonly<Record<string, unknown>>): number {
  const raw = properties['cache.max.bytes.buffering'] ?? properties['ksql.streams.cache.max.bytes.buffering'];
  if (raw === undefined || raw === null || raw === '') return 10 * 1024 * 1024;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : 10 * 1024 * 1024;
}

/**
 * The plan's changelog layout: ksqlDB's name for each store that has one (planner/store-names.ts),
 * null for stores backed by a source table's topic, and the topics a task without local state
 * re-reads from their start to rebuild those (what ksqlDB does with a source table's changelog).
 */
export function changelogLayout(root: ExecutionStep | { type: string }): { storeNames: Map<string, string | null>; replayTopics: Set<string> } {
  const storeNames = new Map<string, string | null>();
  const replayTopics = new Set<string>();
  type Node = {
    type: string; source?: unknown; sources?: readonly unknown[]; changelogs?: Record<string, string | null>;
    topic?: string; alias?: string; materialize?: boolean; storeName?: string;
  };
  const topicsUnder = (s: Node, out: Set<string>): void => {
    if (typeof s.topic === 'string' && s.type.endsWith('SourceV1')) out.add(s.topic);
    if (s.source) topicsUnder(s.source as Node, out);
    for (const c of s.sources ?? []) topicsUnder(c as Node, out);
  };
  const visit = (s: Node): void => {
    if (s.type === 'tableSourceV1' && s.materialize) {
      storeNames.set(tableSourceStoreName(s as unknown as SourceStep), null);
      replayTopics.add(s.topic!);
    }
    // aggregates: the planner's store name is ksqlDB's (`Aggregate-Aggregate-Materialize`)
    if (s.type.endsWith('AggregateV1') && s.storeName) storeNames.set(s.storeName, s.storeName);
    for (const [store, name] of Object.entries(s.changelogs ?? {})) {
      storeNames.set(store, name);
      // a join's table store without a changelog: re-read the side it materialises
      const side = name === null ? s.sources?.[store.endsWith('-left') ? 0 : 1] : undefined;
      if (side) topicsUnder(side as Node, replayTopics);
    }
    if (s.source) visit(s.source as Node);
    for (const c of s.sources ?? []) visit(c as Node);
  };
  visit(root as Node);
  return { storeNames, replayTopics };
}

/** Kafka Streams' `commit.interval.ms` as ksqlDB sets it (2 s unless overridden): how often caches flush. */
export const DEFAULT_COMMIT_INTERVAL_MS = 2000;

export function commitIntervalMs(properties: Readonly<Record<string, unknown>>): number {
  const raw = properties['commit.interval.ms'] ?? properties['ksql.streams.commit.interval.ms'];
  const n = raw === undefined || raw === null || raw === '' ? NaN : Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : DEFAULT_COMMIT_INTERVAL_MS;
}
