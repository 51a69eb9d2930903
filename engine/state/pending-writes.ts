/**
 * The write buffer of one store: puts and deletes made since the last commit. Reads consult it
 * before RocksDB; `TaskState.commit` drains every store's buffer into one atomic batch.
 *
 * Entries are keyed by the store-local key (the RocksDB key minus the store's 3-byte prefix),
 * held as latin1 strings: one char per byte, so `Map` lookups work by value and JS string
 * comparison (`<`, `sort()`) equals unsigned byte order. The prefix is only added when a key
 * goes to RocksDB (point read on a miss, scan bounds, commit), which keeps the per-record path
 * free of buffer concatenation. A sorted view for range scans is built lazily: new keys are
 * appended to `unsorted` and merged in on the next scan, so stores that are never scanned pay
 * nothing for ordering.
 */
import { latin1 } from './bytes.js';
import { concat, prefixEnd } from './keyspace.js';
import type { RocksDb, ScanBounds } from './rocks-binding.js';

export interface PendingEntry {
  /** Store-local key. */
  readonly key: Buffer;
  /** null = delete. */
  readonly value: Buffer | null;
}

/** Rough per-entry overhead of the Map slot, the entry object and the latin1 string. */
const ENTRY_OVERHEAD = 96;

export class PendingWrites {
  private readonly map = new Map<string, PendingEntry>();
  private sorted: string[] = [];
  private unsorted: string[] = [];
  /** Approximate heap bytes held, for commit-early decisions. */
  bytes = 0;
  /** First RocksDB key after this store's keys. */
  readonly end: Buffer;

  constructor(readonly prefix: Buffer) {
    this.end = prefixEnd(prefix);
  }

  get size(): number {
    return this.map.size;
  }

  lookup(id: string): PendingEntry | undefined {
    return this.map.get(id);
  }

  /** `id` must be `latin1(key)`; callers usually have it already. */
  set(key: Buffer, id: string, value: Buffer | null): void {
    const prev = this.map.get(id);
    if (prev === undefined) {
      this.unsorted.push(id);
      this.bytes += ENTRY_OVERHEAD + 3 * key.length + (value?.length ?? 0);
    } else {
      this.bytes += (value?.length ?? 0) - (prev.value?.length ?? 0);
    }
    this.map.set(id, { key, value });
  }

  /** The RocksDB key of a store-local key. */
  full(key: Buffer): Buffer {
    return concat(this.prefix, key);
  }

  /** Pending writes as RocksDB batch entries. */
  *batchEntries(): Generator<readonly [Buffer, Buffer | null]> {
    for (const e of this.map.values()) yield [concat(this.prefix, e.key), e.value];
  }

  clear(): void {
    this.map.clear();
    this.sorted = [];
    this.unsorted = [];
    this.bytes = 0;
  }

  /** Snapshot of the pending ids in [lo, hi) or [lo, hi] (hi null: to the end), in byte order. */
  idsInRange(lo: string, hi: string | null, hiInclusive: boolean): string[] {
    if (this.unsorted.length > 0) this.mergeUnsorted();
    const a = this.sorted;
    const from = lowerBound(a, lo);
    if (hi === null) return a.slice(from);
    let to = lowerBound(a, hi);
    if (hiInclusive && to < a.length && a[to] === hi) to++;
    return a.slice(from, to);
  }

  private mergeUnsorted(): void {
    const b = this.unsorted.sort();
    const a = this.sorted;
    const out = new Array<string>(a.length + b.length);
    let i = 0, j = 0, k = 0;
    while (i < a.length && j < b.length) out[k++] = a[i]! < b[j]! ? a[i++]! : b[j++]!;
    while (i < a.length) out[k++] = a[i++]!;
    while (j < b.length) out[k++] = b[j++]!;
    this.sorted = out;
    this.unsorted = [];
  }
}

function lowerBound(a: readonly string[], x: string): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1; else hi = mid;
  }
  return lo;
}

const EMPTY = Buffer.alloc(0);

/**
 * Ordered scan of one store's keys in RocksDB overlaid with its pending writes, over store-local
 * keys [lo, hi) or [lo, hi] (`hi` null: to the end of the store). Yields live [localKey, value]
 * entries only; pending deletes hide RocksDB entries.
 *
 * Consistency during iteration: the set of pending keys is snapshotted when the scan starts, but
 * every yielded value is looked up live, so a put or delete made while iterating is seen for keys
 * not yet yielded (a key first inserted after the scan started is only seen if it was already in
 * RocksDB). RocksDB itself only changes at commit, which happens at batch edges: do not commit
 * while an iterator is open.
 */
export function* overlayScan(
  db: RocksDb,
  pending: PendingWrites,
  lo: Buffer,
  hi: Buffer | null,
  hiInclusive: boolean,
  keysOnly = false,
): Generator<[Buffer, Buffer]> {
  const gte = pending.full(lo);
  const bounds: ScanBounds = hi === null ? { gte, lt: pending.end, keysOnly }
    : hiInclusive ? { gte, lte: pending.full(hi), keysOnly } : { gte, lt: pending.full(hi), keysOnly };
  const p = pending.prefix.length;
  if (pending.size === 0) {
    for (const [k, v] of db.scan(bounds)) yield [k.subarray(p), v];
    return;
  }
  const ids = pending.idsInRange(latin1(lo), hi === null ? null : latin1(hi), hiInclusive);
  let j = 0;
  for (const [k, v] of db.scan(bounds)) {
    const id = latin1(k, p);
    while (j < ids.length && ids[j]! < id) {
      const e = pending.lookup(ids[j++]!);
      if (e !== undefined && e.value !== null) yield [e.key, keysOnly ? EMPTY : e.value];
    }
    if (j < ids.length && ids[j] === id) j++;
    const e = pending.lookup(id);
    if (e === undefined) yield [k.subarray(p), v];
    else if (e.value !== null) yield [e.key, keysOnly ? EMPTY : e.value];
  }
  while (j < ids.length) {
    const e = pending.lookup(ids[j++]!);
    if (e !== undefined && e.value !== null) yield [e.key, keysOnly ? EMPTY : e.value];
  }
}
