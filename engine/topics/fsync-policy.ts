/**
 * When appended data is forced to disk. `always`: every append resolves only after an fdatasync
 * (concurrent appends share one: group commit). `never`: left to the OS. `{ intervalMs }`: a timer
 * syncs dirty partitions (Kafka's log.flush.interval.ms). `{ messages }`: a sync starts after that
 * many unflushed records (log.flush.interval.messages). Only with `always` does "acknowledged"
 * imply "on disk"; with the others a power loss (not a process crash) may lose the unsynced tail.
 */
export type FsyncPolicy = 'always' | 'never' | { readonly intervalMs: number } | { readonly messages: number };

export function parseFsyncPolicy(s: string): FsyncPolicy {
  if (s === 'always' || s === 'never') return s;
  const m = /^(interval|messages)[:=]?(\d+)(ms)?$/.exec(s.trim());
  if (m) return m[1] === 'interval' ? { intervalMs: Number(m[2]) } : { messages: Number(m[2]) };
  throw new Error(`unknown fsync policy '${s}' (always | never | interval:<ms> | messages:<n>)`);
}
