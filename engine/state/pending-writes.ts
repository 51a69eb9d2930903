/**
 * The write buffer of one store: puts and deletes made since the last commit, keyed by the full
 * RocksDB key. Reads consult it before RocksDB; `TaskState.commit` drains every store's buffer
 * into one atomic batch.
 *
 * Keys are held as latin1 strings: one char per byte, so `Map` lookups work by value and
 * JS string comparison (`<`, `sort()`) equals unsigned byte order. A sorted view for range scans
 * is built lazily: new keys are appended to `unsorted` and merged in on the next scan, so stores
 * that are never scanned pay nothing for ordering.
 */
import type { RocksDb, ScanBounds } from './rocks-binding.js';

export interface PendingEntry {
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

  get size(): number {
    return this.map.size;
  }

  lookup(id: string): PendingEntry | undefined {
    return this.map.get(id);
  }

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

  entries(): IterableIterator<PendingEntry> {
    return this.map.values();
  }

  clear(): void {
    this.map.clear();
    this.sorted = [];
    this.unsorted = [];
    this.bytes = 0;
  }

  /** Snapshot of the pending ids in [lo, hi) or [lo, hi], in byte order. */
  idsInRange(lo: string, hi: string, hiInclusive: boolean): string[] {
    if (this.unsorted.length > 0) this.mergeUnsorted();
    const a = this.sorted;
    const from = lowerBound(a, lo);
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
 * Ordered scan of RocksDB overlaid with a store's pending writes, over [lo, hi) (or [lo, hi] with
 * `hiInclusive`). Yields live entries only; pending deletes hide RocksDB entries.
 *
 * Consistency during iteration: the set of pending keys is snapshotted when the scan starts, but
 * every yielded value is looked up live, so a put or delete made while iterating is seen for keys
 * not yet yielded (a key first inserted after the scan started is only seen if it was already in
 * RocksDB). RocksDB itself only changes at commit, which happens at batch edges.
 */
export function* overlayScan(
  db: RocksDb,
  pending: PendingWrites,
  lo: Buffer,
  hi: Buffer,
  hiInclusive: boolean,
  keysOnly = false,
): Generator<[Buffer, Buffer]> {
  const bounds: ScanBounds = hiInclusive ? { gte: lo, lte: hi, keysOnly } : { gte: lo, lt: hi, keysOnly };
  if (pending.size === 0) {
    yield* db.scan(bounds);
    return;
  }
  const ids = pending.idsInRange(lo.toString('latin1'), hi.toString('latin1'), hiInclusive);
  let j = 0;
  for (const row of db.scan(bounds)) {
    const id = row[0].toString('latin1');
    while (j < ids.length && ids[j]! < id) {
      const e = pending.lookup(ids[j++]!);
      if (e !== undefined && e.value !== null) yield [e.key, keysOnly ? EMPTY : e.value];
    }
    if (j < ids.length && ids[j] === id) j++;
    const e = pending.lookup(id);
    if (e === undefined) yield row;
    else if (e.value !== null) yield [e.key, keysOnly ? EMPTY : e.value];
  }
  while (j < ids.length) {
    const e = pending.lookup(ids[j++]!);
    if (e !== undefined && e.value !== null) yield [e.key, keysOnly ? EMPTY : e.value];
  }
}
