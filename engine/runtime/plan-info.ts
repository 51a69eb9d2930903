/** Facts about a physical plan and query properties that the runtime's task layout depends on. */
import type { ExecutionStep } from '../physical/steps.js';

/** Whether the plan re-keys its input (a repartition in Kafka Streams): then one task must see every partition. */
export function needsSingleTask(root: ExecutionStep | { type: string }): boolean {
  let found = false;
  const visit = (s: { type: string; source?: unknown; sources?: readonly unknown[]; repartitionTopic?: unknown }): void => {
    if (typeof s.repartitionTopic === 'string') found = true;
    if (s.source) visit(s.source as typeof s);
    for (const c of s.sources ?? []) visit(c as typeof s);
  };
  visit(root as Parameters<typeof visit>[0]);
  return found;
}

/** `cache.max.bytes.buffering` (ksqlDB default 10 MB); 0 emits every update. */
export function cacheMaxBytes(properties: Readonly<Record<string, unknown>>): number {
  const raw = properties['cache.max.bytes.buffering'] ?? properties['ksql.streams.cache.max.bytes.buffering'];
  if (raw === undefined || raw === null || raw === '') return 10 * 1024 * 1024;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : 10 * 1024 * 1024;
}
