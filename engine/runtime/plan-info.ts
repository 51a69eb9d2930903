/** Query properties that the runtime's tasks depend on. */
/** `cache.max.bytes.buffering` (ksqlDB default 10 MB); 0 emits every update. */
export function cacheMaxBytes(properties: Readonly<Record<string, unknown>>): number {
  const raw = properties['cache.max.bytes.buffering'] ?? properties['ksql.streams.cache.max.bytes.buffering'];
  if (raw === undefined || raw === null || raw === '') return 10 * 1024 * 1024;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : 10 * 1024 * 1024;
}
