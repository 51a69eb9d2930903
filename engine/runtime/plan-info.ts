/** Query properties that the runtime's tasks depend on. */
/** `cache.max.bytes.buffering` (ksqlDB default 10 MB); 0 emits every update. */
export function cacheMaxBytes(properties: Readonly<Record<string, unknown>>): number {
  const raw = properties['cache.max.bytes.buffering'] ?? properties['ksql.streams.cache.max.bytes.buffering'];
  if (raw === undefined || raw === null || raw === '') return 10 * 1024 * 1024;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : 10 * 1024 * 1024;
}

/** Kafka Streams' `commit.interval.ms` as ksqlDB sets it (2 s unless overridden): how often caches flush. */
export const DEFAULT_COMMIT_INTERVAL_MS = 2000;

export function commitIntervalMs(properties: Readonly<Record<string, unknown>>): number {
  const raw = properties['commit.interval.ms'] ?? properties['ksql.streams.commit.interval.ms'];
  const n = raw === undefined || raw === null || raw === '' ? NaN : Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : DEFAULT_COMMIT_INTERVAL_MS;
}
