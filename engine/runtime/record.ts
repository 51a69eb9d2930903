/**
 * A record inside a running query. `row` follows the emitting step's RowSchema; `key` holds the
 * key column values (also present in `row` when `row` is not null). `row === null` is a tombstone
 * (tables) — streams never carry one.
 */
import type { RecordHeader } from '../topics/topics.js';

export interface WindowBounds {
  readonly start: number;
  readonly end: number;
}

export interface Rec {
  key: unknown[];
  row: unknown[] | null;
  /** For table changes: the previous row for this key (null when there was none), when known. */
  oldRow?: unknown[] | null;
  ts: number;
  window: WindowBounds | null;
  headers: readonly RecordHeader[];
  partition: number;
  offset: number;
}

const NULL_KEY = Symbol('nullKey');

/** The key of a record whose key bytes were null: `n` nulls, marked so that sinks write a null key again. */
export function nullKey(n: number): unknown[] {
  const k = new Array(n).fill(null) as unknown[] & { [NULL_KEY]?: true };
  k[NULL_KEY] = true;
  return k;
}

export function isNullKey(key: readonly unknown[]): boolean {
  return (key as { [NULL_KEY]?: true })[NULL_KEY] === true;
}
